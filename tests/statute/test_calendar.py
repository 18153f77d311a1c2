"""xxgk.statute.calendar: package data, loaded years, missing years, the fallback, the index."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.statute import oracle
from xxgk.statute.calendar import (
    DayKind,
    WorkCalendar,
    YearSchedule,
    calendar_dir,
    load_calendar,
    missing_years_ahead,
    package_schedules,
    save_schedule,
)
from xxgk.statute.errors import (
    CalendarDataError,
    CalendarYearMissing,
    DateOutOfRange,
    StatuteError,
)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return load_calendar(Path("/nonexistent-xxgk-data"))


def test_package_years_are_2004_to_2026(cal: WorkCalendar) -> None:
    assert cal.years()[0] == 2004
    assert cal.years()[-1] == 2026
    assert cal.has_year(2025)
    assert not cal.has_year(2027)


def test_every_day_agrees_with_chinese_calendar(cal: WorkCalendar) -> None:
    d = date(2004, 1, 1)
    while d <= date(2026, 12, 31):
        assert cal.is_workday(d) == oracle.is_workday(d), d
        d += timedelta(days=1)


def test_missing_year_is_a_specific_error(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing) as info:
        cal.is_workday(date(2027, 1, 4))
    assert str(info.value) == "2027年节假日安排尚未导入"
    assert info.value.year == 2027
    assert isinstance(info.value, StatuteError)


def test_counting_into_a_missing_year_raises_not_guesses(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing, match="2027年"):
        cal.add_workdays(date(2026, 12, 20), 20)
    with pytest.raises(CalendarYearMissing, match="2027年"):
        cal.add_workdays_many([date(2026, 12, 20).toordinal()], 20)


def test_weekday_fallback_is_explicit_and_flagged() -> None:
    cal = load_calendar(Path("/nonexistent-xxgk-data"), weekday_fallback=True)
    assert cal.is_workday(date(2027, 1, 1))  # a Friday: guessed, not known to be 元旦
    assert cal.day_info(date(2027, 1, 1)).assumed
    assert not cal.day_info(date(2026, 1, 1)).assumed
    due = cal.add_workdays(date(2026, 12, 30), 3)
    assert due == date(2027, 1, 4)
    assert cal.check_span(date(2026, 12, 30), due) is True
    assert cal.check_span(date(2026, 12, 1), date(2026, 12, 20)) is False


def test_day_info_names_holidays_and_shifted_workdays(cal: WorkCalendar) -> None:
    assert cal.day_info(date(2025, 10, 1)).kind is DayKind.HOLIDAY
    assert cal.day_info(date(2025, 10, 1)).name == "国庆节"
    info = cal.day_info(date(2025, 9, 28))
    assert info.kind is DayKind.SHIFTED_WORKDAY and info.is_workday
    assert cal.day_info(date(2025, 9, 27)).kind is DayKind.WEEKEND


def test_add_workdays_matches_the_day_by_day_oracle(cal: WorkCalendar) -> None:
    start = date(2019, 1, 1)
    for offset in range(0, 8 * 365, 13):
        d = start + timedelta(days=offset)
        for n in (1, 7, 20, 40):
            if d.year == 2026 and d.month > 9:
                continue
            assert cal.add_workdays(d, n) == oracle.add_workdays(d, n), (d, n)


def test_bulk_form_agrees_with_single_form(cal: WorkCalendar) -> None:
    days = [date(2020, 1, 1) + timedelta(days=i) for i in range(0, 2000, 7)]
    bulk = cal.add_workdays_many([d.toordinal() for d in days], 20)
    assert bulk == [cal.add_workdays(d, 20).toordinal() for d in days]


def test_count_start_day_counts_a_working_receipt_day(cal: WorkCalendar) -> None:
    monday = date(2025, 3, 3)
    assert cal.add_workdays(monday, 1, count_start=True) == monday
    assert cal.add_workdays(monday, 1) == date(2025, 3, 4)
    saturday = date(2025, 3, 1)
    assert cal.add_workdays(saturday, 1, count_start=True) == monday


def test_workdays_between(cal: WorkCalendar) -> None:
    assert cal.workdays_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    a, b = date(2025, 9, 26), date(2025, 10, 30)
    assert cal.workdays_between(a, b) == oracle.workdays_between(a, b) == 20
    assert cal.workdays_between(b, a) == 0


def _schedule_2027() -> YearSchedule:
    return YearSchedule(
        2027,
        {date(2027, 1, 1): "元旦", date(2027, 1, 2): "元旦", date(2027, 1, 3): "元旦"},
        {date(2027, 1, 9): "元旦"},
        "test",
    )


def test_loaded_year_fills_the_gap(tmp_path: Path) -> None:
    save_schedule(_schedule_2027(), tmp_path)
    cal = load_calendar(tmp_path)
    assert cal.has_year(2027)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 9))  # a Saturday made a working day
    assert cal.source_of(2027) == "test"


def test_loaded_data_wins_over_the_package(tmp_path: Path) -> None:
    base = package_schedules()[2026]
    holidays = dict(base.holidays)
    holidays[date(2026, 12, 31)] = "测试"
    save_schedule(YearSchedule(2026, holidays, base.workdays, "officer"), tmp_path)
    cal = load_calendar(tmp_path)
    assert not cal.is_workday(date(2026, 12, 31))
    assert cal.source_of(2026) == "officer"
    assert load_calendar(Path("/nonexistent-xxgk-data")).is_workday(date(2026, 12, 31))


def test_loaded_year_replaces_the_whole_package_year(tmp_path: Path) -> None:
    # Loaded 2026 without the 元旦 days: those days fall back to ordinary weekdays.
    base = package_schedules()[2026]
    holidays = {d: n for d, n in base.holidays.items() if d.month > 1}
    save_schedule(YearSchedule(2026, holidays, {}, "officer"), tmp_path)
    cal = load_calendar(tmp_path)
    assert cal.is_workday(date(2026, 1, 2))
    assert not cal.is_workday(date(2026, 1, 4))


def test_save_is_atomic_and_leaves_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = save_schedule(_schedule_2027(), tmp_path)
    before = target.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    changed = YearSchedule(2027, {date(2027, 2, 1): "x"}, {}, "changed")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_schedule(changed, tmp_path)
    assert target.read_bytes() == before
    assert [p.name for p in calendar_dir(tmp_path).iterdir()] == ["2027.json"]


def test_corrupt_loaded_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = calendar_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "2027.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CalendarDataError, match=r"2027\.json"):
        load_calendar(tmp_path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": 2027, "holidays": {}}, "holidays 为空"),
        ({"year": "2027", "holidays": ["2027-01-01"]}, "year"),
        ({"year": 2027, "holidays": ["2027-13-01"]}, "不是 YYYY-MM-DD"),
        (
            {"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-01-04"]},
            "不能列为调休上班日",
        ),
        ({"year": 2027, "holidays": ["2027-01-09"], "workdays": ["2027-01-09"]}, "同时列为"),
        ({"year": 2027, "holidays": ["2031-01-01"]}, "不属于2027年"),
    ],
)
def test_structured_file_is_validated(data: object, message: str) -> None:
    with pytest.raises(CalendarDataError, match=message):
        YearSchedule.from_json(data)


def test_structured_round_trip() -> None:
    schedule = _schedule_2027()
    again = YearSchedule.from_json(json.loads(json.dumps(schedule.to_json())))
    assert again == schedule


def test_missing_years_ahead_warns_about_the_coming_year(cal: WorkCalendar, tmp_path: Path) -> None:
    assert missing_years_ahead(cal, date(2026, 11, 29)) == [2027]
    assert missing_years_ahead(cal, date(2026, 6, 1)) == []
    save_schedule(_schedule_2027(), tmp_path)
    assert missing_years_ahead(load_calendar(tmp_path), date(2026, 11, 29)) == []


# ----- notice year vs calendar year ------------------------------------------------------------

DATA = Path(__file__).parent / "data"


def _notice(name: str) -> YearSchedule:
    from xxgk.statute.notice import parse_notice

    return parse_notice((DATA / name).read_text(encoding="utf-8")).schedule


def _agrees(cal: WorkCalendar, first: date, last: date) -> None:
    d = first
    while d <= last:
        assert cal.is_workday(d) == oracle.is_workday(d), d
        d += timedelta(days=1)


def test_package_data_is_split_by_notice_year() -> None:
    """chinese-calendar's 2018-12-29…31 (元旦 2019) belong to the 2019 notice."""
    packaged = package_schedules()
    assert date(2018, 12, 30) in packaged[2019].holidays
    assert date(2018, 12, 29) in packaged[2019].workdays
    assert date(2018, 12, 30) not in packaged[2018].holidays
    assert all(d.year == 2018 for d in (*packaged[2018].holidays, *packaged[2018].workdays))


def test_loading_the_2018_notice_leaves_the_2019_new_year_days_alone(tmp_path: Path) -> None:
    """Reconstructed 2018 notice (tests/statute/data/README.md): 2018-12-29 stays worked and
    2018-12-31 stays off, as the 2019 notice made them."""
    save_schedule(_notice("2018-reconstructed.txt"), tmp_path)
    cal = load_calendar(tmp_path)
    assert cal.source_of(2018) == "国务院办公厅关于2018年部分节假日安排的通知"
    assert cal.is_workday(date(2018, 12, 29))
    assert not cal.is_workday(date(2018, 12, 31))
    _agrees(cal, date(2017, 12, 1), date(2019, 12, 31))


def test_loading_the_2019_notice_carries_its_december_days(tmp_path: Path) -> None:
    save_schedule(_notice("2019-reconstructed.txt"), tmp_path)
    _agrees(load_calendar(tmp_path), date(2018, 1, 1), date(2019, 12, 31))
    save_schedule(_notice("2018-reconstructed.txt"), tmp_path)
    _agrees(load_calendar(tmp_path), date(2018, 1, 1), date(2019, 12, 31))


def test_a_corrected_notice_releases_december_days_it_no_longer_names(tmp_path: Path) -> None:
    base = package_schedules()[2019]
    holidays = {d: n for d, n in base.holidays.items() if d.year == 2019}
    workdays = {d: n for d, n in base.workdays.items() if d.year == 2019}
    save_schedule(YearSchedule(2019, holidays, workdays, "officer"), tmp_path)
    cal = load_calendar(tmp_path)
    assert not cal.is_workday(date(2018, 12, 29))  # an ordinary Saturday of 2018 again
    assert cal.is_workday(date(2018, 12, 31))  # an ordinary Monday of 2018 again
    assert cal.is_workday(date(2018, 12, 28))


def test_structured_file_may_reach_only_into_the_previous_december() -> None:
    ok = {"year": 2019, "holidays": ["2018-12-31", "2019-01-01"]}
    assert date(2018, 12, 31) in YearSchedule.from_json(ok).holidays
    for bad in ("2018-11-30", "2020-01-01"):
        with pytest.raises(CalendarDataError, match="不属于2019年的安排"):
            YearSchedule.from_json({"year": 2019, "holidays": [bad, "2019-01-01"]})


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_workday(date(1, 1, 1)),
        lambda c: c.is_workday(date(9999, 12, 31)),
        lambda c: c.workdays_between(date(2025, 1, 1), date(9999, 12, 31)),
        lambda c: c.add_workdays(date(1989, 12, 1), 5),
        lambda c: c.add_workdays(date(2100, 12, 20), 20),
        lambda c: c.add_workdays_many([date(9999, 1, 1).toordinal()], 5),
    ],
)
def test_dates_outside_the_index_are_out_of_range_not_missing_years(call: object) -> None:
    for cal in (
        load_calendar(Path("/nonexistent-xxgk-data")),
        load_calendar(Path("/nonexistent-xxgk-data"), weekday_fallback=True),
    ):
        with pytest.raises(DateOutOfRange, match="超出支持的日期范围（1990-01-01至2100-12-31）"):
            call(cal)  # type: ignore[operator]
