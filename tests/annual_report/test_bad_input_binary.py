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

_SEEDS = {
    "pdf": CITY_PDF.read_bytes()[:20000],
    "docx": docx_bytes(),
}


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
