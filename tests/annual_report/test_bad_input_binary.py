"""Bad binary input: a clear message, exit 2 through the CLI, no traceback, bounded memory.

Also a bounded, derandomized fuzz of the PDF, DOCX and XLSX front ends: whatever the bytes,
they return a RawDocument or raise ReportReadError — nothing else.
"""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.annual_report.samples import SAMPLES_DIR
from xxgk.annual_report import ReportReadError, read
from xxgk.annual_report.readers import docx, pdf, xlsx
from xxgk.cli import main

CITY_PDF = SAMPLES_DIR / "huaian-city-2024.pdf"
TEMPLATE = SAMPLES_DIR / "blank-template-2021-format.docx"


def run_cli(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["report", "parse", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    return status, captured.err


def docx_bytes() -> bytes:
    return TEMPLATE.read_bytes()


def zip_bomb(path: Path, *, member: str, size: int) -> None:
    """A zip whose ``member`` expands to ``size`` bytes of spaces (written in chunks)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open(member, "w") as handle:
            chunk = b" " * (1024 * 1024)
            for _ in range(size // len(chunk)):
                handle.write(chunk)


def test_truncated_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = CITY_PDF.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    status, err = run_cli(path, capsys)
    assert status == 2
    assert "PDF文件已损坏或不完整" in err


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    zip_bomb(path, member="word/document.xml", size=300 * 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ReportReadError) as info:
            docx.read_raw(path.read_bytes(), source=path.name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.code == "docx_zip_bomb"
    assert "压缩炸弹" in info.value.message
    assert peak < 32 * 1024 * 1024  # never inflated


def test_docx_zip_bomb_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bomb.docx"
    zip_bomb(path, member="word/document.xml", size=300 * 1024 * 1024)
    status, err = run_cli(path, capsys)
    assert status == 2
    assert "压缩炸弹" in err


def test_too_many_entries_and_lying_sizes(tmp_path: Path) -> None:
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        z.writestr("word/document.xml", "<x/>")
        for i in range(1200):
            z.writestr(f"junk/{i}", "")
    with pytest.raises(ReportReadError) as info:
        docx.read_raw(many.getvalue(), source="many.docx")
    assert info.value.code == "docx_zip_bomb"
    # reading never returns more than the limit, whatever the header says (here: a real
    # 2 MB member read under a 1 MB limit)
    from xxgk.annual_report.readers import _zip

    small = io.BytesIO()
    with zipfile.ZipFile(small, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", os.urandom(2_000_000))
    package = _zip.open_package(small.getvalue(), source="s.xlsx", kind="XLSX")
    limit = _zip.MAX_MEMBER
    try:
        _zip.MAX_MEMBER = 1_000_000
        with pytest.raises(ReportReadError) as info:
            _zip.read_member(package, "xl/workbook.xml", source="s.xlsx", kind="XLSX")
    finally:
        _zip.MAX_MEMBER = limit
    assert info.value.code == "xlsx_zip_bomb"


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".xlsx"])
def test_binary_junk_renamed(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(os.urandom(64 * 1024))
    status, err = run_cli(path, capsys)
    assert status == 2
    assert err.strip() and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".xlsx"])
def test_front_ends_refuse_junk_themselves(suffix: str) -> None:
    reader = {".pdf": pdf, ".docx": docx, ".xlsx": xlsx}[suffix]
    with pytest.raises(ReportReadError) as info:
        reader.read_raw(b"\x00\x01garbage" * 100, source=f"junk{suffix}")
    assert info.value.message  # Chinese, for people
    assert info.value.code.endswith("_unreadable")


BUDGET_HTML = """<html><body><h1>某某区财政局2024年部门预算</h1>
<p>一、部门基本情况</p><p>二、收支预算总表</p>
<table border="1"><tr><th>收入项目</th><th>预算数</th><th>支出项目</th><th>预算数</th></tr>
<tr><td>一般公共预算拨款收入</td><td>1234.56</td><td>一般公共服务支出</td><td>1000.00</td></tr>
<tr><td>政府性基金预算拨款收入</td><td>0</td><td>社会保障和就业支出</td><td>234.56</td></tr>
<tr><td>收入总计</td><td>1234.56</td><td>支出总计</td><td>1234.56</td></tr></table>
<p>三、一般公共预算“三公”经费支出情况</p></body></html>"""


def test_budget_report_as_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from weasyprint import HTML

    path = tmp_path / "budget.pdf"
    path.write_bytes(HTML(string=BUDGET_HTML).write_pdf())
    status, err = run_cli(path, capsys)
    assert status == 2
    assert "年度报告" in err


def test_budget_report_as_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("某某区财政局2024年部门预算")
    table = document.add_table(rows=3, cols=4)
    for r, row in enumerate(
        [
            ("收入项目", "预算数", "支出项目", "预算数"),
            ("一般公共预算拨款收入", "1234.56", "一般公共服务支出", "1000.00"),
            ("收入总计", "1234.56", "支出总计", "1234.56"),
        ]
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = tmp_path / "budget.docx"
    document.save(str(path))
    status, err = run_cli(path, capsys)
    assert status == 2
    assert "年度报告" in err


def test_empty_and_huge_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert run_cli(empty, capsys)[0] == 2
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    status, err = run_cli(huge, capsys)
    assert status == 2 and "MB" in err


FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def layout_pdf() -> bytes:
    """A small, whole, valid PDF whose page the layout code really works on.

    The content stream is uncompressed (so byte edits change operators and coordinates, not
    a zlib stream that would simply fail) and holds what the PDF front end rebuilds:
    paragraphs, a ruled 3×3 table with numbers, a rule-less "label  n  n  n" table and a
    page number. The first 20 000 bytes of a real report (the old seed) were always refused
    before any of it ran.
    """
    ops = ["BT /F1 11 Tf 72 780 Td (Annual report of the office, year 2024) Tj ET"]
    for i, line in enumerate(
        [
            "The office received applications and answered every one of them in time,",
            "and the figures below are the tables of the report as printed on paper.",
            "  Second paragraph, indented, ends short.",
        ]
    ):
        ops.append(
            f"BT /F1 11 Tf {72 + (20 if line.startswith(' ') else 0)} {750 - 14 * i} Td ({line.strip()}) Tj ET"
        )
    ys, xs = [680, 655, 630, 605], [72, 220, 320, 420, 520]
    ops.append("0.75 w")
    ops += [f"{xs[0]} {y} m {xs[-1]} {y} l S" for y in ys]
    ops += [f"{x} {ys[0]} m {x} {ys[-1]} l S" for x in xs]
    cells = [["Rules", "1", "0", "11"], ["Documents", "8", "26", "66"], ["Total", "9", "26", "77"]]
    for r, row in enumerate(cells):
        for c, text in enumerate(row[1:], start=1):
            ops.append(f"BT /F1 10 Tf {xs[c] + 30} {ys[r] - 17} Td ({text}) Tj ET")
        ops.append(f"BT /F1 10 Tf {xs[0] + 4} {ys[r] - 17} Td ({row[0]}) Tj ET")
    for r, (label, *values) in enumerate(
        [
            ("Received", "3001", "53", "3119"),
            ("Carried", "34", "0", "34"),
            ("Answered", "1288", "21", "1362"),
        ]
    ):
        ops.append(f"BT /F1 10 Tf 72 {560 - 16 * r} Td ({label}) Tj ET")
        for c, value in enumerate(values):
            ops.append(f"BT /F1 10 Tf {240 + 70 * c} {560 - 16 * r} Td ({value}) Tj ET")
    ops.append("BT /F1 10 Tf 290 60 Td (-3-) Tj ET")
    content = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
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


_SEEDS = {
    "pdf": layout_pdf(),
    "docx": docx_bytes(),
}


def test_the_pdf_fuzz_seed_reaches_the_layout_code() -> None:
    """The seed is read whole: a ruled table, a rule-less table and paragraphs come out."""
    from xxgk.annual_report.raw import RawParagraph, RawTable

    doc = pdf.read_raw(_SEEDS["pdf"], source="seed.pdf")
    tables = [
        [[c.text for c in row] for row in b.rows] for b in doc.blocks if isinstance(b, RawTable)
    ]
    assert [
        ["Rules", "1", "0", "11"],
        ["Documents", "8", "26", "66"],
        ["Total", "9", "26", "77"],
    ] in tables
    assert any(["Received", "3001", "53", "3119"] in t for t in tables)
    texts = [b.text for b in doc.blocks if isinstance(b, RawParagraph)]
    assert any(t.startswith("The office received") for t in texts)
    assert not any("-3-" in t for t in texts)  # the page number is dropped


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        buffer[position % len(buffer)] = value
    return bytes(buffer)


@FUZZ
@given(
    st.sampled_from(["pdf", "docx", "xlsx"]),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=40),
    st.integers(0, 100),
)
def test_fuzz_binary_front_ends(kind: str, edits: list[tuple[int, int]], cut: int) -> None:
    """Mutated and truncated real files: a RawDocument or a ReportReadError, nothing else."""
    reader = {"pdf": pdf, "docx": docx, "xlsx": xlsx}[kind]
    seed = _SEEDS.get(kind) or _xlsx_seed()
    data = _mutate(seed, edits)
    data = data[: max(1, len(data) * (100 - cut) // 100)]
    try:
        reader.read_raw(data, source=f"fuzz.{kind}")
    except ReportReadError as exc:
        assert exc.message


_PDF_STREAM = (_SEEDS["pdf"].index(b"stream\n") + 7, _SEEDS["pdf"].index(b"\nendstream"))


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, 10**6), st.sampled_from(b"0123456789 .-\nmlSTfjdreQq()")),
        min_size=1,
        max_size=30,
    ),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=3),
)
def test_fuzz_pdf_layout(
    content_edits: list[tuple[int, int]], anywhere: list[tuple[int, int]]
) -> None:
    """Operators and coordinates of the seed's page changed in place (the file stays
    whole, so PDFium parses it and the grid, rule-less table and paragraph code run)."""
    from unittest import mock

    start, end = _PDF_STREAM
    edits = [(start + p % (end - start), v) for p, v in content_edits] + anywhere
    data = _mutate(_SEEDS["pdf"], edits)
    with mock.patch("xxgk.annual_report.readers.ocr.available", return_value=False):
        try:
            doc = pdf.read_raw(data, source="fuzz.pdf")
        except ReportReadError as exc:
            assert exc.message
            return
    assert doc.blocks or doc.notes


_XLSX: list[bytes] = []


def _xlsx_seed() -> bytes:
    if not _XLSX:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet["A1"] = "第二十条第（一）项"
        sheet.merge_cells("A1:D1")
        sheet.append(["规章", 1, 0, 11])
        out = io.BytesIO()
        book.save(out)
        _XLSX.append(out.getvalue())
    return _XLSX[0]


def test_whole_read_of_mutated_pdf_never_raises_anything_else() -> None:
    data = bytearray(CITY_PDF.read_bytes())
    for position in range(1000, len(data), len(data) // 40):
        data[position] ^= 0x55
    try:
        read(bytes(data), name="mutated.pdf")
    except ReportReadError as exc:
        assert exc.message
