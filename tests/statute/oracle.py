"""An independent oracle for the tests: day-by-day counting on chinese-calendar itself.

Deliberately naive and separate from ``xxgk.statute.calendar`` (no index, no loaded data), so a
bug in the index cannot hide behind the same bug in the expectation.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


def is_workday(d: date) -> bool:
    return bool(chinese_calendar.is_workday(d))


def add_workdays(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` not counted)."""
    d = start
    while n > 0:
        d += timedelta(days=1)
        if is_workday(d):
            n -= 1
    return d


def workdays_between(after: date, through: date) -> int:
    """Working days in (after, through]."""
    count = 0
    d = after + timedelta(days=1)
    while d <= through:
        count += is_workday(d)
        d += timedelta(days=1)
    return count
