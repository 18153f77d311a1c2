"""``xxgk worker``, through the command itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.jobs.sample_tasks import fail, record
from xxgk.cli import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--interval", "0"], "--interval must be more than 0"),
        (["--interval", "soon"], "--interval must be a number of seconds"),
        (["--max-tasks", "0"], "--max-tasks must be at least 1"),
        (["--max-tasks", "many"], "--max-tasks must be a whole number"),
        (["--queue", " , "], "--queue needs at least one queue name"),
        (["--queue", "nosuch"], "unknown queue nosuch"),
        (["--worker-id", "x" * 65], "--worker-id must be 1 to 64 characters"),
    ],
)
def test_bad_arguments_are_a_usage_error(argv, message, capsys):
    assert main(["worker", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("calendar_for_this_year")
def test_batch_runs_the_queued_jobs_and_exits(tmp_path, capsys):
    log = tmp_path / "log"
    record.enqueue(1, str(log))
    record.enqueue(2, str(log))
    assert main(["worker", "--batch", "--no-schedule", "--quiet", "--worker-id", "cli-1"]) == 0
    out = capsys.readouterr().out
    assert "xxgk worker cli-1: 2 job(s) ran, 0 failed, 0 daily job(s) enqueued" in out
    assert sorted(line.split()[0] for line in log.read_text().splitlines()) == ["1", "2"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("calendar_for_this_year")
def test_batch_exits_1_when_a_job_failed(capsys):
    fail.enqueue("boom")
    assert main(["worker", "--batch", "--no-schedule", "--quiet"]) == 1
    assert "0 job(s) ran, 1 failed" in capsys.readouterr().out


def test_worker_is_listed_in_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "worker" in capsys.readouterr().out


def test_an_unmigrated_database_is_a_plain_error(tmp_path):
    """A fresh data folder (SQLite, no tables): exit 2 with a hint, no traceback."""
    env = {
        **os.environ,
        "XXGK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        # The installed console script, as an operator would type it. (`python -m xxgk.cli`
        # would load cli.py twice, as __main__ and as xxgk.cli, and miss UsageError.)
        [str(Path(sys.executable).parent / "xxgk"), "worker", "--batch"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "run `xxgk manage migrate` first" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("calendar_for_this_year")
def test_a_bad_set_up_stops_the_worker_before_it_runs_anything(settings, tmp_path, capsys):
    """System check errors (here xxgk.E002, a wrong time zone) are fatal: exit 2, no job run."""
    queued = record.enqueue(1, str(tmp_path / "log"))
    settings.TIME_ZONE = "UTC"
    assert main(["worker", "--batch", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "xxgk.E002" in err
    assert "fix the errors above" in err
    assert not (tmp_path / "log").exists()
    assert record.get_result(queued.id).status == "READY"


PREPARE_ONE_SLOW_JOB = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", "django_tasks_database", interactive=False, verbosity=0)
call_command("migrate", "jobs", interactive=False, verbosity=0)
from tests.jobs.sample_tasks import record
print(record.enqueue(1, sys.argv[1], 2.0).id)
"""


def test_sigterm_lets_the_running_job_finish(tmp_path):
    """What systemd does on stop: the job in hand completes, then the worker exits 0."""
    import signal
    import sqlite3
    import time
    from contextlib import closing

    from tests.jobs.conftest import ensure_calendar_for_this_year

    data = tmp_path / "data"
    data.mkdir()
    ensure_calendar_for_this_year(data)
    log = tmp_path / "log"
    env = {
        **os.environ,
        "XXGK_DATA_DIR": str(data),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "xxgk.settings",
        "PYTHONPATH": str(REPO),
    }
    prepared = subprocess.run(
        [sys.executable, "-c", PREPARE_ONE_SLOW_JOB, str(log)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert prepared.returncode == 0, prepared.stderr[-3000:]
    task_id = prepared.stdout.split()[-1].replace("-", "")

    def status() -> str:
        with closing(sqlite3.connect(data / "xxgk.sqlite3", timeout=20)) as conn:
            row = conn.execute(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?", [task_id]
            ).fetchone()
        return str(row[0])

    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "xxgk"), "worker", "--no-schedule", "--quiet"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while status() != "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert status() == "RUNNING"
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, err[-3000:]
    assert status() == "SUCCESSFUL"
    assert log.read_text().startswith("1 ")
    assert "1 job(s) ran, 0 failed" in out
