"""The real reports used as golden files, and a helper to compare a parse with its golden."""

from __future__ import annotations

from pathlib import Path

from tests.annual_report.golden import Key, load_golden
from tests.conftest import SHARED
from xxgk.annual_report.model import Report
from xxgk.annual_report.writers.csv import rows

SAMPLES_DIR = SHARED / "annual_report_samples"
SEED = SHARED / "seed" / "000_37d7ff8d3b3e8faf.txt"

#: golden name → input file (core engineer's samples; io has the PDFs and the DOCX).
CORE_SAMPLES: dict[str, Path] = {
    "seed-000_37d7ff8d3b3e8faf": SEED,
    "pingtan-zone-2019": SAMPLES_DIR / "pingtan-zone-2019.page.txt",
    "pingtan-zone-2021": SAMPLES_DIR / "pingtan-zone-2021.page.txt",
    "pingtan-zone-2023": SAMPLES_DIR / "pingtan-zone-2023.page.txt",
    "shanghai-gov-office-2019": SAMPLES_DIR / "shanghai-gov-office-2019.data.js",
}


def parsed_cells(report: Report) -> dict[Key, str]:
    """The report's cells in the golden layout."""
    out: dict[Key, str] = {}
    for section, table, row, column, value in rows(report):
        out[(section, table, row, column)] = value
    return out


def differences(report: Report, name: str) -> list[str]:
    """Human-readable differences between the parse and the golden file ``name``."""
    expected = load_golden(name)
    got = parsed_cells(report)
    diffs = []
    for key in expected.keys() | got.keys():
        if key not in got:
            diffs.append(f"missing {key} (expected {expected[key]!r})")
        elif key not in expected:
            diffs.append(f"unexpected {key} = {got[key]!r}")
        elif got[key] != expected[key]:
            diffs.append(f"{key}: got {got[key]!r}, expected {expected[key]!r}")
    return sorted(diffs)


def unresolved_differences(report: Report, name: str) -> list[str]:
    """Differences not explained by a reported ambiguous split.

    A glued digit run with several valid splits is flagged ``READ.ambiguous_split`` and lists
    its alternatives; a cell of such a row may differ from the golden file only if the
    golden split of that row is among the listed alternatives.
    """
    expected = load_golden(name)
    got = parsed_cells(report)
    notes = [f.message for f in report.findings if f.check == "READ.ambiguous_split"]
    left = []
    for diff_key in expected.keys() | got.keys():
        if got.get(diff_key) == expected.get(diff_key):
            continue
        section, table, row, _ = diff_key
        golden_row = [
            v for (s, t, r, _c), v in expected.items() if (s, t, r) == (section, table, row)
        ]
        label = row.split(" / ")[-1] if row else "第四部分"
        split = "|".join(golden_row)
        if not any(label in note and split in note for note in notes):
            left.append(
                f"{diff_key}: got {got.get(diff_key)!r}, expected {expected.get(diff_key)!r}"
            )
    return sorted(left)
