"""``xxgk worker``: run a background worker (see docs/jobs.md)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from typing import Any

from xxgk.cli import UsageError


def register(subparsers: Any) -> None:
    worker = subparsers.add_parser(
        "worker",
        help="run a background worker: claims queued jobs and enqueues daily jobs",
        description=(
            "Run a background worker. Any number may run at once, on one machine or many, "
            "against the same PostgreSQL database: each job is claimed by exactly one."
        ),
    )
    worker.add_argument(
        "--queue",
        default="*",
        help="comma-separated queue names to take jobs from, or * for all (default: *)",
    )
    worker.add_argument(
        "--interval",
        default="1",
        help="seconds to wait when the queue is empty (default: 1)",
    )
    worker.add_argument(
        "--batch", action="store_true", help="run the jobs already queued, then exit"
    )
    worker.add_argument("--max-tasks", default=None, help="exit after running this many jobs")
    worker.add_argument(
        "--no-schedule",
        dest="schedule",
        action="store_false",
        help="do not enqueue daily jobs from this worker",
    )
    worker.add_argument("--worker-id", default=None, help="unique id (default: host-pid-random)")
    worker.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    worker.set_defaults(func=cmd_worker)


def _positive_float(text: str, option: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{option} must be a number of seconds, not {text!r}") from None
    if not (value > 0 and value < 3600):
        raise UsageError(f"{option} must be more than 0 and less than 3600 seconds")
    return value


def _positive_int(text: str, option: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"{option} must be a whole number, not {text!r}") from None
    if value <= 0:
        raise UsageError(f"{option} must be at least 1")
    return value


def _require_job_tables() -> None:
    """A worker on an unreachable or unmigrated database says so in plain words."""
    from django.db import DatabaseError, connection
    from django_tasks_db.models import DBTaskResult

    from xxgk.jobs.models import DailyRun

    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError as exc:
        raise UsageError(f"cannot reach the database: {exc}".strip()) from None
    finally:
        connection.close()
    missing = {DBTaskResult._meta.db_table, DailyRun._meta.db_table} - tables
    if missing:
        raise UsageError("the database has no job tables yet; run `xxgk manage migrate` first")


def _run_startup_checks() -> None:
    """Our system checks (holiday data, time zone, data folder): print all, stop on errors."""
    from django.core import checks

    messages = checks.run_checks(tags=["xxgk"])
    for message in messages:
        print(f"xxgk worker: {message}", file=sys.stderr)
    if any(message.is_serious() for message in messages):
        raise UsageError("fix the errors above before starting a worker")


def cmd_worker(args: argparse.Namespace) -> int:
    """Run a worker until SIGINT/SIGTERM (the current job is finished first)."""
    interval = _positive_float(args.interval, "--interval")
    max_tasks = None if args.max_tasks is None else _positive_int(args.max_tasks, "--max-tasks")
    queues = [name.strip() for name in args.queue.split(",") if name.strip()]
    if not queues:
        raise UsageError("--queue needs at least one queue name, or *")
    if args.worker_id is not None and not (0 < len(args.worker_id) <= 64):
        raise UsageError("--worker-id must be 1 to 64 characters")

    from xxgk.server_cli import setup_django

    setup_django()  # a bad configuration is one plain line, exit 2
    from django.conf import settings

    known = settings.TASKS["default"].get("QUEUES") or []
    unknown = [name for name in queues if name != "*" and known and name not in known]
    if unknown:
        raise UsageError(
            f"unknown queue {', '.join(unknown)}; configured queues: {', '.join(known)}"
        )

    _require_job_tables()
    _run_startup_checks()
    from xxgk.jobs.runner import run_worker

    log = logging.getLogger("xxgk.jobs")
    if not log.hasHandlers():  # the settings' LOGGING may already print to the console
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.WARNING if args.quiet else logging.INFO)

    stop = threading.Event()

    def request_stop(signum: int, _frame: Any) -> None:
        if stop.is_set():
            # Second signal: stop now; the running job is recorded as failed.
            signal.signal(signum, signal.SIG_DFL)
            raise KeyboardInterrupt
        log.warning("%s: finishing the current job, then stopping", signal.strsignal(signum))
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        stats = run_worker(
            queue_names=queues,
            interval=interval,
            batch=args.batch,
            max_tasks=max_tasks,
            schedule=args.schedule,
            worker_id=args.worker_id,
            stop=stop,
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(
        f"xxgk worker {stats.worker_id}: {stats.ran} job(s) ran, {stats.failed} failed, "
        f"{len(stats.scheduled)} daily job(s) enqueued"
    )
    # In --batch mode the exit status tells a script whether every job succeeded.
    return 1 if args.batch and stats.failed else 0
