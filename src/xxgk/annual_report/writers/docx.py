"""DOCX writer: the report in the official layout (党政机关公文格式, GB/T 9704-2012 style).

Page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (GB/T 9704 §5.2.1 gives
the 156 × 225 mm type area); page numbers centred at the foot as ``— 1 —``.
Type: title in 方正小标宋简体 二号 (22 pt), centred; section headings in 黑体 三号; body
text 仿宋_GB2312 三号 (16 pt) with a two-character first-line indent and a fixed 28.9 pt line
pitch (22 lines a page). Fonts are named, not embedded: Word substitutes 仿宋 where
仿宋_GB2312 is not installed (the ``w:altName``). Tables use 仿宋 10.5 pt with single rules,
the layout of :func:`xxgk.annual_report.writers.html.build_layout` — the format's merged
header cells as ``gridSpan``/``vMerge``.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from xxgk.annual_report.model import Report
from xxgk.annual_report.writers.html import LayoutCell, LayoutTable, LayoutText, build_layout

__all__ = ["BODY_FONT", "TITLE_FONT", "render"]

BODY_FONT = "仿宋_GB2312"
BODY_FONT_FALLBACK = "仿宋"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(10.5)  # 五号
LINE_PITCH = Pt(28.9)


def _fonts(run: Any, east_asia: str, size: Pt, *, bold: bool = False) -> None:
    run.font.size = size
    run.font.bold = bold
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")


def _page(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(footer.add_run("— "), BODY_FONT_FALLBACK, Pt(14))
    _field(footer, "PAGE")
    _fonts(footer.add_run(" —"), BODY_FONT_FALLBACK, Pt(14))


def _field(paragraph: Any, code: str) -> None:
    run = paragraph.add_run()
    _fonts(run, BODY_FONT_FALLBACK, Pt(14))
    for kind, text in (
        ("begin", None),
        (None, code),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._element.append(el)


def _styles(doc: Any) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = BODY_SIZE
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)


def _text(doc: Any, block: LayoutText) -> None:
    p = doc.add_paragraph()
    if block.kind == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(35)
        p.paragraph_format.space_after = Pt(28.9)
        for index, line in enumerate(block.text.split("\n")):
            run = p.add_run(line)
            if index:
                run.add_break()
                run.text = line
            _fonts(run, TITLE_FONT, TITLE_SIZE)
    elif block.kind == "heading":
        p.paragraph_format.first_line_indent = Pt(32)
        _fonts(p.add_run(block.text), HEADING_FONT, BODY_SIZE)
    else:
        p.paragraph_format.first_line_indent = Pt(32)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _fonts(p.add_run(block.text), BODY_FONT, BODY_SIZE)


def _borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    # Schema order inside w:tblPr: … w:jc, w:tblCellSpacing, w:tblInd, w:tblBorders, w:shd,
    # w:tblLayout, w:tblCellMar, w:tblLook — Word rejects a document with them out of order.
    later = [
        child
        for child in tbl_pr
        if child.tag in {qn("w:shd"), qn("w:tblLayout"), qn("w:tblCellMar"), qn("w:tblLook")}
    ]
    if later:
        later[0].addprevious(borders)
    else:
        tbl_pr.append(borders)
    fixed = OxmlElement("w:tblLayout")
    fixed.set(qn("w:type"), "fixed")  # the widths below, not Word's autofit
    borders.addnext(fixed)


def _table(doc: Any, layout: LayoutTable) -> None:
    """Write the table's XML directly (python-docx's ``merge`` is quadratic): each grid row
    gets its cells, a merged cell ``w:gridSpan`` wide and ``w:vMerge`` restart / continue."""
    table = doc.add_table(rows=0, cols=layout.width)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(table)
    widths = _column_widths(layout)
    for grid_col, width in zip(
        table._tbl.tblGrid.iterchildren(qn("w:gridCol")), widths, strict=True
    ):
        grid_col.set(qn("w:w"), str(width))
    nrows = len(layout.rows)
    origin: dict[tuple[int, int], tuple[LayoutCell, int]] = {}  # grid → (cell, its top row)
    for r, row in enumerate(layout.rows):
        c = 0
        for cell in row:
            while (r, c) in origin:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    origin[(r + dr, c + dc)] = (cell, r)
            c += cell.colspan
    for r in range(nrows):
        tr = OxmlElement("w:tr")
        if r < layout.header_rows:
            tr_pr = OxmlElement("w:trPr")
            tr_pr.append(OxmlElement("w:tblHeader"))
            tr.append(tr_pr)
        table._tbl.append(tr)
        c = 0
        while c < layout.width:
            found = origin.get((r, c))
            if found is None:  # a short row: pad with an empty cell
                tr.append(_tc(None, 1, None, widths[c]))
                c += 1
                continue
            cell, top = found
            merge = None if cell.rowspan == 1 else ("restart" if top == r else "continue")
            tc = _tc(
                cell if top == r else None, cell.colspan, merge, sum(widths[c : c + cell.colspan])
            )
            tr.append(tc)
            if top == r:
                _fill(_Cell(tc, table), cell)
            c += cell.colspan


#: The type area is 156 mm wide (GB/T 9704); 1 mm = 56.7 twips.
_TYPE_AREA_MM = 156.0
_LABEL_MM = {"二": (50.0,), "三": (12.0, 24.0, 46.0), "四": ()}


def _column_widths(layout: LayoutTable) -> list[int]:
    """Grid column widths in twips: label columns as the format prints them, the value
    columns sharing the rest of the type area equally."""
    value_cols = {"二": 3, "三": 7, "四": 15}.get(layout.section, layout.width)
    labels = layout.width - value_cols
    preset = _LABEL_MM.get(layout.section, ())
    if len(preset) == labels:
        label_mm = list(preset)
    else:  # e.g. section 二 with a variant-row column: split the label area
        label_mm = [sum(preset) / labels] * labels if labels and preset else [25.0] * labels
    rest = (_TYPE_AREA_MM - sum(label_mm)) / max(value_cols, 1)
    return [round(mm * 56.7) for mm in [*label_mm, *([rest] * value_cols)]]


def _tc(cell: LayoutCell | None, span: int, merge: str | None, width: int) -> Any:
    tc = OxmlElement("w:tc")
    pr = OxmlElement("w:tcPr")
    tc_w = OxmlElement("w:tcW")
    tc_w.set(qn("w:w"), str(width))
    tc_w.set(qn("w:type"), "dxa")
    pr.append(tc_w)
    if span > 1:
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), str(span))
        pr.append(grid_span)
    if merge:
        v_merge = OxmlElement("w:vMerge")
        if merge == "restart":
            v_merge.set(qn("w:val"), "restart")
        pr.append(v_merge)
    v_align = OxmlElement("w:vAlign")
    v_align.set(qn("w:val"), "center")
    pr.append(v_align)
    tc.append(pr)
    tc.append(OxmlElement("w:p"))
    return tc


def _fill(target: Any, cell: LayoutCell) -> None:
    p = target.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = Pt(0)
    if cell.kind in ("value", "colhead", "caption", "corner"):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run(cell.text), BODY_FONT_FALLBACK, TABLE_SIZE)


def render(report: Report) -> bytes:
    """The report as a Word document (DOCX) in the official layout."""
    doc = Document()
    _styles(doc)
    _page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    layout = build_layout(report)
    for block in layout:
        if isinstance(block, LayoutText):
            _text(doc, block)
        else:
            _table(doc, block)
            doc.add_paragraph()
    first = layout[0]
    doc.core_properties.title = (
        first.text.replace("\n", " ") if isinstance(first, LayoutText) else ""
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
