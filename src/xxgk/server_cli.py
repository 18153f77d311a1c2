"""Platform sub-commands: ``serve`` and ``manage`` (these load Django).

``xxgk serve`` is the embedded default: it applies migrations, creates the demo on first run,
starts the in-process job worker and serves on 127.0.0.1:8000 with a threaded WSGI server.
Production uses gunicorn (docs/production.md) instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def setup_django() -> None:
    """Load the settings and set Django up; a bad configuration is a plain one-line
    :class:`~xxgk.cli.UsageError` naming the variable (exit 2), never a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xxgk.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from xxgk.cli import UsageError
    from xxgk.paths import DataDirError

    try:
        django.setup()
    except (ImproperlyConfigured, DataDirError) as exc:
        raise UsageError(f"configuration: {exc}") from None


def _database_error(exc: Exception) -> Exception:
    """A plain-words usage error for a database that cannot be reached or used."""
    from xxgk.cli import UsageError

    variable = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "XXGK_DATA_DIR (SQLite)"
    detail = " ".join(str(exc).split()) or exc.__class__.__name__
    return UsageError(f"cannot use the database named by {variable}: {detail}")


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the platform on this machine (SQLite by default, demo on first run)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    serve.add_argument(
        "--no-demo", action="store_true", help="do not create the demo agencies and users"
    )
    serve.set_defaults(func=cmd_serve)

    manage = subparsers.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)


def prepare(create_demo: bool = True, out: Any = None) -> list[Any]:
    """Apply migrations and, on first run, create the demo. Returns the demo accounts created
    (empty when the database already had agencies)."""
    from django.core.management import call_command

    from xxgk.agencies.demo import create_demo as make_demo
    from xxgk.agencies.demo import demo_exists

    call_command("migrate", interactive=False, verbosity=0)
    if create_demo and not demo_exists():
        return make_demo()
    return []


def print_welcome(url: str, accounts: list[Any], out: Any) -> None:
    from xxgk.paths import data_dir

    w = out.write
    w(f"\nxxgk 政府信息公开平台\n  数据目录: {data_dir()}\n")
    w(f"  门户首页: {url}\n  工作人员登录: {url}accounts/login/\n  API 文档: {url}api/docs\n")
    if accounts:
        w("\n已创建演示机关和账户。以下一次性密码只显示这一次，首次登录后须修改：\n\n")
        width = max(len(a.username) for a in accounts)
        for a in accounts:
            w(
                f"  {a.username.ljust(width)}  {a.password}  {a.role_label}，{a.agency_name}（{a.full_name}）\n"
            )
        w("\n用浏览器打开上面的登录地址，输入用户名和一次性密码。\n")
    else:
        w(
            "\n用已有账户登录。忘记密码：让本机关管理员在工作台重置，"
            "或运行 `xxgk manage changepassword 用户名`。\n"
        )
    w("按 Ctrl+C 停止。\n\n")
    out.flush()


def _start_worker() -> str:
    try:
        from xxgk.jobs.runner import start_in_process_worker
    except ImportError:
        return "后台任务：未安装任务模块，跳过。"
    start_in_process_worker()
    return "后台任务：已在本进程中启动。"


def startup_checks(out: Any) -> bool:
    """Run Django's system checks (ours included, docs/jobs.md) and print what they find.

    Returns False when a check reports an error: a bad set-up fails fast instead of serving
    wrong deadlines. Warnings are printed and serving goes on.
    """
    from django.core import checks

    found = checks.run_checks(include_deployment_checks=False)
    for message in found:
        level = "错误" if message.is_serious() else "提示"
        hint = f"（{message.hint}）" if message.hint else ""
        print(f"启动检查{level} [{message.id}] {message.msg}{hint}", file=out, flush=True)
    return not any(message.is_serious() for message in found)


def cmd_serve(args: argparse.Namespace) -> int:
    from xxgk.cli import UsageError

    if not (0 < args.port < 65536):
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    import socket

    # Check the port first: no migrations and no demo passwords printed for a server that
    # cannot start.
    probe = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((args.host, args.port))
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {args.host}:{args.port} ({exc.strerror}); "
            "is another server running there? choose another with --port"
        ) from None
    finally:
        probe.close()
    setup_django()
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application
    from django.db import DatabaseError

    try:
        accounts = prepare(create_demo=not args.no_demo)
    except DatabaseError as exc:
        raise _database_error(exc) from None
    if not startup_checks(sys.stderr):
        print(
            "xxgk: start-up checks found errors (above); fix them and start again.", file=sys.stderr
        )
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    print_welcome(f"http://{host}:{args.port}/", accounts, sys.stdout)
    print(_start_worker(), flush=True)
    try:
        run(
            args.host,
            args.port,
            get_wsgi_application(),
            ipv6=":" in args.host,
            threading=True,
            on_bind=None,
            server_cls=WSGIServer,
        )
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port} ({exc.strerror})") from None
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xxgk manage", *args.args])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
