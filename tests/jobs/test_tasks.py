"""The queue's own housekeeping job."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.jobs.sample_tasks import record
from xxgk.jobs.models import DailyRun
from xxgk.jobs.tasks import (
    KEEP_DAILY_RUNS_DAYS,
    KEEP_FAILED_DAYS,
    KEEP_SUCCESSFUL_DAYS,
    prune_job_records,
)

DAY = date(2026, 6, 30)
MIDNIGHT = datetime.combine(DAY, time.min, tzinfo=ZoneInfo("Asia/Shanghai"))


def _finished(status: str, days_before: float) -> str:
    queued = record.enqueue(0, "/dev/null")
    DBTaskResult.objects.filter(id=queued.id).update(
        status=status, finished_at=MIDNIGHT - timedelta(days=days_before)
    )
    return queued.id


@pytest.mark.django_db
def test_old_finished_jobs_and_daily_runs_are_pruned_recent_ones_kept():
    old_ok = _finished(TaskResultStatus.SUCCESSFUL, KEEP_SUCCESSFUL_DAYS + 0.01)
    recent_ok = _finished(TaskResultStatus.SUCCESSFUL, KEEP_SUCCESSFUL_DAYS - 0.01)
    old_failed = _finished(TaskResultStatus.FAILED, KEEP_FAILED_DAYS + 0.01)
    recent_failed = _finished(TaskResultStatus.FAILED, KEEP_FAILED_DAYS - 0.01)
    waiting = record.enqueue(0, "/dev/null").id
    DailyRun.objects.create(job="j", day=DAY - timedelta(days=KEEP_DAILY_RUNS_DAYS + 1))
    DailyRun.objects.create(job="j", day=DAY - timedelta(days=KEEP_DAILY_RUNS_DAYS))

    assert prune_job_records.call(DAY.isoformat()) == {
        "successful": 1,
        "failed": 1,
        "daily_runs": 1,
    }
    left = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert old_ok not in left and old_failed not in left
    assert {recent_ok, recent_failed, waiting} <= left
    assert list(DailyRun.objects.values_list("day", flat=True)) == [
        DAY - timedelta(days=KEEP_DAILY_RUNS_DAYS)
    ]
