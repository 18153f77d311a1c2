"""The dispatcher: sniffing by content, size limit before parsing, lazy front ends."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.annual_report.samples import CORE_SAMPLES, SEED
from xxgk.annual_report import ReportReadError, read, reading, sniff


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "ocr"),
        (b"\xff\xd8\xff\xe0JFIF", "ocr"),
        (_zip(["word/document.xml"]), "docx"),
        (_zip(["xl/workbook.xml"]), "xlsx"),
        (b"<table><tr><td>1</td></tr></table>", "html"),
        (b"| a | b |\n|---|---|\n| 1 | 2 |\n", "markdown"),
        ("一、本年新收政府信息公开申请数量640020470".encode(), "glued"),
        ("\t规章\n\t0\n".encode(), "text"),
    ],
)
def test_sniff_by_content(data: bytes, kind: str) -> None:
    assert sniff(data, "whatever.txt") == kind


def test_the_extension_is_not_trusted() -> None:
    report = read(CORE_SAMPLES["shanghai-gov-office-2019"].read_bytes(), name="report.pdf")
    assert report.year == 2019


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "unsupported"),
        (_zip(["mimetype", "content.xml"]), "unsupported"),
        (b"PK\x03\x04 broken", "bad_zip"),
        (b"\x00\x01\x02junk" * 10, "binary"),
    ],
)
def test_unusable_containers(data: bytes, code: str) -> None:
    with pytest.raises(ReportReadError) as info:
        read(data, name="x")
    assert info.value.code == code
    assert info.value.message  # Chinese, for people


def test_size_limit_is_checked_before_parsing() -> None:
    data = SEED.read_bytes()
    with pytest.raises(ReportReadError) as info:
        read(data, name="seed", max_bytes=len(data) - 1)
    assert info.value.code == "too_large"
    assert read(data, name="seed", max_bytes=len(data)).year == 2020


def test_a_missing_front_end_is_unsupported_not_an_import_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(reading.KINDS, "rtf", "RTF 文档")
    with pytest.raises(ReportReadError) as info:
        reading.read_raw(b"{\\rtf1 hello}", source="x.rtf", kind="rtf")
    assert info.value.code == "unsupported" and "RTF" in info.value.message


def test_our_json_is_read_back() -> None:
    from xxgk.annual_report import render

    report = read(SEED)
    again = read(render(report, "json"), name="seed.json")
    assert again.cells == report.cells and again.narrative == report.narrative


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "gb18030"])
def test_text_in_windows_encodings_is_read(encoding: str) -> None:
    from tests.annual_report.samples import SEED, differences

    text = SEED.read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    report = read(data, name=f"seed.{encoding}.txt")
    assert differences(report, "seed-000_37d7ff8d3b3e8faf") == []


@pytest.mark.parametrize(
    "data",
    [
        "# 2023年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n"
        "**第二十条第（一）项**\n\n**第二十条第（五）项**\n".encode(),
        "<html><body><span>2023年政府信息公开工作年度报告</span>"
        "<span>第二十条第（一）项</span><span>规章</span><span>第二十条第（五）项</span>"
        "</body></html>".encode(),
    ],
    ids=["markdown-captions-only", "html-spans-only"],
)
def test_captions_without_any_cell_are_not_a_report(data: bytes) -> None:
    with pytest.raises(ReportReadError) as caught:
        read(data, name="captions")
    assert caught.value.code == "not_annual_report"
