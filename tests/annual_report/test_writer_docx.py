"""DOCX writer: GB/T 9704-style page, 仿宋 body, title font, the format's merged cells."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from tests.annual_report.samples import SAMPLES_DIR
from xxgk.annual_report import Report, read
from xxgk.annual_report.raw import RawTable
from xxgk.annual_report.readers import docx as docx_reader
from xxgk.annual_report.writers import docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return docx.render(read(SAMPLES_DIR / "huaian-city-2024.pdf"))


def test_page_is_a4_with_official_margins(rendered: bytes) -> None:
    section = Document(io.BytesIO(rendered)).sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    # stored in twips: compare to the tenth of a millimetre
    assert [round(s.mm, 1) for s in sizes if s is not None] == [210, 297, 37, 35, 28, 26]


def test_fonts(rendered: bytes) -> None:
    xml = zipfile.ZipFile(io.BytesIO(rendered)).read("word/document.xml").decode()
    styles = zipfile.ZipFile(io.BytesIO(rendered)).read("word/styles.xml").decode()
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="仿宋_GB2312"' in styles
    assert 'w:eastAsia="方正小标宋简体"' in xml
    assert 'w:eastAsia="黑体"' in xml
    document = Document(io.BytesIO(rendered))
    title = document.paragraphs[0]
    assert title.alignment == 1  # centred
    assert "".join(r.text for r in title.runs) == "淮安市人民政府2024年政府信息公开工作年度报告"
    assert title.runs[0].font.size.pt == 22


def test_tables_have_the_format_merges(rendered: bytes) -> None:
    doc = docx_reader.read_raw(rendered, source="out.docx")
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert len(tables) == 3
    three = tables[1]
    assert (three.rows[0][0].rowspan, three.rows[0][0].colspan) == (3, 3)
    spans = {c.text: (c.rowspan, c.colspan) for row in three.rows for c in row}
    assert spans["三、本年度办理结果"] == (22, 1)
    assert spans["（三）不予公开"] == (8, 1)
    assert spans["（七）总计"] == (1, 2)
    four = tables[2]
    assert [c.rowspan for c in four.rows[1][:5]] == [2] * 5
    # header rows repeat on a new page
    xml = zipfile.ZipFile(io.BytesIO(rendered)).read("word/document.xml").decode()
    assert xml.count("<w:tblHeader/>") == 6


def test_blank_report_renders_the_whole_format() -> None:
    data = docx.render(Report(agency="某局", year=2022))
    tables = [
        b for b in docx_reader.read_raw(data, source="x.docx").blocks if isinstance(b, RawTable)
    ]
    values = [c for row in tables[1].rows[3:] for c in row[-7:]]
    assert len(values) == 25 * 7 and all(c.text == "" for c in values)


def test_column_widths_fill_the_type_area(rendered: bytes) -> None:
    """156 mm type area: table 三's label columns 12/24/46 mm, seven 10.6 mm value columns."""
    tables = Document(io.BytesIO(rendered)).tables
    widths = [[round(c.width.mm, 1) for c in t.columns] for t in tables]
    assert [round(sum(w)) for w in widths] == [156, 156, 156]
    assert widths[1][:3] == [12.0, 24.0, 46.0]
    xml = zipfile.ZipFile(io.BytesIO(rendered)).read("word/document.xml").decode()
    assert '<w:tblLayout w:type="fixed"/>' in xml
