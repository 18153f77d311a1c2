"""The error types of the statute package.

Every message is plain Chinese, stable enough to assert on, and safe to show to an officer.
The CLI turns any :class:`StatuteError` into exit status 2.
"""

from __future__ import annotations

from datetime import date


class StatuteError(Exception):
    """Base class: input the statute package cannot compute with."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class CalendarYearMissing(StatuteError):
    """A date falls in a year for which no 放假安排 is known (and no fallback was enabled)."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"{year}年节假日安排尚未导入")


class DateOutOfRange(StatuteError):
    """A date outside the span the calendar can count on (1990–2100 by default).

    Not a :class:`CalendarYearMissing`: loading a notice cannot fix it (``0001-01-01`` or
    ``9999-12-31`` is a typing error, not a year waiting for its 放假安排).
    """

    def __init__(self, value: date | None, first: date, last: date) -> None:
        self.value = value
        self.first = first
        self.last = last
        what = f"日期{value.isoformat()}" if value is not None else "计算结果"
        super().__init__(f"{what}超出支持的日期范围（{first.isoformat()}至{last.isoformat()}）")


class CalendarDataError(StatuteError):
    """A structured calendar file (ours or an officer's) that is not valid."""


class NoticeParseError(StatuteError):
    """A State Council holiday notice that cannot be fully accounted for.

    ``line`` is the 1-based line number in the notice text when the problem is on one line.
    """

    def __init__(self, message: str, line: int | None = None, text: str | None = None) -> None:
        where = f"第{line}行" if line is not None else ""
        quoted = f"「{text}」" if text else ""
        full = f"{where}{quoted}：{message}" if where or quoted else message
        super().__init__(full)
        self.line = line
        self.text = text
        self.reason = message


class PeriodError(StatuteError):
    """Arguments to a period rule that the Regulation does not allow (e.g. extension > 20)."""
