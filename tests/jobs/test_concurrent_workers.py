"""Several worker processes against one database: every job runs exactly once.

This is the production shape (workers on several machines, one database) in miniature: a
throw-away database, N jobs queued, K ``xxgk worker --batch`` processes started at once.
Each job appends "n pid" to a shared file; afterwards every n must appear exactly once, and
the daily job all K workers saw as due must have been enqueued (and run) once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from contextlib import closing
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO, in_ci
from tests.jobs.conftest import ensure_calendar_for_this_year

pytestmark = pytest.mark.slow

JOBS = 120
WORKERS = 4
SECONDS_PER_JOB = 0.02

# What each worker process runs: Django, the test tasks, one daily job due at 00:00 (so it is
# due whenever the test runs), then the real command line.
WORKER_BOOT = """
import os, sys
from datetime import time
import django
django.setup()
from tests.jobs.sample_tasks import daily_marker
from xxgk.jobs import scheduler
# Only our daily job: other areas' daily jobs need their own data, not this test's.
for job in scheduler.daily_jobs():
    scheduler.unregister_daily(job.name)
scheduler.register_daily("test-daily", at=time(0, 0), job_task=daily_marker)
from xxgk.cli import main
sys.exit(main(["worker", "--batch", "--interval", "0.05", "--quiet"]))
"""

# One process both migrates the fresh database and queues the jobs (saves a Django start).
PREPARE = """
import sys
import django
django.setup()
from django.core.management import call_command
# Only the queue's tables: quicker, and all that the workers here touch.
call_command("migrate", "django_tasks_database", interactive=False, verbosity=0)
call_command("migrate", "jobs", interactive=False, verbosity=0)
from tests.jobs.sample_tasks import record
log_path, jobs, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
for n in range(jobs):
    record.enqueue(n, log_path, seconds)
"""


def _server_url() -> str:
    """postgresql://user@host:port of the test server (DATABASE_URL's, else the local one)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parsed = urlparse(url)
        return f"{parsed.scheme}://{parsed.netloc}"
    return "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture
def throwaway_database():
    psycopg = pytest.importorskip("psycopg")
    server = _server_url()
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if in_ci():
            raise
        pytest.skip(f"PostgreSQL not reachable at {server}: {exc}")
    name = f"xxgk_jobs_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _env(database_url: str, data_dir: str, daily_log: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        XXGK_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="xxgk.settings",
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]),
        XXGK_TEST_DAILY_LOG=daily_log,
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]


def _check_every_job_ran_once(database_url: str, tmp_path, query) -> None:
    """Queue JOBS jobs, run WORKERS worker processes at once, check the outcome."""
    log = tmp_path / "jobs.log"
    daily_log = tmp_path / "daily.log"
    (tmp_path / "data").mkdir()
    ensure_calendar_for_this_year(tmp_path / "data")
    env = _env(database_url, str(tmp_path / "data"), str(daily_log))
    _run([sys.executable, "-c", PREPARE, str(log), str(JOBS), str(SECONDS_PER_JOB)], env)

    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER_BOOT],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-3000:]

    # Every job ran, and ran once.
    lines = log.read_text().splitlines()
    ran = Counter(int(line.split()[0]) for line in lines)
    assert sorted(ran) == list(range(JOBS))
    assert [n for n, times in ran.items() if times != 1] == []
    # The workers really ran side by side (otherwise this would prove nothing).
    assert len({line.split()[1] for line in lines}) >= 2

    rows = query(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        ["tests.jobs.sample_tasks.record"],
    )
    assert len(rows) == JOBS
    assert {status for status, _ in rows} == {"SUCCESSFUL"}
    # Claimed once each: one worker id per row.
    assert [ids for _, ids in rows if len(json_list(ids)) != 1] == []

    daily_runs = query(
        "SELECT day, task_result_id FROM jobs_dailyrun WHERE job = %s", ["test-daily"]
    )
    assert len(daily_runs) == 1
    day, task_result_id = daily_runs[0]
    daily_tasks = query(
        "SELECT id, status FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        ["tests.jobs.sample_tasks.daily_marker"],
    )
    # (SQLite stores the UUID without dashes.)
    assert [(str(i).replace("-", ""), st) for i, st in daily_tasks] == [
        (task_result_id.replace("-", ""), "SUCCESSFUL")
    ]
    # The daily job ran once, for the day it was claimed for.
    assert [line.split()[0] for line in daily_log.read_text().splitlines()] == [str(day)]


@pytest.mark.postgres
def test_every_job_runs_exactly_once_across_workers_on_postgresql(throwaway_database, tmp_path):
    """Production: SELECT … FOR UPDATE SKIP LOCKED, any number of workers."""
    import psycopg

    def query(sql: str, params: list[str]) -> list[tuple[object, ...]]:
        with psycopg.connect(throwaway_database) as conn:
            return conn.execute(sql, params).fetchall()

    _check_every_job_ran_once(throwaway_database, tmp_path, query)


def test_every_job_runs_exactly_once_across_workers_on_sqlite(tmp_path):
    """The embedded default: claims serialised by BEGIN EXCLUSIVE on the database file."""
    import sqlite3

    def query(sql: str, params: list[str]) -> list[tuple[object, ...]]:
        with closing(sqlite3.connect(tmp_path / "data" / "xxgk.sqlite3")) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()

    _check_every_job_ran_once("", tmp_path, query)


def json_list(value: object) -> list[object]:
    """worker_ids comes back as a list (jsonb) or, on older drivers, as JSON text."""
    if isinstance(value, str):
        return list(json.loads(value))
    assert isinstance(value, list)
    return value
