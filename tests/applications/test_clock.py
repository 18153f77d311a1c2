"""The clock module: stored fields, the weekday fallback for a year without data, days left."""

from __future__ import annotations

from datetime import date

import pytest

from xxgk.applications import clock
from xxgk.applications.models import Application
from xxgk.statute.calendar import load_calendar
from xxgk.statute.periods import answer_deadline

pytestmark = pytest.mark.django_db


def test_apply_clock_fills_the_stored_fields():
    case = Application(received_on=date(2026, 11, 2))
    clock.apply_clock(case)
    assert case.answer_due == answer_deadline(date(2026, 11, 2), load_calendar()).due
    assert case.effective_due == case.answer_due
    assert case.clock_flags == [] and case.clock_error == ""
    assert case.calendar_fingerprint == clock.calendars().fingerprint


def test_a_year_without_data_is_counted_monday_to_friday_and_flagged():
    """The first year without holiday data: flagged, never silent."""
    missing = max(load_calendar().years()) + 1
    received = date(missing - 1, 12, 20)
    case = Application(received_on=received)
    clock.apply_clock(case)
    expected = answer_deadline(received, load_calendar(weekday_fallback=True))
    assert case.answer_due == expected.due and case.answer_due.year == missing
    assert case.clock_flags == ["weekday_fallback"]
    _, fallback = clock.compute(case)
    assert fallback is True


def test_days_left():
    cal = load_calendar()
    today = date(2026, 11, 2)
    due = cal.add_workdays(today, 5)
    assert clock.days_left(due, today) == 5
    assert clock.days_left(today, today) == 0
    assert clock.days_left(date(2026, 10, 30), today) == -1  # Friday before a Monday
    assert clock.days_left(None, today) is None
    missing = max(cal.years()) + 1
    assert clock.days_left(date(missing, 1, 8), date(missing - 1, 12, 28)) > 0  # fallback


def test_fingerprint_changes_with_the_schedule():
    from xxgk.statute.calendar import WorkCalendar, package_schedules

    schedules = dict(package_schedules())
    base = clock.calendar_fingerprint(WorkCalendar(schedules))
    assert base == clock.calendar_fingerprint(WorkCalendar(dict(schedules)))
    s2026 = schedules[2026]
    extra = dict(s2026.holidays)
    extra[date(2026, 11, 10)] = "测试"
    schedules[2026] = type(s2026)(2026, extra, dict(s2026.workdays), s2026.source)
    assert clock.calendar_fingerprint(WorkCalendar(schedules)) != base
