"""Our system checks: holiday data, time zone, data folder."""

from __future__ import annotations

import errno
from datetime import date

import pytest
from django.core import checks

from xxgk.jobs.checks import check_data_dir, check_holiday_data, check_time_zone
from xxgk.statute.calendar import YearSchedule, load_calendar, save_schedule


def ids(messages):
    return [m.id for m in messages]


@pytest.fixture
def last_year(tmp_path):
    """The last year the shipped data covers (with an empty data folder)."""
    calendar = load_calendar(tmp_path)
    last = max(calendar.years())
    assert calendar.has_year(last) and not calendar.has_year(last + 1)
    return last


def test_a_year_with_holiday_data_passes(tmp_path, last_year):
    assert check_holiday_data(date(last_year, 6, 1), tmp_path) == []


def test_no_holiday_data_for_the_current_year_is_a_warning(tmp_path, last_year):
    found = check_holiday_data(date(last_year + 1, 6, 1), tmp_path)
    assert ids(found) == ["xxgk.W002"]
    assert found[0].level == checks.WARNING
    assert f"缺少{last_year + 1}年节假日安排" in found[0].msg
    assert "xxgk calendar load" in found[0].hint


def test_next_year_missing_is_a_warning_from_october(tmp_path, last_year):
    assert check_holiday_data(date(last_year, 9, 30), tmp_path) == []
    found = check_holiday_data(date(last_year, 10, 1), tmp_path)
    assert ids(found) == ["xxgk.W001"]
    assert found[0].level == checks.WARNING
    assert str(last_year + 1) in found[0].msg


def test_a_loaded_year_satisfies_the_check(tmp_path, last_year):
    coming = last_year + 1
    save_schedule(YearSchedule(coming, {date(coming, 1, 1): "元旦"}, {}, "test"), tmp_path)
    assert check_holiday_data(date(last_year, 12, 1), tmp_path) == []
    assert check_holiday_data(date(coming, 6, 1), tmp_path) == []


def test_an_unreadable_loaded_year_is_an_error(tmp_path, last_year):
    folder = tmp_path / "calendar"
    folder.mkdir()
    (folder / f"{last_year + 1}.json").write_text("{not json", encoding="utf-8")
    found = check_holiday_data(date(last_year, 6, 1), tmp_path)
    assert ids(found) == ["xxgk.E001"]
    assert "节假日数据无法读取" in found[0].msg


@pytest.mark.parametrize(
    ("time_zone", "use_tz", "expected"),
    [
        ("Asia/Shanghai", True, []),
        ("UTC", True, ["xxgk.E002"]),
        ("Asia/Urumqi", True, ["xxgk.E002"]),
        ("Asia/Shanghai", False, ["xxgk.E002"]),
        ("UTC", False, ["xxgk.E002", "xxgk.E002"]),
    ],
)
def test_time_zone_must_be_beijing_and_aware(time_zone, use_tz, expected):
    assert ids(check_time_zone(time_zone, use_tz)) == expected


def test_a_writable_data_folder_passes_and_is_left_clean(tmp_path):
    assert check_data_dir(tmp_path) == []
    assert list(tmp_path.iterdir()) == []


def test_a_missing_data_folder_is_an_error(tmp_path):
    found = check_data_dir(tmp_path / "absent")
    assert ids(found) == ["xxgk.E003"]
    assert "does not exist" in found[0].msg


def test_an_unwritable_data_folder_is_an_error(tmp_path, monkeypatch):
    # Tests may run as root, who can write through any mode bits: make the write itself fail.
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("xxgk.jobs.checks.tempfile.mkstemp", refuse)
    found = check_data_dir(tmp_path)
    assert ids(found) == ["xxgk.E003"]
    assert "not writable (Permission denied)" in found[0].msg


def test_the_checks_are_registered_and_read_the_settings(settings, tmp_path):
    settings.TIME_ZONE = "UTC"
    settings.DATA_DIR = tmp_path / "absent"
    found = ids(checks.run_checks(tags=["xxgk"]))
    assert "xxgk.E002" in found
    assert "xxgk.E003" in found
