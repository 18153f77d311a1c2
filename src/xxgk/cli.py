"""The ``xxgk`` command.

Thin on purpose: each area registers its own sub-commands through a ``register(subparsers)``
function, and every handler returns an exit status (0 clean, 1 findings, 2 unusable input).
Pure commands (statute, annual report) never load Django; platform commands do.
"""

from __future__ import annotations

import argparse
import importlib
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
        return int(func(args) or 0)
    except UsageError as exc:
        print(f"xxgk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("xxgk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    # `python -m xxgk.cli` runs this file as __main__; go through the imported module so the
    # sub-commands' `xxgk.cli.UsageError` is the class that `main` catches.
    from xxgk.cli import main as _main

    sys.exit(_main())
