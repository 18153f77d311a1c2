"""Tasks used by the jobs tests (in this process and in worker sub-processes)."""

from __future__ import annotations

import os
import time

from django_tasks import task


def _append(log_path: str, line: str) -> None:
    # One small O_APPEND write per line: atomic between processes on a local disk.
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{line}\n".encode())
    finally:
        os.close(fd)


@task()
def record(n: int, log_path: str, seconds: float = 0.0) -> int:
    """Write ``n`` and this process's id to ``log_path``, after ``seconds`` of 'work'."""
    if seconds:
        time.sleep(seconds)
    _append(log_path, f"{n} {os.getpid()}")
    return n


@task()
def fail(message: str) -> None:
    """Always raises."""
    raise RuntimeError(message)


@task()
def daily_marker(day: str) -> str:
    """A daily job for tests: notes the day it ran for in $XXGK_TEST_DAILY_LOG, if set."""
    log_path = os.environ.get("XXGK_TEST_DAILY_LOG")
    if log_path:
        _append(log_path, f"{day} {os.getpid()}")
    return day


@task()
def heartbeats() -> list[str]:
    """The workers that have a heartbeat row right now."""
    from xxgk.jobs.models import WorkerHeartbeat

    return sorted(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
