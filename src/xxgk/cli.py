"""The ``xxgk`` command.

Thin on purpose: each area registers its own sub-commands through a ``register(subparsers)``
function, and every handler returns an exit status (0 clean, 1 findings, 2 unusable input).
Pure commands (statute, annual report) never load Django; platform commands do.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Modules that contribute sub-commands, in the order they appear in ``xxgk --help``.
COMMAND_MODULES = (
    "xxgk.server_cli",  # serve, worker, manage
    "xxgk.jobs.cli",  # worker
    "xxgk.statute.cli",  # calendar, deadline, fee
    "xxgk.annual_report.cli",  # report
)


class UsageError(Exception):
    """A mistake in how the command was called; printed in plain words, exit 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xxgk",
        description="xxgk — 政府信息公开 platform and annual-report tools.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        status = int(func(args) or 0)
        sys.stdout.flush()
        return status
    except UsageError as exc:
        print(f"xxgk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("xxgk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`xxgk … | head -1`): stop quietly like other Unix tools. Point
        # stdout at devnull so the interpreter's final flush does not fail again (Python docs,
        # "Note on SIGPIPE"); 141 = 128 + SIGPIPE, what a shell reports for such a tool.
        _stdout_to_devnull()
        return 141


def _stdout_to_devnull() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured in tests)
        pass


if __name__ == "__main__":  # pragma: no cover
    # `python -m xxgk.cli` runs this file as __main__; go through the imported module so the
    # sub-commands' `xxgk.cli.UsageError` is the class that `main` catches.
    from xxgk.cli import main as _main

    sys.exit(_main())
