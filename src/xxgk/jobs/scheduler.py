"""Daily jobs: a small registry and the scheduler tick every worker runs.

Declare a daily job in an app's ``tasks`` module::

    @daily("prune-task-results", at=time(3, 0))
    def prune_task_results(day: str) -> int:
        ...

The function becomes an ordinary Django task (so it can also be enqueued by hand) and gets
the local day it runs for as an ISO date string. Every worker calls :func:`enqueue_due` now
and then; a job is enqueued at most once per local day, however many workers there are,
because the (job, day) row in :class:`~xxgk.jobs.models.DailyRun` is claimed by INSERT.

A job is due once its ``at`` time has passed on the local day (``TIME_ZONE``). If no worker
ran that day at all, the day is not caught up later: a daily job must therefore look at the
state of the data ("every case due tomorrow"), not at "what happened since yesterday".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_QUEUE_NAME, task
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task

logger = logging.getLogger("xxgk.jobs")

JOB_NAME_MAX = 100


@dataclass(frozen=True)
class DailyJob:
    """A task enqueued once a day, at or after ``at`` local time, with the day as argument."""

    name: str
    at: time
    task: Task[Any, Any]


_registry: dict[str, DailyJob] = {}


def daily(
    name: str,
    *,
    at: time,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
) -> Callable[[Callable[[str], Any]], Task[Any, Any]]:
    """Decorator: make ``func(day: str)`` a task and enqueue it once per local day after ``at``."""

    def wrap(func: Callable[[str], Any]) -> Task[Any, Any]:
        job_task: Task[Any, Any] = task(priority=priority, queue_name=queue_name)(func)
        register_daily(name, at=at, job_task=job_task)
        return job_task

    return wrap


def register_daily(name: str, *, at: time, job_task: Task[Any, Any]) -> DailyJob:
    """Add a daily job to the registry; a name may be taken by one task only."""
    if not name or len(name) > JOB_NAME_MAX:
        raise ValueError(f"daily job name must be 1 to {JOB_NAME_MAX} characters: {name!r}")
    if at.tzinfo is not None:
        raise ValueError(f"daily job {name!r}: give a naive local time, not {at!r}")
    existing = _registry.get(name)
    if existing is not None and existing.task.module_path != job_task.module_path:
        raise ValueError(f"daily job name {name!r} is already used by {existing.task.module_path}")
    job = DailyJob(name=name, at=at, task=job_task)
    _registry[name] = job
    return job


def unregister_daily(name: str) -> None:
    """Remove a daily job (for tests that register their own)."""
    _registry.pop(name, None)


def daily_jobs() -> list[DailyJob]:
    """The registered daily jobs, by name."""
    return [_registry[name] for name in sorted(_registry)]


def due_jobs(jobs: Iterable[DailyJob], local_now: datetime) -> list[DailyJob]:
    """The jobs whose time of day has come on ``local_now``'s date (a local, naive-or-aware time)."""
    now_time = local_now.time().replace(tzinfo=None)
    return [job for job in jobs if job.at <= now_time]


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every daily job that is due today and not yet enqueued today; return their names.

    Safe to call from any number of workers at once: the (job, day) row is inserted and the
    task enqueued in one transaction, and only one INSERT per (job, day) can succeed.
    """
    from xxgk.jobs.models import DailyRun

    local_now = timezone.localtime(now if now is not None else timezone.now())
    day = local_now.date()
    enqueued: list[str] = []
    for job in due_jobs(daily_jobs(), local_now):
        if DailyRun.objects.filter(job=job.name, day=day).exists():
            continue  # the common case: a cheap read, no failed INSERT
        if claim_and_enqueue(job, day):
            enqueued.append(job.name)
    return enqueued


def claim_and_enqueue(job: DailyJob, day: date) -> bool:
    """Claim (job, day) by INSERT and enqueue the task in the same transaction.

    False if the day was already claimed: then nothing is enqueued (the transaction is
    rolled back whole).
    """
    from xxgk.jobs.models import DailyRun

    try:
        with transaction.atomic():
            run = DailyRun.objects.create(job=job.name, day=day)
            result = job.task.enqueue(day.isoformat())
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id"])
    except IntegrityError:
        # Another worker claimed this (job, day) between our read and our INSERT.
        return False
    logger.info("daily job %s enqueued for %s (task %s)", job.name, day.isoformat(), result.id)
    return True
