"""Benchmark: answer due dates (条例第三十三条, 20 working days) for 1 000 000 synthetic cases.

Receipt dates are spread uniformly over 2019-01-01 … 2026-11-30 (fixed seed). Prints, in one
run, the rate of

* the bulk form ``WorkCalendar.add_workdays_many`` (what a recompute job uses when a new
  holiday notice arrives),
* the single-date form ``WorkCalendar.add_workdays`` on every case,
* the full ``answer_deadline`` (with its Chinese explanation) on a sample,
* a naive day-by-day loop over ``chinese_calendar.is_workday`` on a sample, and the same
  loop over ``WorkCalendar.is_workday`` (no index),

and checks that all of them agree. Target: 1 000 000 due dates in < 2 s on one core and more
than 20× the naive loop.

    uv run python benchmarks/statute.py [--cases N] [--sample N]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

from xxgk.statute.calendar import WorkCalendar, load_calendar
from xxgk.statute.periods import ANSWER_DAYS, answer_deadline


def naive_due(received: date, n: int) -> date:
    d = received
    while n:
        d += timedelta(days=1)
        if chinese_calendar.is_workday(d):
            n -= 1
    return d


def naive_due_on(cal: WorkCalendar, received: date, n: int) -> date:
    d = received
    while n:
        d += timedelta(days=1)
        if cal.is_workday(d):
            n -= 1
    return d


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=10_000)
    args = parser.parse_args()

    rng = random.Random(20261129)
    lo, hi = date(2019, 1, 1).toordinal(), date(2026, 11, 30).toordinal()
    ordinals = [rng.randint(lo, hi) for _ in range(args.cases)]
    dates = [date.fromordinal(o) for o in ordinals]
    sample = dates[: args.sample]

    t = time.perf_counter()
    cal = load_calendar(Path("/nonexistent-xxgk-data"))  # package data only: reproducible
    t_load = time.perf_counter() - t

    t = time.perf_counter()
    bulk = cal.add_workdays_many(ordinals, ANSWER_DAYS)
    t_bulk = time.perf_counter() - t

    t = time.perf_counter()
    single = [cal.add_workdays(d, ANSWER_DAYS) for d in dates]
    t_single = time.perf_counter() - t

    t = time.perf_counter()
    full = [answer_deadline(d, cal).due for d in sample]
    t_full = time.perf_counter() - t

    t = time.perf_counter()
    naive = [naive_due(d, ANSWER_DAYS) for d in sample]
    t_naive = time.perf_counter() - t

    t = time.perf_counter()
    naive_own = [naive_due_on(cal, d, ANSWER_DAYS) for d in sample]
    t_naive_own = time.perf_counter() - t

    assert [date.fromordinal(o) for o in bulk] == single
    assert single[: len(sample)] == full == naive == naive_own

    def rate(n: int, s: float) -> float:
        return n / s if s else float("inf")

    r_bulk = rate(args.cases, t_bulk)
    r_single = rate(args.cases, t_single)
    r_full = rate(len(sample), t_full)
    r_naive = rate(len(sample), t_naive)
    print(f"cases: {args.cases:,} receipt dates 2019-01-01..2026-11-30; sample {len(sample):,}")
    print(f"calendar load + index build          {t_load * 1000:8.1f} ms")
    print(f"bulk add_workdays_many   {args.cases:>9,}  {t_bulk:7.3f} s  {r_bulk:12,.0f} /s")
    print(f"single add_workdays      {args.cases:>9,}  {t_single:7.3f} s  {r_single:12,.0f} /s")
    print(f"answer_deadline+explain  {len(sample):>9,}  {t_full:7.3f} s  {r_full:12,.0f} /s")
    print(f"naive day-by-day loop    {len(sample):>9,}  {t_naive:7.3f} s  {r_naive:12,.0f} /s")
    r_naive_own = rate(len(sample), t_naive_own)
    print(
        f"naive loop, own calendar {len(sample):>9,}  {t_naive_own:7.3f} s  {r_naive_own:12,.0f} /s"
    )
    print(f"speed-up bulk/naive   {r_bulk / r_naive:8.0f}x")
    print(f"speed-up single/naive {r_single / r_naive:8.0f}x")
    print(f"speed-up single/naive loop on own calendar {r_single / r_naive_own:8.0f}x")
    print("all methods agree on every compared case: yes")


if __name__ == "__main__":
    main()
