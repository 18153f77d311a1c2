"""OCR front end: scanned PDFs and images → :class:`~xxgk.annual_report.raw.RawDocument`.

Text comes from ``rapidocr_onnxruntime`` (the optional ``ocr`` extra: PP-OCRv4 models shipped
inside its wheel, nothing is downloaded at run time). Tables are rebuilt exactly as for a PDF
with a text layer (:mod:`._pdfgrid`): the ruling lines are found in the picture itself (long
runs of dark pixels), the recognised text boxes are placed into the cells they sit in.

Without the extra, every entry point returns a document carrying the note
``READ.needs_ocr`` (a clear "needs OCR" finding), never an exception.

Recognition is not certain: every OCR document carries the note ``READ.ocr`` asking for the
figures to be checked against the original, and boxes read with low confidence are listed.
"""

from __future__ import annotations

import ctypes
import importlib.util
import io
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.raw import Location, RawDocument
from xxgk.annual_report.readers._pdfgrid import (
    Glyph,
    Grid,
    HSeg,
    VSeg,
    find_grids,
    place_glyphs,
)
from xxgk.annual_report.readers._pdfguard import check_streams
from xxgk.annual_report.readers._pdflayout import PageLayout, assemble, layout_page

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["DPI", "NEEDS_OCR", "available", "read_image", "read_images", "read_pdf", "read_raw"]

NEEDS_OCR = "READ.needs_ocr"
OCR_NOTE = "READ.ocr"
OCR_LOW_CONFIDENCE = "READ.ocr_low_confidence"

#: Scanned PDFs are rendered at this resolution before recognition.
DPI = 150
#: Refuse pictures larger than this many pixels (decompression bombs; an A4 page at 300 dpi
#: is 8.7 million pixels).
MAX_PIXELS = 40_000_000
MAX_BYTES = 64 * 1024 * 1024
MAX_PAGES = 50
#: A recognised box below this confidence is listed in a note.
LOW_CONFIDENCE = 0.6


def available() -> bool:
    """True when the ``ocr`` extra (``rapidocr_onnxruntime``) is installed."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def _needs_ocr(source: str, media_type: str, what: str) -> RawDocument:
    doc = RawDocument(source=source, media_type=media_type)
    doc.notes.append(
        (
            NEEDS_OCR,
            f"{what}需要文字识别（OCR）才能读取；请安装 xxgk[ocr] 扩展后重试。",
            Location(file=source),
        )
    )
    return doc


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def read_raw(data: bytes, *, source: str) -> RawDocument:
    """条例第五十条的年度报告（图片或扫描PDF）：文字识别后重建表格 → RawDocument。"""
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return read_pdf(data, source=source)
    return read_image(data, source=source)


def read_image(data: bytes, *, source: str) -> RawDocument:
    """One picture of a page (PNG, JPEG, TIFF…) through OCR."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_BYTES:
        raise ReportReadError("image_too_large", "图片文件过大，无法读取。", Location(file=source))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ReportReadError(
                    "image_too_large",
                    f"图片尺寸过大（{width}×{height}像素），无法读取。",
                    Location(file=source),
                )
            media = Image.MIME.get(image.format or "", "image/*")
            if not available():
                return _needs_ocr(source, media, "图片")
            pages = []
            for index in range(getattr(image, "n_frames", 1)):
                if index >= MAX_PAGES:
                    break
                image.seek(index)
                # Each frame of a TIFF has its own size: check it before decoding it.
                if image.size[0] * image.size[1] > MAX_PIXELS:
                    raise ReportReadError(
                        "image_too_large",
                        f"图片第{index + 1}帧尺寸过大（{image.size[0]}×{image.size[1]}像素），无法读取。",
                        Location(file=source, page=index + 1),
                    )
                pages.append(image.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ReportReadError(
            "image_unreadable",
            f"无法识别的图片文件（{type(exc).__name__}）。",
            Location(file=source),
        ) from None
    except Image.DecompressionBombWarning:
        raise ReportReadError(
            "image_too_large", "图片尺寸过大，无法读取。", Location(file=source)
        ) from None
    return _recognise(pages, source, media)


def read_images(pictures: list[bytes], *, source: str) -> RawDocument:
    """Several pictures as the pages of one document (a table may run over a page break)."""
    from PIL import Image, UnidentifiedImageError

    if len(pictures) > MAX_PAGES:
        raise ReportReadError(
            "image_too_many", f"图片超过{MAX_PAGES}张的上限。", Location(file=source)
        )
    if not available():
        return _needs_ocr(source, "image/*", "图片")
    pages = []
    for number, data in enumerate(pictures, start=1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
                if image.size[0] * image.size[1] > MAX_PIXELS:
                    raise ReportReadError(
                        "image_too_large",
                        f"第{number}张图片尺寸过大，无法读取。",
                        Location(file=source, page=number),
                    )
                pages.append(image.convert("L"))
        except (
            UnidentifiedImageError,
            OSError,
            ValueError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ):
            raise ReportReadError(
                "image_unreadable",
                f"第{number}张图片无法识别。",
                Location(file=source, page=number),
            ) from None
    return _recognise(pages, source, "image/*")


def read_pdf(data: bytes, *, source: str) -> RawDocument:
    """A scanned PDF: each page rendered at :data:`DPI` and read through OCR."""
    import pypdfium2 as pdfium

    if not available():
        return _needs_ocr(source, "application/pdf", "PDF没有文字层（扫描件），")
    if len(data) > MAX_BYTES:
        raise ReportReadError("pdf_too_large", "PDF文件过大，无法读取。", Location(file=source))
    check_streams(data, source)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise ReportReadError(
            "pdf_unreadable", "PDF文件已损坏或不完整，无法读取。", Location(file=source)
        ) from None
    try:
        if len(pdf) > MAX_PAGES:
            raise ReportReadError(
                "pdf_too_many_pages",
                f"扫描PDF共{len(pdf)}页，超过{MAX_PAGES}页的上限。",
                Location(file=source),
            )
        images = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                _check_render_size(page, index + 1, source)
                images.append(_scanned_page(page))
            finally:
                page.close()
    finally:
        pdf.close()
    return _recognise(images, source, "application/pdf")


def _scanned_page(page: Any) -> Any:
    """The page as a grey picture at :data:`DPI`, as the PNG path gets it from ``pdftoppm``.

    A scan page is one picture covering the page: its own pixels are taken (resized to
    :data:`DPI` with a Lanczos filter when the scan has another resolution) instead of
    PDFium's render of it, whose resampling blurred lone thin digits (a ``1`` or a ``0``
    alone in a cell) enough for the detector to miss them. Any other page is rendered.
    """
    import pypdfium2.raw as pdfium_c
    from PIL import Image

    width, height = page.get_size()
    objects = list(page.get_objects(max_depth=1))
    images = [o for o in objects if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    if len(images) == 1 and len(objects) <= 2:
        left, bottom, right, top = images[0].get_bounds()
        matrix = images[0].get_matrix()
        upright = matrix.b == 0 and matrix.c == 0 and matrix.a > 0 and matrix.d > 0
        if upright and right - left >= 0.95 * width and top - bottom >= 0.95 * height:
            try:
                picture = images[0].get_bitmap(render=False).to_pil().convert("L")
            except Exception:  # an image PDFium cannot decode alone: render the page
                picture = None
            if picture is not None:
                size = (round(width / 72 * DPI), round(height / 72 * DPI))
                if picture.size != size:
                    picture = picture.resize(size, Image.Resampling.LANCZOS)
                return picture
    bitmap = page.render(scale=DPI / 72, grayscale=True)
    return bitmap.to_pil().convert("L")


def _check_render_size(page: Any, number: int, source: str) -> None:
    """Refuse before decoding: a page or an embedded picture over :data:`MAX_PIXELS`.

    A 479-byte PDF can declare a 200-inch page (a 30 000² pixel bitmap at 150 dpi), and a
    few KB of Flate can declare a 100 000² pixel image; both are known before rendering.
    """
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    pixels = width * height * (DPI / 72) ** 2
    where = Location(file=source, page=number)
    if pixels > MAX_PIXELS:
        raise ReportReadError(
            "image_too_large",
            f"PDF第{number}页尺寸过大（{width / 72 * 2.54:.0f}×{height / 72 * 2.54:.0f}厘米），无法读取。",
            where,
        )
    raw = page.raw
    for index in range(min(pdfium_c.FPDFPage_CountObjects(raw), 10_000)):
        obj = pdfium_c.FPDFPage_GetObject(raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        w, h = ctypes.c_uint(), ctypes.c_uint()
        known = pdfium_c.FPDFImageObj_GetImagePixelSize(obj, ctypes.byref(w), ctypes.byref(h))
        if known and w.value * h.value > MAX_PIXELS:
            raise ReportReadError(
                "image_too_large",
                f"PDF第{number}页中的图片尺寸过大（{w.value}×{h.value}像素），无法读取。",
                where,
            )


def _recognise(images: list[Any], source: str, media_type: str) -> RawDocument:
    import numpy as np

    engine = _engine()
    layouts: list[PageLayout] = []
    doc = RawDocument(source=source, media_type=media_type)
    low: list[str] = []
    for number, image in enumerate(images, start=1):
        gray = np.asarray(image, dtype=np.uint8)
        # No angle classifier: on a single digit it turns 6 into 9 (a page is upright anyway).
        result, _ = engine(gray, use_cls=False)
        glyphs: list[Glyph] = []
        for quad, text, score in result or []:
            xs = [float(p[0]) for p in quad]
            ys = [float(p[1]) for p in quad]
            glyphs.append(Glyph(str(text), min(xs), min(ys), max(xs), max(ys)))
            if float(score) < LOW_CONFIDENCE:
                low.append(f"第{number}页“{text}”")
        hsegs, vsegs = page_rules(gray)
        tol = DPI / 72 * 2.5
        grids = find_grids(hsegs, vsegs, tol)
        outside = place_glyphs(grids, glyphs) if grids else glyphs
        for grid in grids:
            _reread_empty_cells(engine, gray, grid, np)
        layouts.append(layout_page(number, grids, outside, glyphs, source, spaced=True))
    doc.blocks = assemble(layouts, source, DPI / 72 * 5)
    doc.notes.append(
        (
            OCR_NOTE,
            "本文档经文字识别（OCR）读取，数字可能有误，请与原件核对。",
            Location(file=source),
        )
    )
    if low:
        shown = "、".join(low[:10]) + ("等" if len(low) > 10 else "")
        doc.notes.append(
            (
                OCR_LOW_CONFIDENCE,
                f"文字识别把握不大的内容共{len(low)}处：{shown}。",
                Location(file=source),
            )
        )
    return doc


def _reread_empty_cells(engine: Any, gray: Any, grid: Grid, np: Any) -> None:
    """Cells where detection found nothing but ink is present: recognise the cell alone.

    The text detector misses lone short marks such as a single ``0`` in a wide cell; the
    recogniser reads them well from the cell's own crop.
    """
    for cell in grid.cells:
        if cell.glyphs:
            continue
        x0, y0 = int(cell.x0) + 3, int(cell.y0) + 3
        x1, y1 = int(cell.x1) - 2, int(cell.y1) - 2
        if (
            x1 - x0 < 6
            or y1 - y0 < 6
            or (y1 - y0) > 4 * (x1 - x0)
            or (x1 - x0) * (y1 - y0) > 200_000
        ):
            continue
        crop = gray[y0:y1, x0:x1]
        ink = np.argwhere(crop < 128)
        if len(ink) < 8:
            continue  # blank cell
        (ty, tx), (by, bx) = ink.min(axis=0), ink.max(axis=0)
        pad = 4
        tight = crop[max(ty - pad, 0) : by + pad + 1, max(tx - pad, 0) : bx + pad + 1]
        result, _ = engine(tight, use_det=False, use_cls=False, use_rec=True)
        if not result:
            continue
        text, score = str(result[0][0]).strip(), float(result[0][1])
        if text and score >= LOW_CONFIDENCE:
            cell.glyphs.append(Glyph(text, x0 + tx, y0 + ty, x0 + bx, y0 + by))


def page_rules(gray: npt.NDArray[np.uint8]) -> tuple[list[HSeg], list[VSeg]]:
    """Ruling lines of a page picture: runs of dark pixels long enough not to be a stroke.

    Horizontal rules must be at least 0.4 inch long, vertical ones 0.25 inch (a table row
    is taller than that; a character's stroke is shorter).
    """
    import numpy as np

    dark = gray < 190
    scale = gray.shape[1] / 8.27  # pixels per inch on an A4-wide page
    hsegs = [
        HSeg(float(y), float(x0), float(x1)) for y, x0, x1 in _runs(dark, int(0.4 * scale), np)
    ]
    vsegs = [
        VSeg(float(x), float(y0), float(y1)) for x, y0, y1 in _runs(dark.T, int(0.25 * scale), np)
    ]
    return hsegs, vsegs


def _runs(mask: npt.NDArray[np.bool_], min_len: int, np: Any) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of True in ``mask`` rows at least ``min_len`` long."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    diff = np.diff(padded, axis=1)
    starts = np.argwhere(diff == 1)
    ends = np.argwhere(diff == -1)
    lengths = ends[:, 1] - starts[:, 1]
    keep = lengths >= min_len
    return [
        (int(r), int(s), int(e))
        for r, s, e in zip(starts[keep, 0], starts[keep, 1], ends[keep, 1], strict=True)
    ]
