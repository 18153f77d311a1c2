"""Golden files: hand-transcribed expected cells of real reports, in the tidy CSV layout.

Each ``tests/annual_report/golden/<sample>.csv`` has the header
``section,table,row,column,value`` (the same layout as ``xxgk report parse --format csv``);
a blank cell is an empty value. The values were typed from the documents by a person, never
produced by the parser under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"

Key = tuple[str, str, str, str]


def load_golden(name: str) -> dict[Key, str]:
    """The expected cells of sample ``name`` (file stem), keyed by (section, table, row, column)."""
    path = GOLDEN_DIR / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["section", "table", "row", "column", "value"], path
        cells: dict[Key, str] = {}
        for row in reader:
            key = (row["section"], row["table"], row["row"], row["column"])
            assert key not in cells, f"{path}: duplicate cell {key}"
            cells[key] = row["value"]
    return cells
