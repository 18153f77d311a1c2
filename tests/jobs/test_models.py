"""The jobs app's own tables."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from xxgk.jobs.models import DailyRun, WorkerHeartbeat


@pytest.mark.django_db
def test_the_database_allows_one_daily_run_per_job_and_day():
    DailyRun.objects.create(job="reminders", day=date(2026, 3, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyRun.objects.create(job="reminders", day=date(2026, 3, 2))
    # Another day, or another job the same day, is a different claim.
    DailyRun.objects.create(job="reminders", day=date(2026, 3, 3))
    DailyRun.objects.create(job="housekeeping", day=date(2026, 3, 2))
    assert DailyRun.objects.count() == 3
    assert str(DailyRun.objects.get(job="housekeeping")) == "housekeeping 2026-03-02"


@pytest.mark.django_db
def test_a_worker_has_one_heartbeat_row():
    WorkerHeartbeat.objects.create(worker_id="host-1-abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkerHeartbeat.objects.create(worker_id="host-1-abc")
    assert str(WorkerHeartbeat.objects.get()) == "host-1-abc"
