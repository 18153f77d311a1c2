"""The worker loop: claim one queued task at a time, run it, record the outcome.

Claiming is django-tasks-db's: inside a transaction, ``SELECT … FOR UPDATE SKIP LOCKED``
the next ready row (PostgreSQL), or take SQLite's write lock with ``BEGIN EXCLUSIVE``, then
mark it RUNNING with this worker's id before the transaction ends. A row is therefore handed
to exactly one worker, however many run on however many machines.

Two ways to run it:

- ``xxgk worker`` (:func:`run_worker` in the main thread) for production, one or more per
  machine;
- :func:`start_in_process_worker` — a daemon thread that ``xxgk serve`` starts, so the
  embedded default needs no second process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django_tasks import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_QUEUE_NAME,
    TaskContext,
    TaskResultStatus,
)
from django_tasks.signals import task_finished, task_started
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from xxgk.jobs.models import WorkerHeartbeat
from xxgk.jobs.scheduler import enqueue_due

logger = logging.getLogger("xxgk.jobs")

#: How often (seconds) a worker looks at the clock for due daily jobs and lost tasks.
SCHEDULE_EVERY = 30.0
#: How often (seconds) a worker renews its heartbeat (from a thread beside the loop).
HEARTBEAT_EVERY = 30.0
#: A RUNNING task whose worker has not renewed its heartbeat for this long is marked failed.
LOST_AFTER = timedelta(minutes=5)


class WorkerLost(Exception):
    """The worker running this task stopped sending heartbeats (killed, machine lost)."""


class QueueBusy(Exception):
    """SQLite's write lock could not be had in time: the queue is not empty, just busy."""


def new_worker_id() -> str:
    """A worker id unique across machines: host, process and a random part (≤ 64 chars)."""
    host = socket.gethostname()[:30]
    return f"{host}-{os.getpid()}-{uuid.uuid4().hex[:12]}"


def beat(worker_id: str) -> None:
    """Record that ``worker_id`` is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen": timezone.now(), "host": socket.gethostname(), "pid": os.getpid()},
    )


def _heartbeat_loop(worker_id: str, stop: threading.Event, every: float) -> None:
    # Its own thread, so a long task does not make its worker look dead.
    try:
        while not stop.wait(every):
            try:
                beat(worker_id)
            except DatabaseError:
                logger.warning("worker %s: heartbeat not stored, retrying", worker_id)
                connection.close()
    finally:
        connection.close()


def recover_lost_tasks(now: datetime | None = None) -> list[str]:
    """Mark failed the RUNNING tasks whose worker has been silent for :data:`LOST_AFTER`.

    Failed, not re-queued: a task that may have half run (a reminder half sent) must not run
    again without a person deciding so. The update is conditional on the row still being
    RUNNING, so sweeps from several workers at once are harmless. Returns the task ids.
    """
    now = now or timezone.now()
    cutoff = now - LOST_AFTER
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True)
    )
    lost: list[str] = []
    stale = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    for row in stale.only("id", "worker_ids", "task_path"):
        owner = row.worker_ids[-1] if row.worker_ids else ""
        if owner in alive:
            continue
        updated = DBTaskResult.objects.filter(id=row.id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=(
                f"WorkerLost: worker {owner or '?'} sent no heartbeat since before "
                f"{timezone.localtime(cutoff).isoformat(timespec='seconds')}; the task may "
                "have run in part. Re-enqueue it by hand if that is safe.\n"
            ),
        )
        if updated:
            lost.append(str(row.id))
            logger.warning("task %s (%s): worker %s lost", row.id, row.task_path, owner)
    WorkerHeartbeat.objects.filter(last_seen__lt=now - timedelta(days=1)).delete()
    return lost


@dataclass
class WorkerStats:
    """What one worker did: tasks run and daily jobs it enqueued."""

    worker_id: str
    ran: int = 0
    failed: int = 0
    scheduled: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)


def claim_next(
    worker_id: str,
    *,
    queue_names: Sequence[str] = (DEFAULT_TASK_QUEUE_NAME,),
    backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
) -> DBTaskResult | None:
    """Claim the next ready task for this worker, or return None if there is none.

    The claimed row is RUNNING with ``worker_id`` appended to its ``worker_ids`` before the
    lock is released, so no other worker can claim it. Raises :class:`QueueBusy` when
    SQLite stays locked past its busy timeout (try again; a ``--batch`` worker must not take
    that for an empty queue).
    """
    tasks = DBTaskResult.objects.ready().filter(backend_name=backend_name)
    if "*" not in queue_names:
        tasks = tasks.filter(queue_name__in=list(queue_names))
    # A plain read first: an idle worker must not take SQLite's write lock every second.
    if not tasks.exists():
        return None
    try:
        with exclusive_transaction(tasks.db):
            claimed = tasks.get_locked()
            if claimed is not None:
                claimed.claim(worker_id)
    except OperationalError as exc:
        if is_locked_database_exception(exc):
            raise QueueBusy(str(exc)) from exc
        raise
    return claimed


def run_claimed(db_result: DBTaskResult) -> bool:
    """Run a claimed task and store its outcome; True if it succeeded.

    Only the task's name and id are logged, never its arguments: they may carry an
    applicant's personal data.
    """
    try:
        job = db_result.task
        result = db_result.task_result
        backend_type = type(job.get_backend())
        task_started.send(sender=backend_type, task_result=result)
        if job.takes_context:
            value = job.call(TaskContext(task_result=result), *result.args, **result.kwargs)
        else:
            value = job.call(*result.args, **result.kwargs)
        db_result.set_successful(value)
        task_finished.send(sender=backend_type, task_result=db_result.task_result)
        return True
    except BaseException as exc:
        # BaseException too: a worker interrupted mid-task records the task as failed
        # instead of leaving it RUNNING for ever; the interrupt is then re-raised.
        db_result.set_failed(exc)
        logger.error(
            "task %s (%s) failed: %s",
            db_result.id,
            db_result.task_path,
            type(exc).__name__,
        )
        # A task whose code is gone (ImportError) has no backend to announce the result to.
        with contextlib.suppress(ImportError, SuspiciousOperation):
            task_finished.send(
                sender=type(db_result.task.get_backend()), task_result=db_result.task_result
            )
        if not isinstance(exc, Exception):
            raise
        return False


def run_worker(
    *,
    queue_names: Sequence[str] = (DEFAULT_TASK_QUEUE_NAME,),
    backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
    interval: float = 1.0,
    batch: bool = False,
    max_tasks: int | None = None,
    schedule: bool = True,
    worker_id: str | None = None,
    stop: threading.Event | None = None,
) -> WorkerStats:
    """Run tasks until ``stop`` is set (or, with ``batch``, until the queue is empty).

    With ``schedule`` the worker also enqueues due daily jobs and marks tasks of lost
    workers failed (at start, then every :data:`SCHEDULE_EVERY` seconds). ``max_tasks``
    ends the worker after that many tasks. Database errors (a restart, a dropped
    connection) are logged and retried after ``interval``; they do not end the worker.
    """
    stats = WorkerStats(worker_id=worker_id or new_worker_id())
    stop = stop or threading.Event()
    heartbeat_stop = threading.Event()
    try:
        beat(stats.worker_id)
    except DatabaseError:
        logger.warning("worker %s: first heartbeat not stored", stats.worker_id)
        connection.close()
    heartbeat = threading.Thread(
        target=_heartbeat_loop,
        args=(stats.worker_id, heartbeat_stop, HEARTBEAT_EVERY),
        name=f"xxgk-heartbeat-{stats.worker_id}",
        daemon=True,
    )
    heartbeat.start()
    logger.info("worker %s started (queues %s)", stats.worker_id, ",".join(queue_names))
    try:
        _loop(stats, stop, queue_names, backend_name, interval, batch, max_tasks, schedule)
    finally:
        heartbeat_stop.set()
        heartbeat.join(10)
        # If this fails the sweep ignores the heartbeat anyway once it is LOST_AFTER old.
        with contextlib.suppress(DatabaseError):
            WorkerHeartbeat.objects.filter(worker_id=stats.worker_id).delete()
        close_old_connections()
    logger.info("worker %s stopped: %d ran, %d failed", stats.worker_id, stats.ran, stats.failed)
    return stats


def _loop(
    stats: WorkerStats,
    stop: threading.Event,
    queue_names: Sequence[str],
    backend_name: str,
    interval: float,
    batch: bool,
    max_tasks: int | None,
    schedule: bool,
) -> None:
    next_tick = 0.0
    while not stop.is_set():
        close_old_connections()
        if schedule and time.monotonic() >= next_tick:
            next_tick = time.monotonic() + SCHEDULE_EVERY
            try:
                stats.recovered.extend(recover_lost_tasks())
                stats.scheduled.extend(enqueue_due())
            except Exception:
                # A broken daily job (or a database hiccup) must not stop the queue.
                logger.exception("worker %s: scheduling daily jobs failed", stats.worker_id)
                connection.close()
        try:
            claimed = claim_next(
                stats.worker_id, queue_names=queue_names, backend_name=backend_name
            )
        except QueueBusy:
            stop.wait(0.05)
            continue
        except DatabaseError:
            logger.exception("worker %s: database error, retrying", stats.worker_id)
            connection.close()
            stop.wait(max(interval, 0.1))
            continue
        if claimed is not None:
            try:
                succeeded = run_claimed(claimed)
            except DatabaseError:
                # The outcome could not be stored (after django-tasks-db's own retries): the
                # row stays RUNNING until this worker exits and the lost-worker sweep fails it.
                logger.exception("worker %s: could not record task %s", stats.worker_id, claimed.id)
                connection.close()
                succeeded = False
            if succeeded:
                stats.ran += 1
            else:
                stats.failed += 1
            if max_tasks is not None and stats.ran + stats.failed >= max_tasks:
                break
            continue
        if batch:
            break
        stop.wait(interval)


@dataclass
class InProcessWorker:
    """Handle on the worker thread that ``xxgk serve`` runs."""

    thread: threading.Thread
    stop_event: threading.Event

    def stop(self, timeout: float | None = 10.0) -> None:
        """Ask the thread to finish its current task and wait for it."""
        self.stop_event.set()
        self.thread.join(timeout)


_in_process: InProcessWorker | None = None
_in_process_lock = threading.Lock()


def start_in_process_worker(*, interval: float = 1.0) -> InProcessWorker:
    """Start (once per process) a daemon thread running :func:`run_worker` on all queues.

    Meant for ``xxgk serve``: one process, SQLite or PostgreSQL, no second command. Safe on
    SQLite because the thread has its own connection, only takes the write lock when a task
    is ready, and a busy database is retried rather than fatal. Calling it again returns
    the running worker.
    """
    global _in_process
    with _in_process_lock:
        if _in_process is not None and _in_process.thread.is_alive():
            return _in_process
        stop_event = threading.Event()

        def main() -> None:
            try:
                run_worker(queue_names=("*",), interval=interval, stop=stop_event)
            except Exception:  # pragma: no cover - last resort, keep the server up
                logger.exception("in-process worker crashed")
            finally:
                connection.close()

        thread = threading.Thread(target=main, name="xxgk-worker", daemon=True)
        thread.start()
        _in_process = InProcessWorker(thread=thread, stop_event=stop_event)
        return _in_process
