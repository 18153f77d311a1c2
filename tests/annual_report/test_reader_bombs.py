"""Small files that declare huge structures: every reader refuses (or clips) them in bounded memory.

Each case runs the reader in a fresh subprocess with a 3 GB address-space cap (so a
regression fails with MemoryError rather than taking the machine down) and reports its
peak RSS from ``resource.getrusage``; the test asserts the outcome and that the peak stayed
small. The subprocess starts Python and imports the reader, about 60–120 MB by itself.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import REPO

#: Peak RSS allowed for one refused or clipped bomb (the interpreter and imports included).
PEAK_MB = 400

_RUNNER = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
from importlib import import_module
from xxgk.annual_report.errors import ReportReadError
module, function, path = sys.argv[1:4]
reader = getattr(import_module(module), function)
outcome = {"code": None, "blocks": None, "error": None}
try:
    doc = reader(open(path, "rb").read(), source=path)
    outcome["blocks"] = [
        [[c.text, c.rowspan, c.colspan] for row in b.rows for c in row] if hasattr(b, "rows")
        else b.text
        for b in doc.blocks
    ]
    outcome["notes"] = [n[0] for n in doc.notes]
except ReportReadError as exc:
    outcome["code"] = exc.code
    outcome["message"] = exc.message
except BaseException as exc:
    outcome["error"] = type(exc).__name__
# VmHWM is this process's own high-water mark. ru_maxrss is not: Linux carries the peak of the
# memory image replaced at exec into it, and subprocess starts children with vfork, so it
# reports the parent's peak (a pytest worker that loaded the OCR models: about 1 GB).
try:
    with open("/proc/self/status") as status:
        hwm = [line.split()[1] for line in status if line.startswith("VmHWM:")]
    outcome["peak_mb"] = int(hwm[0]) // 1024
except (OSError, IndexError):
    outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps(outcome, ensure_ascii=False))
"""


def run_reader(module: str, path: Path, function: str = "read_raw") -> dict[str, object]:
    """Run ``module.function(bytes, source=path)`` in a subprocess; outcome and peak RSS."""
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, module, function, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, f"reader crashed: {done.returncode} {done.stderr[-2000:]}"
    outcome: dict[str, object] = json.loads(lines[-1])
    assert outcome["error"] is None, outcome
    return outcome


def _peak(outcome: dict[str, object]) -> int:
    peak = outcome["peak_mb"]
    assert isinstance(peak, int)
    return peak


# --- XLSX --------------------------------------------------------------------------------


def xlsx_with_merge(path: Path, ref: str, *, cells: dict[str, object]) -> Path:
    """A workbook holding ``cells`` whose sheet XML merges ``ref`` (written by hand)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for where, value in cells.items():
        sheet[where] = value
    sheet.merge_cells("A1:B2")
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<mergeCell ref="A1:B2"', f'<mergeCell ref="{ref}"'.encode())
            target.writestr(info.filename, data)
    return path


def test_xlsx_merge_of_the_whole_sheet_is_clipped_to_the_used_range(tmp_path: Path) -> None:
    """The reviewer's 5 KB file: A1:XFD1048576 merged (openpyxl alone took > 19 GB)."""
    path = xlsx_with_merge(tmp_path / "merge.xlsx", "A1:XFD1048576", cells={"A1": "标题", "C3": 7})
    assert path.stat().st_size < 10_000
    outcome = run_reader("xxgk.annual_report.readers.xlsx", path)
    assert outcome["code"] is None
    # clipped to A1:C3: one 3×3 table whose single cell holds the title
    assert outcome["blocks"] == [[["标题", 3, 3]]]
    assert _peak(outcome) < PEAK_MB


def test_xlsx_huge_merge_inside_a_huge_used_range_is_refused(tmp_path: Path) -> None:
    path = xlsx_with_merge(
        tmp_path / "merge.xlsx", "A1:XFD1048576", cells={"A1": "标题", "XFD1048576": 1}
    )
    outcome = run_reader("xxgk.annual_report.readers.xlsx", path)
    assert outcome["code"] == "xlsx_too_large"
    assert "合并单元格" in str(outcome["message"])
    assert _peak(outcome) < PEAK_MB


@pytest.mark.parametrize("ref", ["A:A", "1:1", "B2:A1"])
def test_xlsx_whole_column_and_row_merges(ref: str, tmp_path: Path) -> None:
    path = xlsx_with_merge(tmp_path / "merge.xlsx", ref, cells={"A1": "标题", "B3": 5})
    outcome = run_reader("xxgk.annual_report.readers.xlsx", path)
    assert outcome["code"] in (None, "xlsx_unreadable")
    assert _peak(outcome) < PEAK_MB


# --- DOCX --------------------------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_body(path: Path, body: bytes) -> Path:
    """A python-docx package whose ``word/document.xml`` body is ``body``."""
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    xml = f"<w:document {_W}><w:body>".encode() + body + b"</w:body></w:document>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = xml if info.filename == "word/document.xml" else source.read(info.filename)
            target.writestr(info.filename, data)
    return path


def test_docx_millions_of_tiny_elements_are_refused_before_parsing(tmp_path: Path) -> None:
    """5 million ``<w:p/>`` (30 MB, under the zip ratio thanks to a random comment): the
    parsed tree alone took 500 MB; the tags are counted first now."""
    import base64
    import os

    noise = b"<!--" + base64.b64encode(os.urandom(600_000)) + b"-->"
    path = docx_with_body(tmp_path / "many.docx", b"<w:p/>" * 5_000_000 + noise)
    assert path.stat().st_size < 1_000_000
    outcome = run_reader("xxgk.annual_report.readers.docx", path)
    assert outcome["code"] == "docx_too_large"
    assert _peak(outcome) < PEAK_MB  # 506 MB before (the tree); 180–260 MB now (the member read)


def test_docx_absurd_grid_spans_are_clipped(tmp_path: Path) -> None:
    from xxgk.annual_report.readers.docx import MAX_SPAN

    cell = b'<w:tc><w:tcPr><w:gridSpan w:val="999999999"/>%s</w:tcPr><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>'
    first = (
        b"<w:tr>" + cell % (b'<w:vMerge w:val="restart"/>', b"A") + cell % (b"", b"B") + b"</w:tr>"
    )
    more = b"<w:tr>" + cell % (b"<w:vMerge/>", b"") + cell % (b"", b"C") + b"</w:tr>"
    path = docx_with_body(tmp_path / "span.docx", b"<w:tbl>" + first + more * 3000 + b"</w:tbl>")
    outcome = run_reader("xxgk.annual_report.readers.docx", path)
    assert outcome["code"] is None
    blocks = outcome["blocks"]
    assert isinstance(blocks, list) and len(blocks) == 1
    table = blocks[0]
    assert table[:2] == [["A", 3001, MAX_SPAN], ["B", 1, MAX_SPAN]]
    assert all(span <= MAX_SPAN for _, _, span in table)
    assert _peak(outcome) < PEAK_MB


# --- PDF and OCR -------------------------------------------------------------------------


def tiny_pdf(
    content: bytes, *, media: tuple[int, int] = (595, 842), resources: bytes = b""
) -> bytes:
    """A one-page PDF whose content stream is ``content`` (Flate-compressed)."""
    import zlib

    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R /Resources << %s >> >>"
        % (*media, resources),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_content_stream_bomb_is_refused_before_pdfium(tmp_path: Path) -> None:
    """220 KB inflating to 112 MB of path operators: 2.1 GB and 80 s in PDFium before."""
    path = tmp_path / "paths.pdf"
    path.write_bytes(tiny_pdf(b"0 0 m 1 1 l S\n" * 8_000_000))
    assert path.stat().st_size < 300_000
    outcome = run_reader("xxgk.annual_report.readers.pdf", path)
    assert outcome["code"] == "pdf_too_large"
    assert "压缩炸弹" in str(outcome["message"])
    assert _peak(outcome) < PEAK_MB


def test_pdf_guard_passes_the_real_reports() -> None:
    from tests.annual_report.samples import SAMPLES_DIR
    from xxgk.annual_report.readers._pdfguard import check_streams

    for name in ("huaian-city-2024.pdf", "huaian-hongze-district-2023.pdf"):
        check_streams((SAMPLES_DIR / name).read_bytes(), name)  # raises if refused


def _needs_ocr_extra() -> None:
    from tests.conftest import in_ci
    from xxgk.annual_report.readers import ocr

    if not ocr.available() and not in_ci():
        pytest.skip("the ocr extra is not installed")


def test_scanned_pdf_with_a_200_inch_page_is_refused_before_rendering(tmp_path: Path) -> None:
    """479 bytes declaring a 14 400 pt square page: a 30 000² bitmap at 150 dpi."""
    _needs_ocr_extra()
    path = tmp_path / "huge-page.pdf"
    path.write_bytes(tiny_pdf(b"0 0 m 100 100 l S\n", media=(14400, 14400)))
    assert path.stat().st_size < 1000
    for module in ("xxgk.annual_report.readers.pdf", "xxgk.annual_report.readers.ocr"):
        outcome = run_reader(module, path)
        assert outcome["code"] == "image_too_large", outcome
        assert _peak(outcome) < PEAK_MB


def test_scanned_pdf_with_a_huge_picture_is_refused_before_decoding(tmp_path: Path) -> None:
    _needs_ocr_extra()
    # the picture is object 5: 60 000² pixels declared, one byte of data
    data = tiny_pdf(b"q 595 0 0 842 0 0 cm /Im1 Do Q\n", resources=b"/XObject << /Im1 5 0 R >>")
    body = b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceGray /BitsPerComponent 1 /Length 1 >>\nstream\n\x00\nendstream"
    data = data.replace(b"xref\n", b"5 0 obj\n" + body + b"\nendobj\nxref\n", 1)
    path = tmp_path / "huge-image.pdf"
    path.write_bytes(data)
    outcome = run_reader("xxgk.annual_report.readers.ocr", path, "read_pdf")
    assert outcome["code"] == "image_too_large", outcome
    assert "60000×60000" in str(outcome["message"])
    assert _peak(outcome) < PEAK_MB


def test_tiff_frame_larger_than_the_first_is_refused_before_decoding(tmp_path: Path) -> None:
    _needs_ocr_extra()
    from PIL import Image

    small = Image.new("1", (200, 200), 1)
    big = Image.new("1", (7000, 7000), 1)  # 49 M pixels, 6 MB as bits; compressed, tiny
    path = tmp_path / "frames.tiff"
    small.save(path, save_all=True, append_images=[big], compression="group4")
    assert path.stat().st_size < 200_000
    outcome = run_reader("xxgk.annual_report.readers.ocr", path, "read_image")
    assert outcome["code"] == "image_too_large", outcome
    assert "第2帧" in str(outcome["message"])
