"""PDF front end: a PDF with a text layer → :class:`~xxgk.annual_report.raw.RawDocument`.

Text and character boxes come from PDFium (``pypdfium2``, C, fast); the tables are rebuilt
from the ruling lines the PDF draws and the positions of the characters (see
:mod:`._pdfgrid`), so merged cells keep their spans and a row-group label stacked vertically
one character per line reads as one cell. A table that a page break cuts in two is joined
again. Every paragraph and cell keeps its page and line (line numbers count the page's text
lines from the top, as ``pdftotext`` would print them).

A PDF without a text layer (a scan) goes to the OCR front end when the ``ocr`` extra is
installed; otherwise the document comes back with the note ``READ.needs_ocr``.
"""

from __future__ import annotations

import ctypes
import logging
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.raw import Location, RawDocument
from xxgk.annual_report.readers._pdfgrid import (
    Glyph,
    HSeg,
    VSeg,
    find_grids,
    place_glyphs,
    rect_to_segments,
)
from xxgk.annual_report.readers._pdfguard import check_streams
from xxgk.annual_report.readers._pdflayout import PageLayout, assemble, layout_page

__all__ = ["MAX_BYTES", "MAX_PAGES", "NEEDS_OCR", "NEEDS_OCR_PAGES", "read_raw"]

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/pdf"
#: Larger inputs are refused before parsing (an annual report is a few hundred KB).
MAX_BYTES = 64 * 1024 * 1024
#: An annual report has a handful of pages; more is not one (and would cost time).
MAX_PAGES = 200
#: Page objects (paths, text runs, images) allowed on one page; a report page has a few
#: thousand, and each costs Python work here.
MAX_OBJECTS = 100_000
#: Fewer printable characters than this per page on average: the PDF is a scan.
_MIN_CHARS_PER_PAGE = 20
#: Distance (points) under which two rule positions are the same rule.
_TOL = 2.5
#: A drawn rectangle thinner than this (points) is a line.
_THIN = 3.0

NEEDS_OCR = "READ.needs_ocr"
NEEDS_OCR_PAGES = "READ.pages_needs_ocr"  # ends in needs_ocr: an error finding


def read_raw(data: bytes, *, source: str) -> RawDocument:
    """条例第五十条的年度报告（PDF）：文字层、表格（含合并单元格）与位置 → RawDocument。

    Raises :class:`ReportReadError` (``pdf_too_large``, ``pdf_unreadable``,
    ``pdf_encrypted``, ``pdf_too_many_pages``) for input that is not a readable PDF.
    """
    if len(data) > MAX_BYTES:
        raise ReportReadError(
            "pdf_too_large",
            f"PDF文件过大（{len(data) // (1024 * 1024)} MB），超过{MAX_BYTES // (1024 * 1024)} MB的上限，不像是一份年度报告。",
            Location(file=source),
        )
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ReportReadError(
            "pdf_unreadable", "文件不是PDF格式（缺少PDF文件头）。", Location(file=source)
        )
    check_streams(data, source)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code, message = _pdfium_error(exc)
        raise ReportReadError(code, message, Location(file=source)) from None
    try:
        count = len(pdf)
        if count == 0:
            raise ReportReadError("pdf_unreadable", "PDF文件没有任何页面。", Location(file=source))
        if count > MAX_PAGES:
            raise ReportReadError(
                "pdf_too_many_pages",
                f"PDF共{count}页，超过{MAX_PAGES}页的上限，不像是一份年度报告。",
                Location(file=source),
            )
        pages: list[PageLayout] = []
        printable = 0
        blank_pages: list[int] = []
        for index in range(count):
            page = pdf[index]
            try:
                layout, chars = _read_page(page, index + 1, source)
                if chars == 0 and _has_images(page):
                    blank_pages.append(index + 1)
            finally:
                page.close()
            printable += chars
            pages.append(layout)
        if printable < _MIN_CHARS_PER_PAGE * count:
            return _scanned(data, source, count)
        doc = RawDocument(source=source, media_type=MEDIA_TYPE)
        doc.blocks = assemble(pages, source, _TOL * 2)
        if blank_pages:
            # A scanned page inside a text PDF (e.g. a signed table pasted as a picture).
            listed = "、".join(f"第{n}页" for n in blank_pages)
            doc.notes.append(
                (
                    NEEDS_OCR_PAGES,
                    f"{listed}只有图片、没有文字层，其内容未读取；需要文字识别（OCR）。",
                    Location(file=source, page=blank_pages[0]),
                )
            )
        return doc
    except pdfium.PdfiumError as exc:
        raise ReportReadError(
            "pdf_unreadable", f"PDF文件已损坏，无法读取（{exc}）。", Location(file=source)
        ) from None
    finally:
        pdf.close()


def _pdfium_error(exc: Exception) -> tuple[str, str]:
    text = str(exc)
    if "password" in text.lower():
        return "pdf_encrypted", "PDF文件已加密，需要密码才能打开，无法读取。"
    return "pdf_unreadable", "PDF文件已损坏或不完整，无法读取。"


def _read_page(page: Any, number: int, source: str) -> tuple[PageLayout, int]:
    objects = pdfium_c.FPDFPage_CountObjects(page.raw)
    if objects > MAX_OBJECTS:
        raise ReportReadError(
            "pdf_too_large",
            f"PDF第{number}页包含{objects}个图形对象，超过{MAX_OBJECTS}个的上限，不像是一份年度报告。",
            Location(file=source, page=number),
        )
    height = float(page.get_height())
    glyphs = _glyphs(page, height)
    hsegs, vsegs, fills = _rules(page, height)
    grids = find_grids(hsegs, vsegs, _TOL)
    # Filled cell boxes count only where no stroked rules already make a table: some
    # producers draw white boxes that do not match the printed rules.
    extra = [
        box
        for box in _cell_boxes(fills)
        if not any(g.contains((box[0] + box[2]) / 2, (box[1] + box[3]) / 2) for g in grids)
    ]
    if extra:
        for box in extra:
            hs, vs = rect_to_segments(*box, _THIN)
            hsegs.extend(hs)
            vsegs.extend(vs)
        grids = find_grids(hsegs, vsegs, _TOL)
    outside = place_glyphs(grids, glyphs) if grids else glyphs
    layout = layout_page(number, grids, outside, glyphs, source)
    return layout, sum(1 for g in glyphs if not g.text.isspace())


def _has_images(page: Any) -> bool:
    raw_page = page.raw
    image = pdfium_c.FPDF_PAGEOBJ_IMAGE
    return any(
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw_page, i)) == image
        for i in range(pdfium_c.FPDFPage_CountObjects(raw_page))
    )


def _glyphs(page: Any, height: float) -> list[Glyph]:
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        get_unicode = pdfium_c.FPDFText_GetUnicode
        is_generated = pdfium_c.FPDFText_IsGenerated
        loose_box = pdfium_c.FPDFText_GetLooseCharBox
        rect = pdfium_c.FS_RECTF()
        rect_ref = ctypes.byref(rect)
        found: list[tuple[str, float, float, float, float, int]] = []
        for i in range(count):
            code = get_unicode(raw, i)
            if code < 0x20 or code in (0xFFFE, 0xFFFF):
                continue
            # PDFium's synthetic spaces (between words, at line ends) are not in the PDF.
            if code == 0x20 and is_generated(raw, i) == 1:
                continue
            loose_box(raw, i, rect_ref)
            found.append((chr(code), rect.left, rect.bottom, rect.right, rect.top, i))
        if not found:
            return []
        heights = sorted(top - bottom for _, _, bottom, _, top, _ in found)
        typical = heights[len(heights) // 2]
        glyphs: list[Glyph] = []
        for char, left, bottom, right, top, i in found:
            if top - bottom > 4 * typical:
                # Vertical writing (Identity-V fonts): the loose box is meaningless there;
                # the tight box, squared around its centre, is where the character is.
                tl, tb, tr, tt = textpage.get_charbox(i)
                half = max(tr - tl, tt - tb, typical) / 2
                cx, cy = (tl + tr) / 2, (tb + tt) / 2
                left, right, bottom, top = cx - half, cx + half, cy - half, cy + half
            glyphs.append(Glyph(char, left, height - top, right, height - bottom))
        return glyphs
    finally:
        textpage.close()


def _rules(
    page: Any, height: float
) -> tuple[list[HSeg], list[VSeg], list[tuple[float, float, float, float]]]:
    """Ruling lines: stroked paths and thin filled bars.

    Large filled rectangles are returned apart: they are shading (a paragraph's white
    background, a blue caption row) unless they sit side by side with another filled box,
    as in a table drawn as filled cell boxes (see :func:`_cell_boxes`).
    """
    hsegs: list[HSeg] = []
    vsegs: list[VSeg] = []
    fills: list[tuple[float, float, float, float]] = []
    fill_mode = ctypes.c_int()
    stroke = ctypes.c_int()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = [ctypes.byref(v) for v in (left, bottom, right, top)]
    raw_page = page.raw
    path_type = pdfium_c.FPDF_PAGEOBJ_PATH
    # Through the C API directly: wrapping every page object (text objects included) in a
    # Python object costs more than the rest of the page.
    for index in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != path_type:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
            continue
        w, h = right.value - left.value, top.value - bottom.value
        if w > _THIN and h > _THIN and pdfium_c.FPDFPath_CountSegments(obj) <= 2:
            continue  # a diagonal stroke (a slashed header cell), not a rule
        box = (left.value, height - top.value, right.value, height - bottom.value)
        pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke))
        if not stroke.value and w > _THIN and h > _THIN:
            fills.append(box)
            continue
        hs, vs = rect_to_segments(*box, _THIN)
        hsegs.extend(hs)
        vsegs.extend(vs)
    return hsegs, vsegs, fills


def _cell_boxes(
    fills: list[tuple[float, float, float, float]],
) -> list[tuple[float, float, float, float]]:
    """Filled boxes that have a horizontal neighbour (cells of a table, not shading)."""
    ordered = sorted(fills)
    keep: set[int] = set()
    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            if b[0] > a[2] + _TOL:
                break
            if abs(a[2] - b[0]) <= _TOL and min(a[3], b[3]) - max(a[1], b[1]) > _THIN:
                keep.update((i, j))
    return [ordered[i] for i in sorted(keep)]


def _scanned(data: bytes, source: str, pages: int) -> RawDocument:
    """No text layer: OCR when the extra is installed, else a clear "needs OCR" note."""
    from xxgk.annual_report.readers.ocr import available, read_pdf

    if available():
        return read_pdf(data, source=source)
    doc = RawDocument(source=source, media_type=MEDIA_TYPE)
    doc.notes.append(
        (
            NEEDS_OCR,
            f"PDF共{pages}页，没有文字层（扫描件），需要文字识别（OCR）才能读取；"
            "请安装 xxgk[ocr] 扩展后重试。",
            Location(file=source),
        )
    )
    return doc
