"""Housekeeping jobs of the queue itself."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from xxgk.jobs.models import DailyRun
from xxgk.jobs.scheduler import daily

#: Finished jobs are kept this long for inspection, failed ones longer.
KEEP_SUCCESSFUL_DAYS = 30
KEEP_FAILED_DAYS = 90
KEEP_DAILY_RUNS_DAYS = 400


def prune_before(day: date) -> dict[str, int]:
    """Delete finished job records and daily-run rows that are older than the keep periods."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    successful, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__lt=start - timedelta(days=KEEP_SUCCESSFUL_DAYS),
    ).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED,
        finished_at__lt=start - timedelta(days=KEEP_FAILED_DAYS),
    ).delete()
    runs, _ = DailyRun.objects.filter(day__lt=day - timedelta(days=KEEP_DAILY_RUNS_DAYS)).delete()
    return {"successful": successful, "failed": failed, "daily_runs": runs}


@daily("prune-job-records", at=time(3, 0))
def prune_job_records(day: str) -> dict[str, int]:
    """Daily at 03:00: forget old finished jobs (the queue table must not grow for ever)."""
    return prune_before(date.fromisoformat(day))
