"""XLSX writer: the report as one worksheet laid out like the printed report.

Title, section headings and narrative paragraphs are single cells in column A, one per row;
each table follows its heading with the format's merged header cells (merged ranges), its
row labels, and its values as numbers (counts as integers, money as numbers with as many
decimals as given). Blank cells stay blank — an empty string, never 0 — and keep their
border, so a reader sees the whole table. A blank row separates the blocks.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from xxgk.annual_report.model import Report
from xxgk.annual_report.writers.html import LayoutTable, LayoutText, build_layout

__all__ = ["render"]

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "仿宋"


def _number(text: str) -> int | Decimal | str:
    """Value text as a number when it is one (so a spreadsheet can add it up)."""
    stripped = text.strip()
    if not stripped:
        return ""
    try:
        if stripped.lstrip("+-").isdigit():
            return int(stripped)
        value = Decimal(stripped)
    except (ValueError, ArithmeticError):
        return text
    return value if value.is_finite() else text


def render(report: Report) -> bytes:
    """The report as an Excel workbook (XLSX), one sheet ``年度报告``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "年度报告"
    row = 1
    widest = 4
    for block in build_layout(report):
        if isinstance(block, LayoutText):
            size = {"title": 16, "heading": 12}.get(block.kind, 11)
            for line in block.text.split("\n"):  # a title printed on two lines: two rows
                cell = sheet.cell(row=row, column=1, value=line)
                cell.font = Font(name=_FONT, size=size, bold=block.kind != "paragraph")
                row += 1
            continue
        row = _table(sheet, block, row) + 1
        widest = max(widest, block.width)
    sheet.column_dimensions["A"].width = 22
    for col in range(2, widest + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 12
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(ws: Any, layout: LayoutTable, top: int) -> int:
    """Write one table from row ``top`` of worksheet ``ws``; returns the first row after it."""
    taken: set[tuple[int, int]] = set()
    header_fill = PatternFill("solid", fgColor="EEF3FA")
    for r, cells in enumerate(layout.rows):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
                    edge = ws.cell(row=top + r + dr, column=1 + c + dc)
                    edge.border = _BORDER
            target = ws.cell(row=top + r, column=1 + c)
            value: int | Decimal | str = _number(cell.text) if cell.kind == "value" else cell.text
            target.value = value
            if isinstance(value, Decimal):
                exponent = value.as_tuple().exponent
                places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                target.number_format = "0." + "0" * places if places else "0"
            elif isinstance(value, int) and cell.text.strip().startswith("+"):
                target.number_format = "+0;-0;0"  # 本年增/减 printed with its sign: +35
            target.font = Font(name=_FONT, size=10)
            target.alignment = Alignment(
                horizontal="left" if cell.kind == "rowhead" else "center",
                vertical="center",
                wrap_text=True,
            )
            if cell.kind == "caption":
                target.fill = header_fill
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=top + r,
                    start_column=1 + c,
                    end_row=top + r + cell.rowspan - 1,
                    end_column=1 + c + cell.colspan - 1,
                )
            c += cell.colspan
    return top + len(layout.rows)
