"""xxgk.statute.notice: the State Council notices load to exactly chinese-calendar's days."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.statute import oracle
from xxgk.statute.calendar import WorkCalendar, YearSchedule, package_schedules
from xxgk.statute.errors import NoticeParseError
from xxgk.statute.notice import describe_days, looks_like_notice, parse_notice

NOTICES = SHARED / "docs" / "holiday-notices"
DATA = Path(__file__).parent / "data"


def _text(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2017, 2025, 2026])
def test_sample_notice_gives_exactly_the_package_days(year: int) -> None:
    parsed = parse_notice(_text(year))
    package = package_schedules()[year]
    assert parsed.year == year
    assert set(parsed.schedule.holidays) == set(package.holidays)
    assert set(parsed.schedule.workdays) == set(package.workdays)


def test_every_sample_file_is_covered() -> None:
    years = sorted(int(p.stem) for p in Path(NOTICES).glob("*.txt"))
    assert years == [2017, 2025, 2026]


def test_2017_in_lieu_form_adds_the_weekday_as_a_holiday() -> None:
    """1月1日放假，1月2日（星期一）补休。"""
    parsed = parse_notice(_text(2017))
    item = parsed.items[0]
    assert item.names == "元旦"
    assert [d.isoformat() for d in item.holidays] == ["2017-01-01", "2017-01-02"]


def test_items_keep_their_line_and_names() -> None:
    parsed = parse_notice(_text(2026))
    assert [i.number for i in parsed.items] == [1, 2, 3, 4, 5, 6, 7]
    spring = parsed.items[1]
    assert spring.names == "春节"
    assert len(spring.holidays) == 9
    assert [d.isoformat() for d in spring.workdays] == ["2026-02-14", "2026-02-28"]
    assert parsed.items[1].text in _text(2026).splitlines()[spring.line - 1]


def test_reprint_variants_parse_the_same() -> None:
    """ASCII punctuation, spaces and 星期 instead of 周 are common in reprints."""
    original = parse_notice(_text(2026)).schedule
    variant = (
        _text(2026)
        .replace("（", "(")
        .replace("）", ")")
        .replace("：", ": ")
        .replace("，", ", ")
        .replace("周六", "星期六")
    )
    assert parse_notice(variant).schedule.holidays == original.holidays
    assert parse_notice(variant).schedule.workdays == original.workdays


def test_describe_days_lists_every_day() -> None:
    schedule = parse_notice(_text(2025)).schedule
    rows = describe_days(schedule)
    assert len(rows) == len(schedule.holidays) + len(schedule.workdays)
    assert "2025-01-26 星期日 上班（调休） 春节" in rows
    assert "2025-10-08 星期三 放假 国庆节、中秋节" in rows


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("共9天", "共8天", "写明共8天"),
        ("2月14日（周六）", "2月14日（周五）", "通知写的是“五”"),
        ("5月9日（周六）上班", "5月8日上班", "本来就是工作日"),
        ("放假，共3天。\n六", "放假，另行通知。\n六", "无法理解“另行通知”"),
        ("二、春节", "三、春节", "条目编号"),
        ("2月15日", "2月30日", "不存在"),
        ("2月14日（周六）", "2月14日（周八）", "无法识别星期“周八”"),
        ("2月14日（周六）", "2月14日（星期）", "无法识别星期“星期”"),
    ],
)
def test_notice_that_cannot_be_accounted_for_is_refused(old: str, new: str, message: str) -> None:
    text = _text(2026)
    assert old in text
    with pytest.raises(NoticeParseError, match=message):
        parse_notice(text.replace(old, new, 1))


def test_missing_item_for_a_named_festival_is_refused() -> None:
    lines = [x for x in _text(2026).splitlines() if not x.startswith("七、")]
    with pytest.raises(NoticeParseError, match="国庆节"):
        parse_notice("\n".join(lines))


def test_in_lieu_on_a_weekend_is_refused() -> None:
    text = _text(2017).replace("1月2日（星期一）补休", "1月7日（星期六）补休")
    with pytest.raises(NoticeParseError, match="应为工作日"):
        parse_notice(text)


def test_year_comes_from_the_title_or_must_be_given() -> None:
    body = "\n".join(_text(2026).splitlines()[1:])
    with pytest.raises(NoticeParseError, match="找不到年份"):
        parse_notice(body)
    assert parse_notice(body, year=2026).year == 2026
    with pytest.raises(NoticeParseError, match="不符"):
        parse_notice(_text(2026), year=2027)


def test_text_without_items_is_refused() -> None:
    with pytest.raises(NoticeParseError, match="没有读到"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n\n另行通知。")


def test_looks_like_notice() -> None:
    assert looks_like_notice(_text(2025))
    assert not looks_like_notice('{"year": 2027}')


def test_wrapped_item_line_is_joined_to_its_item() -> None:
    wrapped = _text(2026).replace("共9天。2月14日", "共9天。\n2月14日")
    parsed = parse_notice(wrapped)
    assert parsed.schedule.workdays == parse_notice(_text(2026)).schedule.workdays
    assert "2026-02-28" in {d.isoformat() for d in parsed.items[1].workdays}


def test_stray_arrangement_line_is_refused() -> None:
    stray = _text(2026).replace("共9天。2月14日", "共9天。\n\n2月14日")
    with pytest.raises(NoticeParseError, match="不属于任何编号条目"):
        parse_notice(stray)


def _agrees_with_chinese_calendar(schedule: YearSchedule, first: date, last: date) -> None:
    cal = WorkCalendar({**package_schedules(), schedule.year: schedule})
    day = first
    while day <= last:
        assert cal.is_workday(day) == oracle.is_workday(day), day
        day += timedelta(days=1)


def test_new_year_run_starting_in_december_belongs_to_the_previous_year() -> None:
    """元旦：12月30日至1月1日 in the 2019 notice is 2018-12-30…2019-01-01, not …2020-01-01."""
    published = (DATA / "2019-reconstructed.txt").read_text(encoding="utf-8")
    without_years = published.replace(
        "2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。",
        "12月30日至1月1日放假调休，共3天。12月29日（星期六）上班。",
    )
    assert without_years != published
    for text in (published, without_years):
        parsed = parse_notice(text)
        new_year = parsed.items[0]
        assert [d.isoformat() for d in new_year.holidays] == [
            "2018-12-30",
            "2018-12-31",
            "2019-01-01",
        ]
        assert [d.isoformat() for d in new_year.workdays] == ["2018-12-29"]
        _agrees_with_chinese_calendar(parsed.schedule, date(2018, 12, 1), date(2019, 12, 31))


def test_december_dates_outside_the_new_year_item_stay_in_the_notice_year() -> None:
    published = (DATA / "2019-reconstructed.txt").read_text(encoding="utf-8")
    spring = published.replace("2月4日至10日", "12月31日至1月6日")
    with pytest.raises(NoticeParseError, match="结束日早于开始日"):
        parse_notice(spring)
    far = published.replace("2018年12月30日至2019年1月1日", "2017年12月30日至2019年1月1日")
    with pytest.raises(NoticeParseError, match="不属于2019年的安排"):
        parse_notice(far)
    november = published.replace("2018年12月29日（星期六）", "2018年11月24日（星期六）")
    with pytest.raises(NoticeParseError, match="不属于2019年的安排"):
        parse_notice(november)


def test_unordered_workday_list_is_read_as_written() -> None:
    unordered = parse_notice(
        _text(2025).replace("1月26日（周日）、2月8日（周六）", "2月8日（周六）、1月26日（周日）")
    )
    assert unordered.schedule.workdays.keys() == parse_notice(_text(2025)).schedule.workdays.keys()


@pytest.mark.parametrize("tail", ["\n　　", "\n  ", "\n\t\n \u3000", "　　"])
def test_trailing_line_of_only_spaces_is_read(tail: str) -> None:
    """Regression: a pasted text ending in a line of spaces crashed (zip strict=True)."""
    parsed = parse_notice(_text(2026).rstrip("\n") + tail)
    assert parsed.schedule.holidays == parse_notice(_text(2026)).schedule.holidays
    assert looks_like_notice(_text(2026) + tail)


def test_2024_notice_as_published_loads_to_chinese_calendars_days() -> None:
    """The 2024 notice with its advisory 除夕 sentence (2024-02-09 stayed a working day)."""
    parsed = parse_notice((DATA / "2024.txt").read_text(encoding="utf-8"))
    assert parsed.year == 2024
    spring = parsed.items[1]
    assert spring.advisories == ("鼓励各单位结合带薪年休假等制度落实,安排职工在除夕(2月9日)休息",)
    assert date(2024, 2, 9) not in parsed.schedule.holidays
    cal = WorkCalendar({**package_schedules(), 2024: parsed.schedule})
    day = date(2024, 1, 1)
    while day.year == 2024:
        assert cal.is_workday(day) == oracle.is_workday(day), day
        day += timedelta(days=1)
    package = package_schedules()[2024]
    in_2024 = {d for d in package.holidays if d.year == 2024}
    assert set(parsed.schedule.holidays) == in_2024
    assert set(parsed.schedule.workdays) == set(package.workdays)


def test_advisory_sentence_that_moves_a_day_is_refused() -> None:
    text = (DATA / "2024.txt").read_text(encoding="utf-8")
    bad = text.replace("安排职工在除夕（2月9日）休息", "2月9日放假")
    with pytest.raises(NoticeParseError, match="无法理解"):
        parse_notice(bad)


ITEMS_ONLY_2026 = "\n".join(
    x for x in _text(2026).splitlines() if x[:2] in {f"{n}、" for n in "一二三四五六七"}
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("二、春节：", "春节："),  # number lost
        ("七、国庆节：", "七、国庆节"),  # colon lost
        ("七、国庆节：", "七.国庆节："),  # 顿号 typed as a full stop
        ("五、端午节：", "五,端午节:"),
    ],
)
def test_malformed_item_line_is_refused_not_skipped(old: str, new: str) -> None:
    """Regression: without the opening sentence such a line was only listed as unread."""
    for text in (ITEMS_ONLY_2026, _text(2026)):
        assert old in text
        with pytest.raises(NoticeParseError) as info:
            parse_notice(text.replace(old, new, 1), year=2026)
        assert "编号条目" in str(info.value)


def test_a_mangled_item_is_refused_even_when_it_is_the_wrapped_continuation() -> None:
    stray = _text(2026).replace("\n六、中秋节：", "\n中秋节：")
    with pytest.raises(NoticeParseError, match="编号条目"):
        parse_notice(stray)


def test_only_some_items_pasted_is_refused() -> None:
    """Every festival of 《全国年节及纪念日放假办法》第二条 must have an item."""
    first_four = "\n".join(ITEMS_ONLY_2026.splitlines()[:4])
    with pytest.raises(NoticeParseError, match="没有“端午节”的安排条目"):
        parse_notice(first_four, year=2026)


def test_one_item_may_cover_two_festivals() -> None:
    parsed = parse_notice(_text(2025))  # 六、国庆节、中秋节
    assert parsed.items[-1].names == "国庆节、中秋节"
    assert len(parsed.items) == 6


def test_principles_paragraph_with_dates_is_not_an_arrangement() -> None:
    parsed = parse_notice(_text(2025))
    ignored = [text for _, text in parsed.ignored_lines]
    assert any("国庆节自10月1日起放假调休7天" in text for text in ignored)


def _reprints(text: str) -> dict[str, str]:
    """The acceptance reviewer's reprint variants (hostile.py) that must read the same."""
    return {
        "ascii ( ) : ,": text.translate(
            str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","})
        ),
        "周 for 星期": text.replace("星期", "周"),
        "星期天": text.replace("周日", "星期天").replace("星期日", "星期天"),
        "spaces": text.replace("，", "， ").replace("日", "日\u3000", 3),
        "CRLF": text.replace("\n", "\r\n"),
        "indent": "\n".join("　　" + x for x in text.splitlines()),
        "tabs": text.replace("：", "：\t"),
        "full-width digits": text.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        "trailing spaces line": text.rstrip("\n") + "\n　　",
    }


@pytest.mark.parametrize("year", [2017, 2025, 2026])
def test_reviewer_reprint_variants_give_the_package_days(year: int) -> None:
    package = package_schedules()[year]
    for label, text in _reprints(_text(year)).items():
        parsed = parse_notice(text)
        assert set(parsed.schedule.holidays) == set(package.holidays), label
        assert set(parsed.schedule.workdays) == set(package.workdays), label


@pytest.mark.parametrize(
    "line",
    [
        "春节放假调休：2月15日至23日，共9天。",
        "另，国庆节：10月1日至7日放假调休。",
        "请注意：2月14日（周六）、2月28日（周六）上班。",
    ],
)
def test_arrangement_sentence_outside_the_items_is_refused(line: str) -> None:
    text = _text(2026).replace("国务院办公厅\n", f"{line}\n\n国务院办公厅\n", 1)
    assert line in text
    with pytest.raises(NoticeParseError, match="编号条目"):
        parse_notice(text)
