"""Tidy CSV: one line per cell, header ``section,table,row,column,value``.

``section`` is 二, 三 or 四; ``table`` the 第二十条 caption in section 二 and empty otherwise;
``row`` and ``column`` the official label paths joined by `` / ``; ``value`` the number in
canonical form (``35`` not ``+35``; money keeps its printed decimals, ``166.3700``) and empty
for a blank cell. The file is UTF-8 without BOM, ``\\r\\n`` line ends (RFC 4180).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from xxgk.annual_report.model import Cell, CellKey, Report

HEADER = ("section", "table", "row", "column", "value")


def format_value(cell: Cell) -> str:
    """The canonical text of a cell's value; ``""`` for blank."""
    if cell.value is None:
        return ""
    return str(cell.value)


def rows(report: Report) -> Iterable[tuple[str, str, str, str, str]]:
    """The CSV rows (without header) of ``report``, in reading order."""
    for key, cell in report.cells.items():
        yield _row(key, cell)


def _row(key: CellKey, cell: Cell) -> tuple[str, str, str, str, str]:
    return (key.section, key.table, key.row_text, key.column_text, format_value(cell))


def render(report: Report) -> bytes:
    """The report's cells as tidy CSV (UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows(report))
    return buffer.getvalue().encode("utf-8")
