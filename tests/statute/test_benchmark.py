"""benchmarks/statute.py keeps running (tiny sizes; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_benchmark_script_runs_and_its_methods_agree() -> None:
    script = REPO / "benchmarks" / "statute.py"
    out = subprocess.run(
        [sys.executable, str(script), "--cases", "3000", "--sample", "30"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "all methods agree on every compared case: yes" in out.stdout
    assert "bulk add_workdays_many" in out.stdout
