"""Fixtures for the jobs tests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from xxgk.jobs import scheduler
from xxgk.statute.calendar import YearSchedule, calendar_dir, load_calendar, save_schedule


def ensure_calendar_for_this_year(data_dir: Path) -> Path | None:
    """Make `xxgk worker`'s start-up check (xxgk.E001) pass whatever today's date is.

    The worker refuses to start without holiday data for the current year. These tests are
    about claiming, not calendars; if the shipped data has no entry for this year (say the
    suite runs in a year chinese-calendar does not cover yet), a placeholder year is stored
    in the test's throw-away data folder. Returns the file written, if any.
    """
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    if load_calendar(data_dir).has_year(year):
        return None
    return save_schedule(YearSchedule(year, {date(year, 1, 1): "元旦"}, {}, "test"), data_dir)


@pytest.fixture
def calendar_for_this_year(settings):
    """See :func:`ensure_calendar_for_this_year`; the file is removed afterwards."""
    written = ensure_calendar_for_this_year(Path(settings.DATA_DIR))
    yield
    if written is not None:
        written.unlink()
        if not any(calendar_dir(Path(settings.DATA_DIR)).iterdir()):
            calendar_dir(Path(settings.DATA_DIR)).rmdir()


@pytest.fixture
def only_daily_jobs(monkeypatch):
    """Run with a registry holding only the daily jobs a test registers (other areas' daily
    jobs need their own data); the real registry is restored afterwards."""
    monkeypatch.setattr(scheduler, "_registry", {})
    return scheduler
