"""xxgk.statute is a pure package: importing all of it never loads Django."""

from __future__ import annotations

import subprocess
import sys


def test_statute_never_imports_django() -> None:
    code = (
        "import sys\n"
        "import xxgk.statute.calendar, xxgk.statute.notice, xxgk.statute.periods\n"
        "import xxgk.statute.fees, xxgk.statute.taxonomies, xxgk.statute.cli\n"
        "import argparse\n"
        "parser = argparse.ArgumentParser()\n"
        "xxgk.statute.cli.register(parser.add_subparsers())\n"
        "args = parser.parse_args(['fee', '--items', '0'])\n"
        "import xxgk.cli\n"
        "try:\n"
        "    args.func(args)\n"
        "except xxgk.cli.UsageError:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
