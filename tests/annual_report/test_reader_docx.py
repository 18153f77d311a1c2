"""DOCX reader: the blank 2021 template agencies circulate (gridSpan and vMerge merges)."""

from __future__ import annotations

import io

from docx import Document

from tests.annual_report.golden import load_golden
from tests.annual_report.samples import SAMPLES_DIR, differences
from xxgk.annual_report import FormatVersion, read
from xxgk.annual_report.raw import RawParagraph, RawTable
from xxgk.annual_report.readers import docx

TEMPLATE = SAMPLES_DIR / "blank-template-2021-format.docx"


def raw() -> tuple[list[RawParagraph], list[RawTable]]:
    doc = docx.read_raw(TEMPLATE.read_bytes(), source=TEMPLATE.name)
    paragraphs = [b for b in doc.blocks if isinstance(b, RawParagraph)]
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    return paragraphs, tables


def test_blocks_in_order_with_locations() -> None:
    paragraphs, tables = raw()
    assert [p.text for p in paragraphs][:3] == [
        "政府信息公开工作年度报告格式模板",
        "一、总体情况",
        "（文字描述）",
    ]
    assert len(tables) == 3
    assert paragraphs[1].location.line is not None and paragraphs[1].location.file == TEMPLATE.name
    assert tables[1].rows[3][0].location.cell == "表2 第4行 第1列"


def test_table_three_merges() -> None:
    _, tables = raw()
    three = tables[1]
    corner = three.rows[0][0]
    assert (corner.rowspan, corner.colspan) == (3, 3)
    spans = {c.text.replace("\n", ""): (c.rowspan, c.colspan) for row in three.rows for c in row}
    assert spans["申请人情况"] == (1, 7)
    assert spans["自然人"] == (2, 1)
    assert spans["法人或其他组织"] == (1, 5)
    assert spans["总计"] == (2, 1)
    assert spans["商业企业"] == (1, 1)
    assert spans["三、本年度办理结果"] == (22, 1)
    assert spans["（三）不予公开"] == (8, 1)
    assert spans["（六）其他处理"] == (3, 1)
    assert spans["（七）总计"] == (1, 2)
    # merged-away cells are not repeated: 28 rows, the corner row has 2 cells
    assert len(three.rows) == 28 and len(three.rows[0]) == 2
    # every data row ends with its 7 value cells, all blank in the template
    data = [row for row in three.rows[3:]]
    assert all(len(row) >= 8 for row in data)
    assert all(not c.text.strip() for row in data for c in row[-7:])


def test_table_four_header_levels() -> None:
    _, tables = raw()
    four = tables[2]
    assert [(c.text, c.colspan) for c in four.rows[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [c.rowspan for c in four.rows[1][:5]] == [2] * 5
    assert len(four.rows[3]) == 15


def test_golden_values_are_all_blank_cells_of_the_template() -> None:
    """The template's golden file: the 2021 format with every cell blank (blank ≠ 0)."""
    _, tables = raw()
    golden = load_golden("blank-template-2021-format")
    value_cells = 0
    two = tables[0]
    value_cells += sum(
        len(row) - 1 for row in two.rows if len(row) > 1 and row[0].text != "信息内容"
    )
    three = tables[1]
    value_cells += sum(7 for row in three.rows[3:])
    value_cells += len(tables[2].rows[3])
    assert value_cells == len(golden) == 200
    assert set(golden.values()) == {""}


def test_every_printed_cell_right() -> None:
    report = read(TEMPLATE)
    assert report.version is FormatVersion.V2021
    assert differences(report, "blank-template-2021-format") == []


def test_sdt_tracked_changes_and_breaks() -> None:
    """Content controls and insertions count, deleted text does not; breaks stay whitespace."""
    document = Document()
    p = document.add_paragraph("三、收到和处理")
    p.add_run().add_break()
    p.add_run("政府信息公开申请情况")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("word/document.xml").decode()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    assert w in xml
    extra = (
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:p><w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del></w:p>"
    )
    xml = xml.replace("<w:sectPr", extra + "<w:sectPr", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = xml.encode() if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info, body)
    texts = [b.text for b in docx.read_raw(out.getvalue(), source="x.docx").blocks]
    assert texts == ["三、收到和处理\n政府信息公开申请情况", "一、总体情况", "新增"]
