"""Platform sub-commands: ``serve``, ``worker`` and ``manage`` (these load Django)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xxgk.settings")
    import django

    django.setup()


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help="run the platform (SQLite by default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    manage = subparsers.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(f"xxgk: serving on http://{args.host}:{args.port}/", flush=True)
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xxgk manage", *args.args])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
