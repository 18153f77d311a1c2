"""Reading the State Council's yearly holiday notice as published.

《国务院办公厅关于YYYY年部分节假日安排的通知》 is the only authority for which days are
holidays and which weekend days are 调休 working days (regulation.md §6.1). An officer pastes it
the day it appears; :func:`parse_notice` turns it into a :class:`YearSchedule`.

What is read: every numbered item line ``二、春节：2月15日（…）至23日（…）放假调休，共9天。
2月14日（周六）、2月28日（周六）上班。``, including the 补休 form of older notices
(``1月1日放假，1月2日（星期一）补休``). Reprints differ in punctuation width, spacing and the
weekday word, so the text is normalised (NFKC) first.

Dates of notice Y are in Y, except a December date in the 元旦 item, which is in Y−1 (the
元旦 run that starts in December belongs to the notice of the year it leads into); explicit
years are read as written, and every date must be in Y or in December of Y−1.

What is refused (:class:`NoticeParseError`, with the line): any clause of an item it does not
recognise, a weekday annotation that contradicts the date or is no weekday at all (``周八``), a
"共N天" that does not match the range, a 上班 day that is not a weekend day, a 补休 day that is
not a weekday, a day both off and worked, item numbers out of sequence, a festival named in the
opening sentence with no item, a festival of 《全国年节及纪念日放假办法》第二条 with no item (a
notice pasted in part), a line outside the items that looks like an arrangement (an item whose
number, 顿号 or colon was lost), and a text with no year or no items. A sentence inside an item
that only encourages (``鼓励…``, without 放假/上班/补休/调休) is kept as an advisory and not
applied. Other lines outside the numbered items are not read as arrangements; they are returned
in ``ignored_lines`` so the preview can show them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from xxgk.statute.calendar import WEEKDAYS_CN, YearSchedule
from xxgk.statute.errors import NoticeParseError

__all__ = ["NoticeItem", "ParsedNotice", "describe_days", "looks_like_notice", "parse_notice"]

_NUMERALS = "一二三四五六七八九十"
_ITEM = re.compile(rf"^([{_NUMERALS}]+)、(.+?):(.+)$")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^()]*)\))?")
# A line that begins with a date and speaks of days off or worked: part of an arrangement.
_ARRANGEMENT_LINE = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日.*(?:放假|上班|补休|调休)")
_TITLE_YEAR = re.compile(r"关于(\d{4})年部分节假日安排")
_INTRO = re.compile(r"现将(\d{4})年(.+?)放假调休日期")
_WEEKDAY_WORD = re.compile(r"(?:周|星期)([一二三四五六日天])")
# Any weekday word, valid or not: "周八" or a bare "星期" must be refused, not skipped.
_ANY_WEEKDAY_WORD = re.compile(r"(?:周|星期).?")
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_CN_NUMBERS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}

_FESTIVALS = r"(?:元旦|春节|清明节?|劳动节|五一|端午节?|中秋节?|国庆节?)"
# A festival name directly followed by a date (maybe after 放假/调休 and a colon), anywhere.
_FESTIVAL_FIRST = re.compile(
    rf"{_FESTIVALS}(?:[、,和]{_FESTIVALS})*(?:放假调休|放假|调休|安排)?[:;]?"
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日"
)
_DATE_THEN_VERB = re.compile(r"D(?:(?:至|-|—|~|、)D)*(?:放假|上班|补休)")

# Clause templates once every date is replaced by "D" (dates are kept aside in order).
_RANGE_OFF = re.compile(r"^D至D放假(?:调休)?$")
_SINGLE_OFF = re.compile(r"^D放假(?:(\d+)天)?$")
_IN_LIEU = re.compile(r"^D补休$")
_WORK = re.compile(r"^D(?:、D)*上班$")
_TOTAL = re.compile(r"^共(\d+)天$")
_NO_OP = frozenset({"不调休", "与周末连休", "不补休"})
# A sentence that only encourages (2024 item 二: "鼓励各单位…安排职工在除夕（2月9日）休息"). It
# is accepted as advice only when it uses none of the words that make or move a day.
_ADVISORY = re.compile(r"^鼓励")
_ARRANGEMENT_WORD = re.compile(r"放假|上班|补休|调休")


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """One numbered item of the notice and the days it gives."""

    number: int
    names: str
    line: int
    text: str
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]
    #: Advisory sentences (``鼓励各单位…安排职工在除夕（2月9日）休息``): shown, never applied.
    advisories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedNotice:
    """What was understood from a notice: the schedule, item by item, and what was skipped."""

    year: int
    title: str
    schedule: YearSchedule
    items: tuple[NoticeItem, ...]
    ignored_lines: tuple[tuple[int, str], ...] = field(default=())


def looks_like_notice(text: str) -> bool:
    """True when ``text`` reads like a holiday notice rather than a structured file."""
    lines = _normalise_lines(text.splitlines())
    return any(_TITLE_YEAR.search(x) or _ITEM.match(x) for x in lines)


def _normalise_lines(raw_lines: list[str]) -> list[str]:
    """One normalised line per raw line (NFKC, no whitespace), so line numbers always agree.

    Normalising line by line (not the whole text, then splitting) keeps a trailing line of
    only spaces (``…2025年11月4日\n　　``) as an empty line instead of dropping it.
    """
    # Spacing differs between reprints; it never carries meaning in these notices.
    return [re.sub(r"\s+", "", unicodedata.normalize("NFKC", line)) for line in raw_lines]


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_NUMBERS[text[1:]]
    if text.endswith("十"):
        return 10 * _CN_NUMBERS[text[:-1]]
    if len(text) == 3 and text[1] == "十":
        return 10 * _CN_NUMBERS[text[0]] + _CN_NUMBERS[text[2]]
    return _CN_NUMBERS[text]


def parse_notice(text: str, *, year: int | None = None) -> ParsedNotice:
    """Read a 部分节假日安排 notice exactly as published; refuse what cannot be accounted for.

    ``year`` is needed only when the title (``关于2026年部分节假日安排的通知``) is missing; if
    both are present they must agree.
    """
    raw_lines = text.splitlines()
    lines = _normalise_lines(raw_lines)
    found = None
    title = ""
    for line, raw in zip(lines, raw_lines, strict=True):
        m = _TITLE_YEAR.search(line)
        if m:
            found = int(m.group(1))
            title = raw.strip()
            break
    if found is None and year is None:
        raise NoticeParseError(
            "找不到年份（标题应为“国务院办公厅关于YYYY年部分节假日安排的通知”），请用 --year 指定"
        )
    if found is not None and year is not None and found != year:
        raise NoticeParseError(f"通知标题为{found}年，与指定的{year}年不符")
    the_year = found if found is not None else year
    assert the_year is not None

    # (number, names, body, first line, raw text) per item; a wrapped item continues on the
    # next line when that line starts with a date (pasting from a web page wraps lines).
    pending: list[tuple[int, str, str, int, str]] = []
    ignored: list[tuple[int, str]] = []
    intro_names: list[str] = []
    previous_was_item = False
    for lineno, (line, raw) in enumerate(zip(lines, raw_lines, strict=True), start=1):
        if not line:
            previous_was_item = False
            continue
        m = _ITEM.match(line)
        if m is None:
            if _ARRANGEMENT_LINE.match(line):
                if not previous_was_item:
                    raise NoticeParseError(
                        "这一行像是放假安排，但不属于任何编号条目", lineno, raw.strip()
                    )
                number, names, body, first, text = pending[-1]
                pending[-1] = (number, names, body + line, first, f"{text}{raw.strip()}")
                continue
            previous_was_item = False
            if _looks_like_arrangement(line):
                raise NoticeParseError(
                    "这一行像是放假安排，但不是“一、节日：日期…”形式的编号条目"
                    "（编号、顿号或冒号缺失？），无法确认其归属",
                    lineno,
                    raw.strip(),
                )
            intro = _INTRO.search(line)
            if intro:
                if int(intro.group(1)) != the_year:
                    raise NoticeParseError(
                        f"正文说明的是{intro.group(1)}年，与{the_year}年不符", lineno, raw.strip()
                    )
                intro_names = [n for n in re.split(r"[、和]", intro.group(2)) if n]
            if raw.strip() != title:
                ignored.append((lineno, raw.strip()))
            continue
        number = _cn_number(m.group(1))
        if number != len(pending) + 1:
            raise NoticeParseError(
                f"条目编号应为第{len(pending) + 1}项，读到第{number}项", lineno, raw.strip()
            )
        pending.append((number, m.group(2), m.group(3), lineno, raw.strip()))
        previous_was_item = True
    items = [
        _parse_item(number, names, body, the_year, first, text)
        for number, names, body, first, text in pending
    ]
    if not items:
        raise NoticeParseError("没有读到任何“一、元旦：…”形式的安排条目")

    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for item in items:
        for d in item.holidays:
            if d in holidays or d in workdays:
                raise NoticeParseError(f"{d.isoformat()} 出现两次", item.line, item.text)
            holidays[d] = item.names
        for d in item.workdays:
            if d in holidays or d in workdays:
                raise NoticeParseError(f"{d.isoformat()} 出现两次", item.line, item.text)
            workdays[d] = item.names
    covered = [part for item in items for part in re.split(r"[、和]", item.names) if part]
    for name in _statutory_festivals(the_year):
        if not any(_same_festival(name, part) for part in covered):
            raise NoticeParseError(
                f"没有“{name}”的安排条目；《全国年节及纪念日放假办法》第二条的每个节日都应有安排"
                "（是否只粘贴了部分条目？）"
            )
    for name in intro_names:
        if not any(_same_festival(name, part) for item in items for part in item.names.split("、")):
            raise NoticeParseError(f"正文开头提到“{name}”，但没有对应的安排条目")
    source = title or f"{the_year}年部分节假日安排的通知"
    schedule = YearSchedule(the_year, holidays, workdays, source)
    return ParsedNotice(the_year, title, schedule, tuple(items), tuple(ignored))


def _statutory_festivals(year: int) -> tuple[str, ...]:
    """《全国年节及纪念日放假办法》第二条: the festivals every yearly notice must arrange.

    清明节、端午节、中秋节 were added by the 2007 revision (in force 2008-01-01).
    """
    if year >= 2008:
        return ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
    return ("元旦", "春节", "劳动节", "国庆节")


def _looks_like_arrangement(line: str) -> bool:
    """A line outside the items that reads like an arrangement: refuse it, never skip it.

    Either a festival name is directly followed by a date (``春节：2月15日…``, ``七、国庆节10月1日…``,
    ``七.国庆节：…``, ``春节放假调休：2月15日…``), or a date is directly followed by
    放假/上班/补休 (``…10月1日至7日放假…``). The principles paragraph of
    2025 ("国庆节自10月1日起放假调休7天") has neither form.
    """
    if _FESTIVAL_FIRST.search(line):
        return True
    return bool(_DATE_THEN_VERB.search(_DATE.sub("D", line)))


def _same_festival(a: str, b: str) -> bool:
    return a.removesuffix("节") == b.removesuffix("节")


def _parse_item(number: int, names: str, body: str, year: int, lineno: int, raw: str) -> NoticeItem:
    holidays: list[date] = []
    workdays: list[date] = []
    last_range: list[date] | None = None
    advisories: list[str] = []
    names_cn = names.replace(",", "、")
    new_year_item = any(n == "元旦" for n in re.split(r"[、,和]", names_cn))
    for sentence in (s for s in body.split("。") if s):
        if _ADVISORY.match(sentence) and not _ARRANGEMENT_WORD.search(sentence):
            # "鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息" (2024): an
            # encouragement, not a 放假安排 — 2024-02-09 stayed a working day.
            advisories.append(sentence)
            continue
        dates: list[tuple[str | None, str | None, str, str | None]] = []

        def keep(
            m: re.Match[str], dates: list[tuple[str | None, str | None, str, str | None]] = dates
        ) -> str:
            dates.append((m.group(1), m.group(2), m.group(3), m.group(4)))
            return "D"

        template = _DATE.sub(keep, sentence)
        cursor = 0
        for clause in template.split(","):
            need = clause.count("D")
            clause_dates = dates[cursor : cursor + need]
            cursor += need
            resolved = _resolve(clause_dates, year, lineno, raw, new_year_item=new_year_item)
            if _RANGE_OFF.match(clause):
                start, end = resolved
                if end < start:
                    raise NoticeParseError("放假区间的结束日早于开始日", lineno, raw)
                run = [start + timedelta(days=i) for i in range((end - start).days + 1)]
                holidays.extend(run)
                last_range = run
            elif m1 := _SINGLE_OFF.match(clause):
                holidays.append(resolved[0])
                last_range = [resolved[0]]
                if m1.group(1) is not None and int(m1.group(1)) != 1:
                    raise NoticeParseError(f"“放假{m1.group(1)}天”只对应一个日期", lineno, raw)
            elif _IN_LIEU.match(clause):
                d = resolved[0]
                if d.weekday() >= 5:
                    raise NoticeParseError(
                        f"补休日{d.isoformat()}是{WEEKDAYS_CN[d.weekday()]}，应为工作日",
                        lineno,
                        raw,
                    )
                holidays.append(d)
            elif _WORK.match(clause):
                for d in resolved:
                    if d.weekday() < 5:
                        raise NoticeParseError(
                            f"上班日{d.isoformat()}是{WEEKDAYS_CN[d.weekday()]}，本来就是工作日",
                            lineno,
                            raw,
                        )
                    workdays.append(d)
            elif m2 := _TOTAL.match(clause):
                if last_range is None:
                    raise NoticeParseError("“共N天”前没有放假区间", lineno, raw)
                if int(m2.group(1)) != len(last_range):
                    raise NoticeParseError(
                        f"写明共{m2.group(1)}天，但{last_range[0].isoformat()}至"
                        f"{last_range[-1].isoformat()}是{len(last_range)}天",
                        lineno,
                        raw,
                    )
            elif clause in _NO_OP:
                pass
            else:
                shown = _restore(clause, clause_dates)
                raise NoticeParseError(f"无法理解“{shown}”", lineno, raw)
    if not holidays:
        raise NoticeParseError("该条目没有放假日期", lineno, raw)
    return NoticeItem(
        number, names_cn, lineno, raw, tuple(holidays), tuple(workdays), tuple(advisories)
    )


def _restore(clause: str, dates: list[tuple[str | None, str | None, str, str | None]]) -> str:
    parts = clause.split("D")
    out = parts[0]
    for (y, m, d, note), rest in zip(dates, parts[1:], strict=True):
        text = (f"{y}年" if y else "") + (f"{m}月" if m else "") + f"{d}日"
        out += text + (f"（{note}）" if note else "") + rest
    return out


def _resolve(
    tokens: list[tuple[str | None, str | None, str, str | None]],
    year: int,
    lineno: int,
    raw: str,
    *,
    new_year_item: bool = False,
) -> list[date]:
    """Turn date tokens of the notice for ``year`` into dates.

    A date without a month takes month and year from the previous date (``2月15日至23日``).
    A date with a month but no year is in ``year`` — except a December date in the 元旦 item,
    which is in ``year - 1``: the 元旦 run that starts in December belongs to the notice of the
    year it leads into (``元旦：12月30日至1月1日`` in the 2019 notice is 2018-12-30…2019-01-01;
    the 2019 notice as published writes those years out). Every date must lie in ``year`` or
    in December of ``year - 1``.
    """
    out: list[date] = []
    cur_year, cur_month = year, None
    for y, m, d, note in tokens:
        if m is not None:
            cur_month = int(m)
            cur_year = year - 1 if new_year_item and cur_month == 12 else year
        if y is not None:
            cur_year = int(y)
        if cur_month is None:
            raise NoticeParseError(f"“{d}日”缺少月份", lineno, raw)
        try:
            value = date(cur_year, cur_month, int(d))
        except ValueError:
            raise NoticeParseError(f"{cur_year}年{cur_month}月{d}日不存在", lineno, raw) from None
        if note:
            for bad in _ANY_WEEKDAY_WORD.findall(note):
                if bad[-1:] not in _WEEKDAY_INDEX:
                    raise NoticeParseError(f"无法识别星期“{bad}”", lineno, raw)
            for word in _WEEKDAY_WORD.findall(note):
                if _WEEKDAY_INDEX[word] != value.weekday():
                    raise NoticeParseError(
                        f"{value.isoformat()}是{WEEKDAYS_CN[value.weekday()]}，通知写的是“{word}”",
                        lineno,
                        raw,
                    )
        if not (value.year == year or (value.year == year - 1 and value.month == 12)):
            raise NoticeParseError(
                f"{value.isoformat()}不属于{year}年的安排（只能是{year}年或{year - 1}年12月的日期）",
                lineno,
                raw,
            )
        out.append(value)
    return out


def describe_days(schedule: YearSchedule) -> list[str]:
    """Day by day, what a schedule says: ``2026-02-14 星期六 上班（调休） 春节``."""
    rows: list[tuple[date, str]] = []
    for d, name in schedule.holidays.items():
        rows.append((d, f"{d.isoformat()} {WEEKDAYS_CN[d.weekday()]} 放假 {name}".rstrip()))
    for d, name in schedule.workdays.items():
        rows.append((d, f"{d.isoformat()} {WEEKDAYS_CN[d.weekday()]} 上班（调休） {name}".rstrip()))
    return [text for _, text in sorted(rows)]
