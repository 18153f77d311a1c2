"""Daily jobs: the registry, when a job is due, and once per local day."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult

from tests.jobs.sample_tasks import daily_marker, record
from xxgk.jobs import scheduler
from xxgk.jobs.models import DailyRun
from xxgk.jobs.scheduler import DailyJob, claim_and_enqueue, due_jobs, enqueue_due

BEIJING = ZoneInfo("Asia/Shanghai")
MARKER_PATH = "tests.jobs.sample_tasks.daily_marker"


@pytest.fixture
def marker_job(only_daily_jobs):
    return scheduler.register_daily("test-marker", at=time(8, 30), job_task=daily_marker)


def test_a_job_is_due_from_its_time_of_day_on():
    jobs = [
        DailyJob("early", time(8, 30), daily_marker),
        DailyJob("late", time(23, 0), daily_marker),
    ]
    assert due_jobs(jobs, datetime(2026, 3, 2, 8, 29, 59)) == []
    assert [j.name for j in due_jobs(jobs, datetime(2026, 3, 2, 8, 30))] == ["early"]
    assert [j.name for j in due_jobs(jobs, datetime(2026, 3, 2, 23, 0))] == ["early", "late"]


def test_a_name_belongs_to_one_task(marker_job):
    with pytest.raises(ValueError, match="already used"):
        scheduler.register_daily("test-marker", at=time(9, 0), job_task=record)
    # The same task may register again (a module imported twice), e.g. with a new time.
    again = scheduler.register_daily("test-marker", at=time(9, 0), job_task=daily_marker)
    assert again.at == time(9, 0)
    assert scheduler.daily_jobs().count(again) == 1


def test_bad_registrations_are_refused(only_daily_jobs):
    with pytest.raises(ValueError, match="1 to 100"):
        scheduler.register_daily("", at=time(1, 0), job_task=daily_marker)
    with pytest.raises(ValueError, match="naive local time"):
        scheduler.register_daily("aware", at=time(1, 0, tzinfo=BEIJING), job_task=daily_marker)
    assert "aware" not in [j.name for j in scheduler.daily_jobs()]


def test_the_decorator_makes_a_task_and_registers_it():
    from xxgk.jobs.tasks import prune_job_records

    jobs = {j.name: j for j in scheduler.daily_jobs()}
    assert jobs["prune-job-records"].task is prune_job_records
    assert jobs["prune-job-records"].at == time(3, 0)


@pytest.mark.django_db
def test_a_daily_job_is_enqueued_once_per_local_day(marker_job):
    assert "test-marker" in enqueue_due(datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING))
    # Later ticks, from this worker or another, the same day: nothing more.
    assert "test-marker" not in enqueue_due(datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING))
    assert "test-marker" not in enqueue_due(datetime(2026, 3, 2, 23, 59, tzinfo=BEIJING))
    runs = list(DailyRun.objects.filter(job="test-marker"))
    assert [run.day for run in runs] == [date(2026, 3, 2)]
    queued = DBTaskResult.objects.get(id=runs[0].task_result_id)
    assert queued.task_path == MARKER_PATH
    assert queued.args_kwargs == {"args": ["2026-03-02"], "kwargs": {}}
    assert DBTaskResult.objects.filter(task_path=MARKER_PATH).count() == 1
    # The next day it is due again.
    assert "test-marker" in enqueue_due(datetime(2026, 3, 3, 8, 30, tzinfo=BEIJING))
    assert DBTaskResult.objects.filter(task_path=MARKER_PATH).count() == 2


@pytest.mark.django_db
def test_nothing_is_enqueued_before_the_time_of_day(marker_job):
    assert "test-marker" not in enqueue_due(datetime(2026, 3, 2, 8, 29, tzinfo=BEIJING))
    assert not DailyRun.objects.filter(job="test-marker").exists()
    assert not DBTaskResult.objects.filter(task_path=MARKER_PATH).exists()


@pytest.mark.django_db
def test_the_day_is_the_beijing_day_not_the_utc_day(marker_job):
    # 2026-03-02 23:30 UTC is 2026-03-03 07:30 in Beijing: before 08:30, not due.
    utc = ZoneInfo("UTC")
    assert "test-marker" not in enqueue_due(datetime(2026, 3, 2, 23, 30, tzinfo=utc))
    # 2026-03-03 00:30 UTC is 08:30 in Beijing on the 3rd.
    assert "test-marker" in enqueue_due(datetime(2026, 3, 3, 0, 30, tzinfo=utc))
    assert list(DailyRun.objects.values_list("job", "day")) == [("test-marker", date(2026, 3, 3))]


@pytest.mark.django_db
def test_a_lost_race_for_the_day_enqueues_nothing(marker_job):
    """The path a second worker takes when its INSERT collides: rolled back whole."""
    assert claim_and_enqueue(marker_job, date(2026, 3, 2)) is True
    assert claim_and_enqueue(marker_job, date(2026, 3, 2)) is False
    assert DailyRun.objects.filter(job="test-marker").count() == 1
    assert DBTaskResult.objects.filter(task_path=MARKER_PATH).count() == 1
