"""The working-day calendar (工作日).

A 工作日 is Monday to Friday unless the State Council's yearly notice makes it a holiday,
plus every Saturday or Sunday that the notice makes a 调休 working day (国务院令第174号第七条;
《全国年节及纪念日放假办法》; regulation.md §6.1).

Data comes from two places, per year:

* the ``chinese-calendar`` package (2004–2026 in 1.11), and
* years loaded by an officer with ``xxgk calendar load`` into ``data_dir()/calendar/YYYY.json``.

**Notice year vs calendar year.** Data is kept per *notice*: the schedule of year Y is what
《国务院办公厅关于Y年部分节假日安排的通知》 says. It names days of Y and, when the 元旦 run starts
in December, the last days of Y−1 (the 2019 notice: 2018-12-29 worked, 12-30/31 off). The day
D is governed by

1. notice D.year+1 when that notice names D (a cross-year 元旦 day), else
2. notice D.year: a named day is a holiday / 调休 working day, any other day is an ordinary
   weekday or weekend.

A loaded notice replaces the package's (or an earlier loaded) notice of the same year as a
whole, so it overrides exactly: the days of its own year that the next notice does not name,
and the days of Y−1 it names (or named before). Loading notice Y therefore never changes a day
of Y−1 it does not speak about, nor the last days of Y that notice Y+1 arranged (loading the 2018
notice leaves 2018-12-29…31 as the 2019 notice made them). chinese-calendar's data, which is
keyed by calendar date, is split into notices the same way: a December day it attributes to
元旦 belongs to the next year's notice.

A day is *known* when the notice of its calendar year is known; the last days of a known year
may still be changed by the next notice (the platform recomputes open cases when a notice is
loaded). A date in a year that has no notice is an error (:class:`CalendarYearMissing`, "2027年节假日安排尚未导入"), never a silent
Monday-to-Friday guess. The guess may be enabled explicitly (``weekday_fallback=True``); every
result computed with it is then flagged (:meth:`WorkCalendar.uses_fallback`).

Counting is done on a precomputed index (ordinal day → number of working days so far, and the
list of working days), so adding N working days is two list look-ups, not a loop.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from xxgk.statute.errors import CalendarDataError, CalendarYearMissing, DateOutOfRange

__all__ = [
    "CalendarYearMissing",
    "DayInfo",
    "DayKind",
    "WorkCalendar",
    "YearSchedule",
    "calendar_dir",
    "format_date",
    "load_calendar",
    "load_schedule_file",
    "missing_years_ahead",
    "package_schedules",
    "save_schedule",
]

WEEKDAYS_CN = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# The index spans these years at least; dates outside are refused as "no data".
_INDEX_FIRST_YEAR = 1990
_INDEX_LAST_YEAR = 2100

#: Flag carried by every result that relied on the Monday-to-Friday guess.
FLAG_WEEKDAY_FALLBACK = "weekday_fallback"


def format_date(d: date) -> str:
    """``2025年10月30日（星期四）`` — the form used in every explanation."""
    return f"{d.year}年{d.month}月{d.day}日（{WEEKDAYS_CN[d.weekday()]}）"


class DayKind(StrEnum):
    """What one day is, for counting and for explanations."""

    WORKDAY = "工作日"
    WEEKEND = "周末"
    HOLIDAY = "节假日"
    SHIFTED_WORKDAY = "调休上班"


@dataclass(frozen=True, slots=True)
class DayInfo:
    """One day as the calendar sees it. ``assumed`` is True under the weekday fallback."""

    day: date
    kind: DayKind
    name: str | None = None
    assumed: bool = False

    @property
    def is_workday(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.SHIFTED_WORKDAY)


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year's 放假安排: the days off and the weekend days worked.

    ``holidays`` holds every day of each holiday run, weekends inside the run included
    (as ``chinese-calendar`` does); ``workdays`` holds the 调休 working days (weekend days
    worked). Names are Chinese (``春节``). A notice may reach into the previous year (the
    2019 元旦 run began on 2018-12-30); such days are kept and applied.
    """

    year: int
    holidays: Mapping[date, str]
    workdays: Mapping[date, str]
    source: str = ""

    def to_json(self) -> dict[str, Any]:
        """The stored form (``data_dir()/calendar/YYYY.json``); also the structured input."""
        return {
            "year": self.year,
            "source": self.source,
            "holidays": {d.isoformat(): n for d, n in sorted(self.holidays.items())},
            "workdays": {d.isoformat(): n for d, n in sorted(self.workdays.items())},
        }

    @classmethod
    def from_json(cls, data: Any, *, where: str = "") -> YearSchedule:
        """Read the structured form; raise :class:`CalendarDataError` with plain words."""
        prefix = f"{where}：" if where else ""
        if not isinstance(data, dict):
            raise CalendarDataError(f"{prefix}应为JSON对象，含 year、holidays、workdays")
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
            raise CalendarDataError(f"{prefix}year 应为1990至2100之间的整数")
        holidays = _read_days(data.get("holidays"), "holidays", prefix)
        workdays = _read_days(data.get("workdays", {}), "workdays", prefix)
        if not holidays:
            raise CalendarDataError(f"{prefix}holidays 为空，不是一年的放假安排")
        both = sorted(set(holidays) & set(workdays))
        if both:
            raise CalendarDataError(f"{prefix}{both[0].isoformat()} 同时列为放假和上班")
        for d in workdays:
            if d.weekday() < 5:
                raise CalendarDataError(
                    f"{prefix}{d.isoformat()} 是{WEEKDAYS_CN[d.weekday()]}，不能列为调休上班日"
                )
        for d in (*holidays, *workdays):
            if not _in_notice_year(d, year):
                raise CalendarDataError(
                    f"{prefix}{d.isoformat()} 不属于{year}年的安排"
                    f"（只能是{year}年或{year - 1}年12月的日期）"
                )
        source = data.get("source", "")
        return cls(year, holidays, workdays, str(source) if source else "")


def _read_days(raw: Any, key: str, prefix: str) -> dict[date, str]:
    if raw is None:
        raise CalendarDataError(f"{prefix}缺少 {key}")
    items: Iterable[tuple[Any, Any]]
    if isinstance(raw, dict):
        items = raw.items()
    elif isinstance(raw, list):
        items = ((d, "") for d in raw)
    else:
        raise CalendarDataError(f"{prefix}{key} 应为日期列表或 日期→名称 对象")
    out: dict[date, str] = {}
    for text, name in items:
        try:
            d = date.fromisoformat(str(text))
        except ValueError:
            raise CalendarDataError(f"{prefix}{key} 中的 {text!r} 不是 YYYY-MM-DD 日期") from None
        out[d] = str(name or "")
    return out


def _in_notice_year(d: date, year: int) -> bool:
    """A notice for ``year`` may name days of ``year`` and of December of ``year - 1``."""
    return d.year == year or (d.year == year - 1 and d.month == 12)


@cache
def package_schedules() -> dict[int, YearSchedule]:
    """The notices shipped in ``chinese-calendar``, by notice year (names in Chinese).

    chinese-calendar keys its data by date; a December day it names 元旦 belongs to the next
    year's notice (the 元旦 run 2018-12-30…2019-01-01 and the worked 2018-12-29 are the 2019
    notice's), unless the package has no data for the next year at all.
    """
    import chinese_calendar
    from chinese_calendar.constants import Holiday, holidays, workdays

    # The package's short names (清明, 端午, 中秋) become the notices' names (清明节, …).
    official = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
    chinese = {h.value: official.get(str(h.chinese), str(h.chinese)) for h in Holiday}
    version = getattr(chinese_calendar, "__version__", "")
    source = f"chinese-calendar {version}".strip()
    calendar_years = {d.year for d in (*holidays, *workdays)}
    new_year = Holiday.new_years_day.value

    def notice_year(d: date, name: str) -> int:
        if d.month == 12 and name == new_year and d.year + 1 in calendar_years:
            return d.year + 1
        return d.year

    by_year: dict[int, tuple[dict[date, str], dict[date, str]]] = {}
    for d, name in holidays.items():
        by_year.setdefault(notice_year(d, name), ({}, {}))[0][d] = chinese.get(name, str(name))
    for d, name in workdays.items():
        by_year.setdefault(notice_year(d, name), ({}, {}))[1][d] = chinese.get(name, str(name))
    return {y: YearSchedule(y, h, w, source) for y, (h, w) in sorted(by_year.items())}


def calendar_dir(data_dir: Path | None = None) -> Path:
    """Where loaded years live: ``<data dir>/calendar``."""
    if data_dir is None:
        from xxgk.paths import data_dir as default_data_dir

        data_dir = default_data_dir()
    return data_dir / "calendar"


def load_schedule_file(path: Path) -> YearSchedule:
    """Read one stored (or structured input) year file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CalendarDataError(f"{path}：无法读取（{exc.__class__.__name__}）") from None
    return YearSchedule.from_json(data, where=str(path))


def save_schedule(schedule: YearSchedule, data_dir: Path | None = None) -> Path:
    """Store a year atomically (temp file + rename): the file is whole or absent, never half."""
    folder = calendar_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{schedule.year}.json"
    text = json.dumps(schedule.to_json(), ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{schedule.year}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def loaded_schedules(data_dir: Path | None = None) -> dict[int, YearSchedule]:
    """Years loaded into the data folder (file name ``YYYY.json``)."""
    folder = calendar_dir(data_dir)
    out: dict[int, YearSchedule] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.json")):
        if not path.stem.isdigit():
            continue
        schedule = load_schedule_file(path)
        if schedule.year != int(path.stem):
            raise CalendarDataError(f"{path}：文件名与 year={schedule.year} 不符")
        out[schedule.year] = schedule
    return out


def load_calendar(data_dir: Path | None = None, *, weekday_fallback: bool = False) -> WorkCalendar:
    """The calendar the platform uses: package data overlaid with loaded years (loaded wins).

    ``data_dir`` is the xxgk data folder (default ``xxgk.paths.data_dir()``); loaded years are
    read from its ``calendar/`` sub-folder.
    """
    schedules = dict(package_schedules())
    schedules.update(loaded_schedules(data_dir))
    return WorkCalendar(schedules, weekday_fallback=weekday_fallback)


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: DayKind
    name: str


class WorkCalendar:
    """Working days for the years it knows; see the module docstring for the rules."""

    def __init__(
        self, schedules: Mapping[int, YearSchedule], *, weekday_fallback: bool = False
    ) -> None:
        self._schedules: dict[int, YearSchedule] = dict(sorted(schedules.items()))
        self.weekday_fallback = weekday_fallback
        self._known_years = frozenset(self._schedules)
        # Own-year days first, then the days a notice names in the previous December: those
        # are governed by the later notice (see the module docstring).
        entries: dict[date, _Entry] = {}
        for cross_year in (False, True):
            for year, schedule in self._schedules.items():
                for days, kind in (
                    (schedule.holidays, DayKind.HOLIDAY),
                    (schedule.workdays, DayKind.SHIFTED_WORKDAY),
                ):
                    for d, name in days.items():
                        if (d.year != year) is cross_year:
                            entries[d] = _Entry(kind, name)
        self._entries = entries
        first = min([_INDEX_FIRST_YEAR, *self._known_years])
        last = max([_INDEX_LAST_YEAR, *self._known_years])
        self._lo = date(first, 1, 1).toordinal()
        self._hi = date(last, 12, 31).toordinal()
        size = self._hi - self._lo + 1
        # cum[i] = working days among the first i days of the index; unknown likewise.
        cum = [0] * (size + 1)
        unknown = [0] * (size + 1)
        work_ords: list[int] = []
        count = 0
        unknown_count = 0
        year_known = False
        current_year = 0
        for i in range(size):
            ordinal = self._lo + i
            d = date.fromordinal(ordinal)
            if d.year != current_year:
                current_year = d.year
                year_known = current_year in self._known_years
            entry = entries.get(d) if year_known else None
            if entry is not None:
                working = entry.kind is DayKind.SHIFTED_WORKDAY
            else:
                working = d.weekday() < 5
            if not year_known:
                unknown_count += 1
            if working:
                count += 1
                work_ords.append(ordinal)
            cum[i + 1] = count
            unknown[i + 1] = unknown_count
        self._cum = cum
        self._unknown = unknown
        self._work_ords = work_ords

    # ----- what the calendar knows -------------------------------------------------------

    def has_year(self, year: int) -> bool:
        """True when the 放假安排 of ``year`` is known (package or loaded)."""
        return year in self._known_years

    def years(self) -> list[int]:
        """The known years, ascending."""
        return sorted(self._known_years)

    def schedule(self, year: int) -> YearSchedule | None:
        """The schedule in force for ``year`` (loaded wins), or None."""
        return self._schedules.get(year)

    def _require_year(self, year: int) -> None:
        if year not in self._known_years and not self.weekday_fallback:
            raise CalendarYearMissing(year)

    def _out_of_range(self, ordinal: int | None) -> DateOutOfRange:
        value = None
        if ordinal is not None:
            value = date.fromordinal(min(max(1, ordinal), date.max.toordinal()))
        return DateOutOfRange(value, date.fromordinal(self._lo), date.fromordinal(self._hi))

    def day_info(self, d: date) -> DayInfo:
        """What ``d`` is: working day, weekend, holiday (with its name) or 调休 working day."""
        if not self._lo <= d.toordinal() <= self._hi:
            raise self._out_of_range(d.toordinal())
        self._require_year(d.year)
        assumed = d.year not in self._known_years
        entry = None if assumed else self._entries.get(d)
        if entry is not None:
            return DayInfo(d, entry.kind, entry.name or None, False)
        kind = DayKind.WORKDAY if d.weekday() < 5 else DayKind.WEEKEND
        return DayInfo(d, kind, None, assumed)

    def is_workday(self, d: date) -> bool:
        """True when ``d`` is a 工作日; raises :class:`CalendarYearMissing` for unknown years."""
        return self.day_info(d).is_workday

    # ----- counting on the index ---------------------------------------------------------

    def _index(self, ordinal: int) -> int:
        i = ordinal - self._lo
        if i < 0 or ordinal > self._hi:
            raise self._out_of_range(ordinal)
        return i

    def check_span(self, after: date, through: date) -> bool:
        """Check that every day in (``after``, ``through``] has data.

        Returns True when the weekday fallback was needed (the result must carry the flag);
        raises :class:`CalendarYearMissing` naming the first missing year otherwise.
        """
        return self._check_span_ord(after.toordinal(), through.toordinal())

    def _check_span_ord(self, after: int, through: int) -> bool:
        if through <= after:
            return False
        a = self._index(after) + 1
        b = self._index(through) + 1
        if self._unknown[b] - self._unknown[a] == 0:
            return False
        if self.weekday_fallback:
            return True
        first = date.fromordinal(after + 1).year
        last = date.fromordinal(through).year
        for year in range(first, last + 1):
            if year not in self._known_years:
                raise CalendarYearMissing(year)
        raise AssertionError("unknown days counted in a known span")  # pragma: no cover

    def uses_fallback(self, after: date, through: date) -> bool:
        """True when (``after``, ``through``] touches a year only guessed as Monday–Friday."""
        if through <= after:
            return False
        first, last = after.year, through.year
        return any(y not in self._known_years for y in range(first, last + 1))

    def workdays_between(self, after: date, through: date) -> int:
        """Number of working days in (``after``, ``through``] (0 when ``through <= after``)."""
        a, b = after.toordinal(), through.toordinal()
        if b <= a:
            return 0
        self._check_span_ord(a, b)
        return self._cum[self._index(b) + 1] - self._cum[self._index(a) + 1]

    def add_workdays(self, start: date, n: int, *, count_start: bool = False) -> date:
        """The ``n``-th working day after ``start`` (``start`` itself not counted).

        With ``count_start=True`` the start day counts as day 1 when it is a working day.
        ``n == 0`` returns ``start``. Raises :class:`CalendarYearMissing` when the counted
        span needs a year with no data and the fallback is off.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return start
        s = start.toordinal()
        after = s - 1 if count_start else s
        due = self._add_ord(after, n)
        self._check_span_ord(after, due)
        return date.fromordinal(due)

    def _add_ord(self, after: int, n: int) -> int:
        k = self._cum[self._index(after) + 1] + n
        if k > len(self._work_ords):
            raise self._out_of_range(None)
        return self._work_ords[k - 1]

    def add_workdays_many(self, starts: Sequence[int], n: int) -> list[int]:
        """Bulk form for recomputing many cases: ordinals in, due ordinals out.

        Same rule as :meth:`add_workdays` (start day not counted). The whole batch is checked
        for missing years once (from the earliest start to the latest due date).
        """
        if not starts:
            return []
        cum = self._cum
        work = self._work_ords
        lo1 = 1 - self._lo
        if min(starts) < self._lo or max(starts) > self._hi:
            bad = min(starts) if min(starts) < self._lo else max(starts)
            raise self._out_of_range(bad)
        try:
            out = [work[cum[s + lo1] + n - 1] for s in starts]
        except IndexError:
            raise self._out_of_range(None) from None
        self._check_span_ord(min(starts), max(out))
        return out

    def notable_days(self, after: date, through: date) -> Iterator[DayInfo]:
        """Holidays and 调休 working days in (``after``, ``through``], for explanations."""
        d = after + timedelta(days=1)
        while d <= through:
            info = self.day_info(d)
            if info.kind in (DayKind.HOLIDAY, DayKind.SHIFTED_WORKDAY):
                yield info
            d += timedelta(days=1)

    def with_schedule(self, schedule: YearSchedule) -> WorkCalendar:
        """This calendar with ``schedule`` in force for its notice year (what a load would do)."""
        return WorkCalendar(
            {**self._schedules, schedule.year: schedule}, weekday_fallback=self.weekday_fallback
        )

    def source_of(self, year: int) -> str:
        """Where the data for ``year`` comes from (package version or loaded file)."""
        schedule = self._schedules.get(year)
        if schedule is None:
            return "无数据" + ("（按周一至周五推定）" if self.weekday_fallback else "")
        return schedule.source or "未注明来源"


@dataclass(frozen=True, slots=True)
class ScheduleDiff:
    """Differences between two schedules of one year (for ``calendar load``'s preview)."""

    only_new: list[tuple[date, str]] = field(default_factory=list)
    only_old: list[tuple[date, str]] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not self.only_new and not self.only_old


def diff_schedules(old: YearSchedule, new: YearSchedule) -> ScheduleDiff:
    """Days on which ``new`` differs from ``old`` (names ignored)."""

    def tagged(s: YearSchedule) -> set[tuple[date, str]]:
        return {(d, "放假") for d in s.holidays} | {(d, "上班") for d in s.workdays}

    a, b = tagged(old), tagged(new)
    return ScheduleDiff(sorted(b - a), sorted(a - b))


@dataclass(frozen=True, slots=True)
class WorkdayChange:
    """One day whose status changes when a notice is loaded (``None``: no data before)."""

    day: date
    before: bool | None
    after: bool

    @staticmethod
    def label(working: bool | None) -> str:
        """工作日 / 休息日 / 无数据."""
        return "无数据" if working is None else ("工作日" if working else "休息日")

    def to_json(self) -> dict[str, Any]:
        """ISO date and the labels."""
        return {
            "date": self.day.isoformat(),
            "before": self.label(self.before),
            "after": self.label(self.after),
        }


def workday_changes(before: WorkCalendar, after: WorkCalendar, year: int) -> list[WorkdayChange]:
    """Days of December ``year - 1`` … December ``year`` whose working status differs.

    This is what loading notice ``year`` really changes (see "notice year vs calendar year");
    days of years without data in ``before`` are reported with ``before=None``.
    """
    out: list[WorkdayChange] = []
    d = max(date(year - 1, 12, 1), date(_INDEX_FIRST_YEAR, 1, 1))
    last = date(year, 12, 31)
    while d <= last:
        now = after.is_workday(d) if after.has_year(d.year) else None
        was = before.is_workday(d) if before.has_year(d.year) else None
        if now is not None and now != was:
            out.append(WorkdayChange(d, was, now))
        d += timedelta(days=1)
    return out


def missing_years_ahead(cal: WorkCalendar, today: date, horizon_days: int = 120) -> list[int]:
    """Years between ``today`` and ``today + horizon_days`` with no 放假安排 loaded.

    For the platform's start-up check and reminders: the longest statutory clock (20 + 20
    working days plus pauses) reaches about two months ahead, so a case received in November
    already needs next year's data. Time is an argument (never ``now()``).
    """
    last = today + timedelta(days=horizon_days)
    return [y for y in range(today.year, last.year + 1) if not cal.has_year(y)]
