"""The worker loop: claim, run, record; the in-process worker thread.

Transactional tests: the worker manages its own connection and transactions, as it does in
production (and the in-process worker runs on another thread with another connection).
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.jobs.sample_tasks import fail, record
from xxgk.jobs.runner import claim_next, run_worker, start_in_process_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_queued_task_runs_once_and_its_result_is_stored(tmp_path):
    log = tmp_path / "log"
    queued = record.enqueue(7, str(log))
    stats = run_worker(batch=True, schedule=False, worker_id="w-1")
    assert (stats.ran, stats.failed) == (1, 0)
    assert log.read_text() == f"7 {os.getpid()}\n"
    row = DBTaskResult.objects.get(id=queued.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["w-1"]
    assert row.return_value == 7
    assert record.get_result(queued.id).return_value == 7
    # Nothing is left for a second worker.
    assert run_worker(batch=True, schedule=False, worker_id="w-2").ran == 0
    assert log.read_text().count("\n") == 1


def test_a_claimed_task_is_not_handed_out_again(tmp_path):
    record.enqueue(1, str(tmp_path / "log"))
    first = claim_next("w-1")
    assert first is not None
    assert first.status == TaskResultStatus.RUNNING
    assert claim_next("w-2") is None
    assert DBTaskResult.objects.get(id=first.id).worker_ids == ["w-1"]


def test_higher_priority_runs_first(tmp_path):
    log = tmp_path / "log"
    record.enqueue(1, str(log))
    record.using(priority=10).enqueue(2, str(log))
    run_worker(batch=True, schedule=False)
    assert [line.split()[0] for line in log.read_text().splitlines()] == ["2", "1"]


def test_a_failing_task_is_recorded_and_the_worker_goes_on(tmp_path):
    log = tmp_path / "log"
    failing = fail.enqueue("boom")
    record.enqueue(2, str(log))
    stats = run_worker(batch=True, schedule=False)
    assert (stats.ran, stats.failed) == (1, 1)
    row = DBTaskResult.objects.get(id=failing.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.RuntimeError"
    assert "boom" in row.traceback
    assert log.read_text().startswith("2 ")


def test_task_arguments_are_never_logged(caplog):
    """Arguments may carry an applicant's ID number: the failure log names the task only."""
    id_number = "11010519491231002X"
    failing = fail.enqueue(id_number)
    with caplog.at_level(logging.INFO, logger="xxgk.jobs"):
        run_worker(batch=True, schedule=False)
    assert str(failing.id) in caplog.text
    assert "tests.jobs.sample_tasks.fail" in caplog.text
    assert id_number not in caplog.text


def test_a_deferred_task_waits_for_its_time(tmp_path):
    later = record.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(
        1, str(tmp_path / "log")
    )
    assert run_worker(batch=True, schedule=False).ran == 0
    assert DBTaskResult.objects.get(id=later.id).status == TaskResultStatus.READY


def test_max_tasks_ends_the_worker(tmp_path):
    for n in range(3):
        record.enqueue(n, str(tmp_path / "log"))
    stats = run_worker(max_tasks=2, schedule=False, interval=0.01)
    assert stats.ran == 2
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_the_worker_enqueues_and_runs_due_daily_jobs(only_daily_jobs, tmp_path, monkeypatch):
    from datetime import time as time_of_day

    from tests.jobs.sample_tasks import daily_marker
    from xxgk.jobs.models import DailyRun

    log = tmp_path / "daily"
    monkeypatch.setenv("XXGK_TEST_DAILY_LOG", str(log))
    only_daily_jobs.register_daily("due", at=time_of_day(0, 0), job_task=daily_marker)
    only_daily_jobs.register_daily("not-yet", at=time_of_day(23, 59, 59), job_task=daily_marker)
    today = timezone.localdate()
    stats = run_worker(batch=True, schedule=True)
    due = ["due", "not-yet"] if timezone.localtime().time() >= time_of_day(23, 59, 59) else ["due"]
    assert stats.scheduled == due
    assert stats.ran == len(due)
    assert list(DailyRun.objects.values_list("job", "day")) == [(name, today) for name in due]
    assert log.read_text().splitlines()[0] == f"{today.isoformat()} {os.getpid()}"
    # A second worker the same day schedules nothing.
    assert run_worker(batch=True, schedule=True).scheduled == []


def test_the_in_process_worker_runs_jobs_in_the_background(only_daily_jobs, tmp_path):
    log = tmp_path / "log"
    worker = start_in_process_worker(interval=0.05)
    try:
        assert start_in_process_worker() is worker
        assert worker.thread.daemon
        queued = record.enqueue(5, str(log))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if DBTaskResult.objects.get(id=queued.id).status == TaskResultStatus.SUCCESSFUL:
                break
            time.sleep(0.05)
        assert DBTaskResult.objects.get(id=queued.id).status == TaskResultStatus.SUCCESSFUL
        assert log.read_text() == f"5 {os.getpid()}\n"
    finally:
        worker.stop()
    assert not worker.thread.is_alive()
    # Once stopped, asking again starts a fresh thread.
    again = start_in_process_worker(interval=0.05)
    try:
        assert again is not worker
        assert again.thread.is_alive()
    finally:
        again.stop()


def test_a_worker_keeps_a_heartbeat_while_it_runs(tmp_path):
    from tests.jobs.sample_tasks import heartbeats
    from xxgk.jobs.models import WorkerHeartbeat

    seen = heartbeats.enqueue()
    run_worker(batch=True, schedule=False, worker_id="hb-1")
    assert heartbeats.get_result(seen.id).return_value == ["hb-1"]
    assert not WorkerHeartbeat.objects.exists()  # removed on a clean exit


def _running_task(tmp_path, worker_id: str, started_minutes_ago: int) -> str:
    queued = record.enqueue(1, str(tmp_path / "log"))
    claimed = claim_next(worker_id)
    assert claimed is not None and str(claimed.id) == queued.id
    DBTaskResult.objects.filter(id=queued.id).update(
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago)
    )
    return queued.id


def test_a_task_of_a_vanished_worker_is_marked_failed(tmp_path):
    from xxgk.jobs.runner import recover_lost_tasks

    task_id = _running_task(tmp_path, "ghost", started_minutes_ago=6)
    assert recover_lost_tasks() == [task_id]
    row = DBTaskResult.objects.get(id=task_id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "xxgk.jobs.runner.WorkerLost"
    assert "worker ghost sent no heartbeat" in row.traceback
    assert recover_lost_tasks() == []  # once


def test_a_task_of_a_live_worker_is_left_alone(tmp_path):
    from xxgk.jobs.models import WorkerHeartbeat
    from xxgk.jobs.runner import recover_lost_tasks

    task_id = _running_task(tmp_path, "busy", started_minutes_ago=60)
    WorkerHeartbeat.objects.create(worker_id="busy", last_seen=timezone.now())
    assert recover_lost_tasks() == []
    assert DBTaskResult.objects.get(id=task_id).status == TaskResultStatus.RUNNING
    # Silent for longer than LOST_AFTER: lost.
    WorkerHeartbeat.objects.filter(worker_id="busy").update(
        last_seen=timezone.now() - timedelta(minutes=6)
    )
    assert recover_lost_tasks() == [task_id]


def test_a_fresh_claim_is_left_alone(tmp_path):
    from xxgk.jobs.runner import recover_lost_tasks

    task_id = _running_task(tmp_path, "new", started_minutes_ago=1)
    assert recover_lost_tasks() == []
    assert DBTaskResult.objects.get(id=task_id).status == TaskResultStatus.RUNNING


def test_the_claim_locks_the_row_it_takes(tmp_path, monkeypatch):
    """PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED; SQLite (no row locks): BEGIN EXCLUSIVE.

    Pins django-tasks-db's claim, so an upgrade that changed it would show here.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResultQuerySet

    seen: list[tuple[bool, object]] = []
    original = DBTaskResultQuerySet.get_locked

    def spy(self):
        seen.append((connection.in_atomic_block, getattr(connection, "transaction_mode", None)))
        return original(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", spy)
    record.enqueue(1, str(tmp_path / "log"))
    with CaptureQueriesContext(connection) as queries:
        assert claim_next("w-1") is not None
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert "FOR UPDATE SKIP LOCKED" in sql
        assert seen == [(True, None)]
    else:
        assert connection.vendor == "sqlite"
        assert seen == [(True, "EXCLUSIVE")]


def test_a_busy_database_is_not_taken_for_an_empty_queue(tmp_path, monkeypatch):
    """SQLite locked past its busy timeout: a --batch worker retries instead of quitting."""
    from django.db import OperationalError
    from django_tasks_db.models import DBTaskResultQuerySet

    from xxgk.jobs.runner import QueueBusy

    original = DBTaskResultQuerySet.get_locked
    refusals = [OperationalError("database is locked")] * 2

    def locked_twice(self):
        if refusals:
            raise refusals.pop()
        return original(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", locked_twice)
    record.enqueue(1, str(tmp_path / "log"))
    with pytest.raises(QueueBusy):
        claim_next("w-1")
    assert run_worker(batch=True, schedule=False).ran == 1
    assert refusals == []
