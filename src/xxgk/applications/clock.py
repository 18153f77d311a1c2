"""The clock of every case, from the statute package (条例第三十条、第三十一条、第三十三条).

* One :class:`~xxgk.statute.calendar.WorkCalendar` per process, built once (20–30 ms) and
  rebuilt only when the calendar folder changes (its files' names, sizes and mtimes).
* The calendar's **fingerprint** (SHA-256 of every year's schedule in force) is stored on each
  case it computed and in :class:`~xxgk.applications.models.CalendarState`. When the loaded
  calendar differs from the stored one — a new or corrected 放假安排 was loaded — every open
  case is recomputed (:func:`ensure_clocks_current`): by the daily job, when a process first
  builds its calendar (it enqueues the job), and explicitly with
  ``xxgk manage recompute_deadlines``.
* A due date that crosses a year with no holiday data is computed Monday–Friday and flagged
  ``weekday_fallback``; the UI says so (never silently). Loading the year changes the
  fingerprint, so the case is recomputed with real data.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone

from xxgk.paths import data_dir
from xxgk.statute.calendar import WorkCalendar, calendar_dir, load_calendar
from xxgk.statute.errors import CalendarYearMissing, StatuteError
from xxgk.statute.periods import CaseDeadlines, DateResult, case_deadlines, receipt_date

log = logging.getLogger(__name__)

FLAG_FALLBACK = "weekday_fallback"


@dataclass(frozen=True)
class Calendars:
    strict: WorkCalendar
    fallback: WorkCalendar
    fingerprint: str
    stamp: tuple[Any, ...]


_lock = threading.Lock()
_current: Calendars | None = None


def _folder_stamp(folder: Path) -> tuple[Any, ...]:
    try:
        entries = sorted(folder.glob("*.json"))
    except OSError:
        return ()
    out = []
    for p in entries:
        try:
            st = p.stat()
        except OSError:
            continue
        out.append((p.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def calendar_fingerprint(cal: WorkCalendar) -> str:
    """SHA-256 of every year's schedule in force (package years overlaid with loaded ones)."""
    digest = hashlib.sha256()
    for year in cal.years():
        schedule = cal.schedule(year)
        data = schedule.to_json() if schedule is not None else {}
        digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def calendars(*, check_state: bool = True) -> Calendars:
    """The process's calendars, rebuilt when the calendar folder changed.

    On a (re)build it compares the fingerprint with the stored one and, if they differ,
    enqueues the recomputation of every open case (``check_state=False`` skips that).
    """
    global _current
    folder = calendar_dir(data_dir())
    stamp = _folder_stamp(folder)
    current = _current
    if current is not None and current.stamp == stamp:
        return current
    with _lock:
        if _current is not None and _current.stamp == stamp:
            return _current
        strict = load_calendar(data_dir())
        fallback = load_calendar(data_dir(), weekday_fallback=True)
        _current = Calendars(strict, fallback, calendar_fingerprint(strict), stamp)
        built = _current
    if check_state:
        _enqueue_if_stale(built.fingerprint)
    return built


def reset_cache() -> None:
    """Forget the cached calendars (tests; after loading a year in-process)."""
    global _current
    with _lock:
        _current = None


def _enqueue_if_stale(fingerprint: str) -> None:
    from xxgk.applications.models import CalendarState

    try:
        # A savepoint: a database error here must not poison a caller's transaction.
        with transaction.atomic():
            stored = CalendarState.objects.filter(key="default").values_list(
                "fingerprint", flat=True
            )
            if list(stored) != [fingerprint]:
                from xxgk.applications.tasks import recompute_clocks

                recompute_clocks.enqueue()
    except DatabaseError:  # no tables yet (before migrate) or database away: the job will do it
        log.warning("applications: could not compare the calendar fingerprint")


def deadline_inputs(application: Any) -> dict[str, Any]:
    """The arguments of :func:`~xxgk.statute.periods.case_deadlines` for one case.

    Part 2 (补正, 征求意见, 延期) adds its facts here: ``correction_received_on``,
    ``pauses``, ``extension_days``, ``fee_periods``.
    """
    kwargs: dict[str, Any] = {}
    for name in ("correction_received_on", "extension_days"):
        value = getattr(application, name, None)
        if value is not None:
            kwargs[name] = value
    pauses = getattr(application, "clock_pauses", None)
    if callable(pauses):
        kwargs["pauses"] = pauses()
    fees = getattr(application, "fee_periods", None)
    if callable(fees):
        kwargs["fee_periods"] = fees()
    return kwargs


def add_workdays(start: date, n: int, cals: Calendars | None = None) -> tuple[date, bool]:
    """The ``n``-th working day after ``start`` (start not counted); True when the weekday
    fallback had to be used (a year without holiday data). Used for the agency-set 补正 period
    (条例第三十条：合理的补正期限), which the statute package does not fix."""
    cals = cals or calendars()
    try:
        return cals.strict.add_workdays(start, n), False
    except CalendarYearMissing:
        return cals.fallback.add_workdays(start, n), True


def run_with_fallback(fn: Any, *args: Any, cals: Calendars | None = None) -> tuple[Any, bool]:
    """``fn(*args, calendar)`` of :mod:`xxgk.statute.periods` with the strict calendar, else
    the weekday fallback (flagged True)."""
    cals = cals or calendars()
    try:
        return fn(*args, cals.strict), False
    except CalendarYearMissing:
        return fn(*args, cals.fallback), True


def compute(application: Any, cals: Calendars | None = None) -> tuple[CaseDeadlines, bool]:
    """The statute's deadlines for a case with a receipt date; True when the weekday
    fallback had to be used (a year without holiday data)."""
    cals = cals or calendars()
    kwargs = deadline_inputs(application)
    try:
        return case_deadlines(application.received_on, cals.strict, **kwargs), False
    except CalendarYearMissing:
        return case_deadlines(application.received_on, cals.fallback, **kwargs), True


CLOCK_FIELDS = [
    "correction_notice_due",
    "answer_due",
    "effective_due",
    "clock_flags",
    "calendar_fingerprint",
    "clock_error",
]


def apply_clock(application: Any, cals: Calendars | None = None) -> None:
    """Fill the stored clock fields of ``application`` (not saved; see ``CLOCK_FIELDS``)."""
    cals = cals or calendars()
    application.calendar_fingerprint = cals.fingerprint
    if application.received_on is None:
        application.correction_notice_due = application.answer_due = None
        application.effective_due = None
        application.clock_flags = []
        application.clock_error = ""
        return
    try:
        result, _ = compute(application, cals)
    except StatuteError as exc:
        application.clock_error = str(exc)[:200]
        return
    application.correction_notice_due = result.correction_notice_due.due
    application.answer_due = result.answer_due.due
    application.effective_due = (result.extended_due or result.answer_due).due
    deferred = getattr(application, "deferred_due", None)
    if deferred is not None and application.effective_due is not None:
        # 条例第三十五条: the agency set a later, reasonable answer date and told the applicant
        application.effective_due = max(application.effective_due, deferred)
    if getattr(application, "status", None) == "correction":
        # 条例第三十条: waiting for the corrected application — no answer period runs; it
        # restarts from zero on the day the corrected application is received.
        application.effective_due = None
    application.clock_flags = sorted(result.flags)
    application.clock_error = ""


def receipt_result(application: Any) -> DateResult | None:
    """条例第三十一条 via :func:`xxgk.statute.periods.receipt_date` (with its explanation);
    None while the date is not fixed yet (no confirmation / no signing date)."""
    try:
        return receipt_date(
            application.statute_channel,
            submitted_on=timezone.localtime(application.submitted_at).date(),
            signed_on=application.signed_on,
            arrived_on=application.arrived_on,
            confirmed_on=application.confirmed_on,
        )
    except StatuteError:
        return None


def receipt_for(application: Any) -> date | None:
    """The receipt date (收到申请之日) of :func:`receipt_result`, or None."""
    result = receipt_result(application)
    return result.value if result is not None else None


def days_left(due: date | None, today: date, cals: Calendars | None = None) -> int | None:
    """Working days from ``today`` to ``due`` (0 = due today; negative = overdue by that many)."""
    if due is None:
        return None
    cals = cals or calendars()
    cal = cals.strict
    try:
        if due >= today:
            return cal.workdays_between(today, due)
        return -cal.workdays_between(due, today)
    except CalendarYearMissing:
        cal = cals.fallback
        if due >= today:
            return cal.workdays_between(today, due)
        return -cal.workdays_between(due, today)


def recompute_open_cases(*, batch: int = 500) -> int:
    """Recompute the stored clock of every open case with a receipt date; returns how many.

    Rows are locked batch by batch (``select_for_update``) so a concurrent operation on a
    case cannot interleave with its recomputation.
    """
    from xxgk.applications.models import Application, CalendarState

    cals = calendars(check_state=False)
    ids = list(
        Application.objects.open()
        .filter(received_on__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for i in range(0, len(ids), batch):
        with transaction.atomic():
            rows = list(
                Application.objects.select_for_update()
                .filter(pk__in=ids[i : i + batch])
                .prefetch_related("consultations")
            )
            for row in rows:
                apply_clock(row, cals)
            Application.objects.bulk_update(rows, CLOCK_FIELDS)
            done += len(rows)
    CalendarState.objects.update_or_create(
        key="default",
        defaults={"fingerprint": cals.fingerprint, "recomputed_at": timezone.now(), "cases": done},
    )
    return done


def ensure_clocks_current(
    *, force: bool = False, actor: Any = None, request: Any = None, via: str = "job"
) -> int | None:
    """Recompute every open case if the calendar changed since the last recomputation (or
    ``force``). Returns the number recomputed, or None when nothing had to be done.

    Audit-logged as ``application.recompute_clocks`` (by ``actor``, or the system)."""
    from xxgk import audit
    from xxgk.applications.models import CalendarState

    cals = calendars(check_state=False)
    stored = CalendarState.objects.filter(key="default").first()
    if not force and stored is not None and stored.fingerprint == cals.fingerprint:
        return None
    done = recompute_open_cases()
    label = (
        {}
        if getattr(actor, "is_authenticated", False)
        else {"actor_label": "系统（节假日安排变更）"}
    )
    audit.record(
        actor,
        "application.recompute_clocks",
        request=request,
        **label,
        cases=done,
        via=via,
        forced=force,
        calendar=cals.fingerprint[:12],
        previous=stored.fingerprint[:12] if stored is not None else None,
    )
    return done
