"""``xxgk serve``: migrations, the first-run demo and its console instructions."""

import io
import socket

import pytest

from xxgk.cli import main
from xxgk.server_cli import prepare, print_welcome


@pytest.mark.django_db
def test_prepare_creates_the_demo_once_and_welcome_lists_logins():
    accounts = prepare()
    assert len(accounts) >= 6
    out = io.StringIO()
    print_welcome("http://127.0.0.1:8000/", accounts, out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/accounts/login/" in text
    for account in accounts:
        assert account.username in text and account.password in text
    assert "首次登录后须修改" in text
    assert prepare() == []  # second run: nothing new, no passwords printed
    out = io.StringIO()
    print_welcome("http://127.0.0.1:8000/", [], out)
    assert "changepassword" in out.getvalue()


def test_busy_port_is_a_plain_usage_error(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port), "--no-demo"]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err


def test_port_out_of_range_is_usage_error(capsys):
    assert main(["serve", "--port", "70000"]) == 2
    assert "between 1 and 65535" in capsys.readouterr().err


def test_startup_checks_print_warnings_and_pass(settings, tmp_path):
    """With a sound set-up no error is printed and serving goes on (warnings may be printed)."""
    from xxgk.server_cli import startup_checks

    out = io.StringIO()
    assert startup_checks(out) is True
    assert "错误" not in out.getvalue()


def test_startup_checks_fail_on_an_error(settings):
    """A wrong time zone is xxgk.E002: serve refuses to start rather than compute wrong dates."""
    from xxgk.server_cli import startup_checks

    settings.TIME_ZONE = "UTC"
    out = io.StringIO()
    assert startup_checks(out) is False
    assert "启动检查错误 [xxgk.E002]" in out.getvalue()


def run_cli(tmp_path, *argv, **env):
    """``xxgk.cli.main`` in a fresh process (settings are loaded once per process)."""
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    environment.pop("DATABASE_URL", None)
    environment.update({"XXGK_DATA_DIR": str(tmp_path / "data"), **env})
    code = "import sys; from xxgk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"XXGK_SESSION_IDLE_MINUTES": "half"}, "XXGK_SESSION_IDLE_MINUTES"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"XXGK_DATA_DIR": "/proc/xxgk-data"}, "XXGK_DATA_DIR"),
        ({"XXGK_DATA_DIR": "FILE"}, "XXGK_DATA_DIR"),
    ],
    ids=["not-a-number", "mysql", "under-proc", "a-file"],
)
@pytest.mark.parametrize("command", ["serve", "worker", "manage"])
def test_bad_configuration_is_one_plain_line_and_exit_2(tmp_path, env, variable, command):
    if env.get("XXGK_DATA_DIR") == "FILE":
        (tmp_path / "a-file").write_text("x")
        env = {"XXGK_DATA_DIR": str(tmp_path / "a-file")}
    argv = {
        "serve": ["serve", "--no-demo", "--port", free_port()],
        "worker": ["worker", "--batch"],
        "manage": ["manage", "check"],
    }[command]
    result = run_cli(tmp_path, *argv, **env)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("xxgk: "), result.stderr
    assert variable in lines[0] and "Traceback" not in result.stderr


def test_serve_with_an_unreachable_database_is_one_plain_line(tmp_path):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        dead = closed.getsockname()[1]
    result = run_cli(
        tmp_path,
        "serve",
        "--no-demo",
        "--port",
        free_port(),
        DATABASE_URL=f"postgresql://xxgk:secret-pw@127.0.0.1:{dead}/xxgk",
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and "secret-pw" not in result.stderr
