"""XLSX front end: a workbook → :class:`~xxgk.annual_report.raw.RawDocument`.

The package is checked as a possible zip bomb first (:mod:`._zip`), then read by openpyxl
(which parses through ``defusedxml`` when it is installed, as it is here) with cached
formula results (``data_only``). Each sheet is cut at fully empty rows into blocks: a block of
rows that each hold a single unmerged cell is running text (paragraphs: the title, section
headings, narrative); any other block is a table, with merged ranges as row and column spans.
A single-cell row directly above or below a table (a heading) becomes a paragraph too.

Locations: ``cell`` is the sheet and the cell reference (``Sheet1!C7``); ``line`` is the
sheet row.
"""

from __future__ import annotations

import io
import warnings
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.raw import (
    Block,
    Location,
    RawCell,
    RawDocument,
    RawParagraph,
    RawTable,
)
from xxgk.annual_report.readers._zip import open_package

__all__ = ["MEDIA_TYPE", "read_raw"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A report sheet is small; bigger used ranges are refused rather than walked.
MAX_CELLS = 200_000


def read_raw(data: bytes, *, source: str) -> RawDocument:
    """条例第五十条的年度报告（Excel XLSX）：各工作表的表格（含合并单元格）与文字 → RawDocument。

    Raises :class:`ReportReadError` (``xlsx_unreadable``, ``xlsx_too_large``,
    ``xlsx_zip_bomb``) for input that is not a readable workbook.
    """
    package = open_package(data, source=source, kind="XLSX")
    with package:
        if "xl/workbook.xml" not in set(package.namelist()):
            raise ReportReadError(
                "xlsx_unreadable",
                "文件不是Excel工作簿（缺少xl/workbook.xml）。",
                Location(file=source),
            )
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise ReportReadError(
            "xlsx_unreadable",
            f"Excel工作簿已损坏或格式不受支持，无法读取（{type(exc).__name__}）。",
            Location(file=source),
        ) from None
    doc = RawDocument(source=source, media_type=MEDIA_TYPE)
    try:
        for sheet in book.worksheets:
            doc.blocks.extend(_sheet_blocks(sheet, source))
    finally:
        book.close()
    return doc


def cell_text(value: Any) -> str:
    """A cell value as printed text: integral numbers without ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _sheet_blocks(sheet: Any, source: str) -> list[Block]:
    max_row, max_col = sheet.max_row or 0, sheet.max_column or 0
    if max_row * max_col > MAX_CELLS:
        raise ReportReadError(
            "xlsx_too_large",
            f"工作表“{sheet.title}”的使用范围过大（{max_row}行×{max_col}列），不像是一份年度报告。",
            Location(file=source, cell=sheet.title),
        )
    # Merged ranges: top-left → (rowspan, colspan); covered cells are skipped.
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in sheet.merged_cells.ranges:
        r0, c0, r1, c1 = merged.min_row, merged.min_col, merged.max_row, merged.max_col
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    values: dict[tuple[int, int], str] = {}
    present: set[tuple[int, int]] = set()  # a value (even "") or a border
    boxed: set[tuple[int, int]] = set()  # a border: a table cell, never running text
    for row in sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col):
        for cell in row:
            where = (cell.row, cell.column)
            text = cell_text(cell.value)
            if text.strip():
                values[where] = text
            if cell.has_style and _bordered(cell):
                boxed.add(where)
                present.add(where)
            elif cell.value is not None:
                present.add(where)
    # Rows with content, or covered by a merge (a blank row inside a table stays in it).
    used = {r for r, _ in present} | {r for r, _ in covered}
    groups: list[list[int]] = []
    for r in range(1, max_row + 1):
        if r in used:
            if groups and groups[-1][-1] == r - 1:
                groups[-1].append(r)
            else:
                groups.append([r])
    blocks: list[Block] = []
    for rows in groups:
        blocks.extend(
            _group_blocks(
                sheet.title, rows, max_col, values, present, boxed, spans, covered, source
            )
        )
    return blocks


def _bordered(cell: Any) -> bool:
    border = cell.border
    return any(side is not None and side.style for side in (border.left, border.top))


def _single(
    r: int,
    max_col: int,
    values: dict[tuple[int, int], str],
    present: set[tuple[int, int]],
    boxed: set[tuple[int, int]],
    spans: dict[tuple[int, int], tuple[int, int]],
    covered: set[tuple[int, int]],
) -> bool:
    """A row holding one filled, unmerged cell and nothing else: running text."""
    cells = [c for c in range(1, max_col + 1) if (r, c) in present or (r, c) in covered]
    return (
        len(cells) == 1
        and (r, cells[0]) in values
        and (r, cells[0]) not in covered
        and spans.get((r, cells[0]), (1, 1)) == (1, 1)
        and (r, cells[0]) not in boxed
    )


def _paragraph(
    sheet: str, r: int, max_col: int, values: dict[tuple[int, int], str], source: str
) -> RawParagraph:
    c = next(c for c in range(1, max_col + 1) if (r, c) in values)
    return RawParagraph(values[(r, c)], Location(file=source, line=r, cell=_ref(sheet, r, c)))


def _group_blocks(
    sheet: str,
    rows: list[int],
    max_col: int,
    values: dict[tuple[int, int], str],
    present: set[tuple[int, int]],
    boxed: set[tuple[int, int]],
    spans: dict[tuple[int, int], tuple[int, int]],
    covered: set[tuple[int, int]],
    source: str,
) -> list[Block]:
    single = [_single(r, max_col, values, present, boxed, spans, covered) for r in rows]
    if all(single):
        return [_paragraph(sheet, r, max_col, values, source) for r in rows]
    head = 0
    while single[head]:
        head += 1
    tail = len(rows)
    while single[tail - 1]:
        tail -= 1
    out: list[Block] = [_paragraph(sheet, r, max_col, values, source) for r in rows[:head]]
    table_rows = rows[head:tail]
    # The table is as wide as its widest row, spans included: a column left blank in every
    # data row (a blank template) still belongs to it.
    used = [
        (c, c + spans.get((r, c), (1, 1))[1] - 1)
        for r in table_rows
        for c in range(1, max_col + 1)
        if (r, c) in present or (r, c) in spans or (r, c) in covered
    ]
    cols = list(range(min(a for a, _ in used), max(b for _, b in used) + 1))
    grid: list[tuple[RawCell, ...]] = []
    for r in table_rows:
        row: list[RawCell] = []
        for c in cols:
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            loc = Location(file=source, line=r, cell=_ref(sheet, r, c))
            row.append(RawCell(values.get((r, c), ""), loc, rowspan, colspan))
        grid.append(tuple(row))
    first = table_rows[0]
    out.append(
        RawTable(tuple(grid), Location(file=source, line=first, cell=_ref(sheet, first, cols[0])))
    )
    out.extend(_paragraph(sheet, r, max_col, values, source) for r in rows[tail:])
    return out


def _ref(sheet: str, row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(col)}{row}"
