"""The error types of the statute package.

Every message is plain Chinese, stable enough to assert on, and safe to show to an officer.
The CLI turns any :class:`StatuteError` into exit status 2.
"""

from __future__ import annotations


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
