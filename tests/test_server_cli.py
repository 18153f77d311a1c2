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
