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
    assert _peak(outcome) < 250


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
