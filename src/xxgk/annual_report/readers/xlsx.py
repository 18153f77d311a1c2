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
import re
import warnings
import zipfile
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
from xxgk.annual_report.readers._zip import open_package, read_member

__all__ = ["MEDIA_TYPE", "read_raw"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A report sheet is small; bigger used ranges are refused rather than walked.
MAX_CELLS = 200_000
#: Excel's own limits: a reference beyond them is not a cell.
_EXCEL_ROWS, _EXCEL_COLS = 1_048_576, 16_384

_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="\$?([A-Za-z]{1,3})\$?(\d{1,7})"')
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*>(?:\s*</(?:[A-Za-z_][\w.-]*:)?mergeCell>)?"
)
_MERGE_REF = re.compile(rb'(\sref=")([^"]*)(")')


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
        # openpyxl turns every cell of a merged range into an object while loading: a
        # 5 KB file merging A1:XFD1048576 would take tens of GB. Merges are clipped to the
        # cells the sheet really has, and counted against the budget, before openpyxl.
        data = _clip_merges(package, data, source)
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


def _clip_merges(package: zipfile.ZipFile, data: bytes, source: str) -> bytes:
    """The package with every ``mergeCell`` clipped to its sheet's used range.

    Raises ``xlsx_too_large`` when the merged areas, clipped, exceed :data:`MAX_CELLS`.
    Returns ``data`` itself when nothing had to change.
    """
    changed: dict[str, bytes] = {}
    for name in package.namelist():
        if not name.lower().endswith(".xml"):
            continue
        xml = read_member(package, name, source=source, kind="XLSX")
        if b"mergeCell" not in xml:
            continue
        clipped = _clip_sheet_merges(xml, name, source)
        if clipped is not xml:
            changed[name] = clipped
    if not changed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as repacked:
        for info in package.infolist():
            body = changed.get(info.filename)
            if body is None:
                body = read_member(package, info.filename, source=source, kind="XLSX")
            repacked.writestr(info.filename, body)
    return out.getvalue()


def _clip_sheet_merges(xml: bytes, name: str, source: str) -> bytes:
    from openpyxl.utils.cell import column_index_from_string, range_boundaries

    refs = _CELL_REF.findall(xml)
    if len(refs) < len(_CELL_TAG.findall(xml)):
        # Cells without a reference: the used range is not known here; count only.
        max_row, max_col = _EXCEL_ROWS, _EXCEL_COLS
    else:
        max_row = max((int(r) for _, r in refs), default=0)
        max_col = max((column_index_from_string(c.decode().upper()) for c, _ in refs), default=0)
    area = 0

    def clip(match: re.Match[bytes]) -> bytes:
        nonlocal area
        element = match.group(0)
        found = _MERGE_REF.search(element)
        if found is None:
            return b""
        try:
            c0, r0, c1, r1 = range_boundaries(found.group(2).decode("ascii"))
        except (ValueError, TypeError, UnicodeDecodeError):
            return b""  # not a range: openpyxl would fail on it
        c0, r0 = c0 or 1, r0 or 1
        c1, r1 = min(c1 or _EXCEL_COLS, max_col), min(r1 or _EXCEL_ROWS, max_row)
        if c0 > c1 or r0 > r1 or (c0, r0) == (c1, r1):
            return b""  # wholly outside the used range, or a single cell: no merge
        area += (c1 - c0 + 1) * (r1 - r0 + 1)
        if area > MAX_CELLS:
            raise ReportReadError(
                "xlsx_too_large",
                f"工作表的合并单元格范围过大（超过{MAX_CELLS}个单元格），不像是一份年度报告，拒绝读取。",
                Location(file=source, cell=name),
            )
        ref = f"{_column(c0)}{r0}:{_column(c1)}{r1}".encode()
        if ref == found.group(2):
            return element
        return element[: found.start(2)] + ref + element[found.end(2) :]

    clipped = _MERGE.sub(clip, xml)
    return xml if clipped == xml else clipped


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A cell value as printed: integral numbers without ``.0``, dates as ISO.

    The number format adds what Excel prints around the stored number: a fraction is
    padded to the format's decimals (``166.37`` under ``0.0000`` → ``166.3700``; never
    rounded, so no digit is lost), and a format whose positive part starts with ``+``
    prints the sign (``35`` under ``+0;-0;0`` → ``+35``, a 本年增/减 cell).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return _number_text(value, number_format or "General")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


_FORMAT_DECIMALS = re.compile(r"[0#?]\.([0#?]+)")


def _number_text(value: int | float | Decimal, number_format: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        number = Decimal(int(value))
    positive = number_format.split(";")[0]
    if not number.is_finite():
        return str(value)
    if number == number.to_integral_value() and not isinstance(value, Decimal):
        text = str(int(number))
    else:
        text = format(number, "f")
        shown = _FORMAT_DECIMALS.search(positive.replace('"', ""))
        exponent = number.as_tuple().exponent
        places = len(shown.group(1)) if shown else 0
        if isinstance(exponent, int) and -exponent < places:
            text = format(number.quantize(Decimal(1).scaleb(-places)), "f")
    if number > 0 and positive.lstrip('"\\')[:1] == "+":
        text = "+" + text
    return text


def _sheet_blocks(sheet: Any, source: str) -> list[Block]:
    max_row, max_col = sheet.max_row or 0, sheet.max_column or 0
    if max_row * max_col > MAX_CELLS:
        raise ReportReadError(
            "xlsx_too_large",
            f"工作表“{sheet.title}”的使用范围过大（{max_row}行×{max_col}列），不像是一份年度报告。",
            Location(file=source, cell=sheet.title),
        )
    # Merged ranges: top-left → (rowspan, colspan); covered cells are skipped.
    # Clipped to the used range and counted before any is expanded (see _clip_merges).
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    area = 0
    for merged in sheet.merged_cells.ranges:
        r0, c0 = merged.min_row, merged.min_col
        r1, c1 = min(merged.max_row, max_row), min(merged.max_col, max_col)
        if r0 > r1 or c0 > c1:
            continue
        area += (r1 - r0 + 1) * (c1 - c0 + 1)
        if area > MAX_CELLS:
            raise ReportReadError(
                "xlsx_too_large",
                f"工作表“{sheet.title}”的合并单元格范围过大，不像是一份年度报告。",
                Location(file=source, cell=sheet.title),
            )
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
            text = cell_text(cell.value, cell.number_format)
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
