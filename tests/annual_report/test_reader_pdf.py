"""PDF reader: the two 淮安 reports (text layer, ruled tables, a table over a page break,
row-group labels stacked vertically, a vertical-writing font in 洪泽).

Two levels: the raw tables this front end builds (values in print order, merged cells,
locations), checked against the hand-typed golden files; and the whole read through the
assembler, cell by cell.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from tests.annual_report.golden import load_golden
from tests.annual_report.samples import SAMPLES_DIR, differences
from xxgk.annual_report import Severity, check, read
from xxgk.annual_report.raw import RawDocument, RawParagraph, RawTable
from xxgk.annual_report.readers import pdf

PDFS = {
    "huaian-city-2024": SAMPLES_DIR / "huaian-city-2024.pdf",
    "huaian-hongze-district-2023": SAMPLES_DIR / "huaian-hongze-district-2023.pdf",
}
_NUMBER = re.compile(r"^[+\-]?\d+(?:\.\d+)?$")


def raw_of(name: str) -> RawDocument:
    return pdf.read_raw(PDFS[name].read_bytes(), source=PDFS[name].name)


def value_rows(doc: RawDocument) -> list[list[str]]:
    """Every table row's trailing value cells (numbers or blanks after the labels), in order."""
    out = []
    for block in doc.blocks:
        if not isinstance(block, RawTable):
            continue
        for row in block.rows:
            texts = ["".join(c.text.split()) for c in row]
            values: list[str] = []
            for text in reversed(texts):
                if _NUMBER.match(text):
                    values.append(text)
                else:
                    break
            if values:
                out.append(values[::-1])
    return out


def golden_value_rows(name: str) -> list[list[str]]:
    """The golden file's values grouped by (section, table, row), in print order."""
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for (section, table, row, _column), value in load_golden(name).items():
        grouped[(section, table, row)].append(value)
    return list(grouped.values())


@pytest.mark.parametrize("name", sorted(PDFS))
def test_raw_tables_hold_every_golden_value_in_print_order(name: str) -> None:
    assert value_rows(raw_of(name)) == golden_value_rows(name)


def test_table_three_keeps_merged_cells_and_the_stacked_label() -> None:
    doc = raw_of("huaian-city-2024")
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert len(tables) == 3  # 二, 三 (pages 4–5 joined), 四
    three = tables[1]
    corner = three.rows[0][0]
    assert "".join(corner.text.split()).startswith("（本列数据的勾稽关系为")
    assert (corner.rowspan, corner.colspan) == (3, 3)
    group = next(c for row in three.rows for c in row if c.text == "三、本年度办理结果")
    # 21 result rows and （七）总计, across the page break
    assert group.rowspan == 22
    assert group.location.page == 4
    # a label cut by the page break ("（四）无" / "法提供") is one cell again
    assert any(c.text == "（四）无法提供" and c.rowspan == 3 for row in three.rows for c in row)
    carried_out = three.rows[-1]
    assert carried_out[0].text == "四、结转下年度继续办理"
    assert carried_out[0].location.page == 5
    assert carried_out[0].location.cell is not None


def test_vertical_writing_font_is_read_in_its_cell() -> None:
    doc = raw_of("huaian-hongze-district-2023")
    three = [b for b in doc.blocks if isinstance(b, RawTable)][1]
    labels = [c.text for row in three.rows for c in row]
    assert "三、本年度办理结果" in labels
    # the printed typo is kept as printed (the assembler deals with it)
    assert "2.其他法律行政止公开" in labels


def test_section_four_header_is_not_split_by_invisible_boxes() -> None:
    doc = raw_of("huaian-hongze-district-2023")
    four = [b for b in doc.blocks if isinstance(b, RawTable)][-1]
    assert [(c.text, c.colspan) for c in four.rows[0]] == [("行政复议", 5), ("行政诉讼", 10)]


def test_paragraphs_keep_page_and_line_and_continue_over_pages() -> None:
    doc = raw_of("huaian-city-2024")
    paragraphs = [b for b in doc.blocks if isinstance(b, RawParagraph)]
    heading = next(p for p in paragraphs if p.text == "三、收到和处理政府信息公开申请情况")
    assert (heading.location.page, heading.location.line) == (4, 7)
    # "…改进的" (page 5) + "地方。主要表现在…" (page 6) are one paragraph
    assert any("需要加强和改进的地方。主要表现在" in p.text for p in paragraphs)
    assert not any(re.fullmatch(r"-?\d+-?", p.text) for p in paragraphs)  # page numbers


@pytest.mark.parametrize("name", sorted(PDFS))
def test_every_printed_cell_right(name: str) -> None:
    assert differences(read(PDFS[name]), name) == []


def test_hongze_errors_are_found() -> None:
    """README: section 四 breaks its own totals; a label typo; （六） as one row in 2021."""
    findings = check(read(PDFS["huaian-hongze-district-2023"]))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert {f.check for f in errors} == {"C5", "C8"}
    c8 = sorted(f.column for f in errors if f.check == "C8")
    assert c8 == [("行政复议", "总计"), ("行政诉讼", "复议后起诉", "总计")]
    typo = [f for f in findings if f.check == "C6" and "行政止公开" in f.message]
    assert typo and typo[0].location is not None and typo[0].location.page == 3


def test_city_numbers_hold_so_no_error() -> None:
    """淮安 2024: tables and narrative agree (3119 received, 3050 answered, 34 carried in,
    103 carried over, 351 reviews, 46 suits): no error, no warning."""
    findings = check(read(PDFS["huaian-city-2024"]))
    assert [f for f in findings if f.severity is not Severity.NOTICE] == []


def test_scanned_pdf_without_ocr_extra_says_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint import HTML

    # An image-only PDF: a page with a drawn box and no text at all.
    data = HTML(string='<div style="width:5cm;height:5cm;background:#000"></div>').write_pdf()
    from xxgk.annual_report.readers import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    doc = pdf.read_raw(data, source="scan.pdf")
    assert doc.blocks == []
    assert [n[0] for n in doc.notes] == [pdf.NEEDS_OCR]
    assert "OCR" in doc.notes[0][1]


def test_table_printed_without_rules_is_rebuilt_from_word_positions() -> None:
    """The 淮安 2024 report printed with no table rules at all (labels wrapped, values
    centred on them, group labels stacked): every cell still lands in its place."""
    from weasyprint import HTML

    from xxgk.annual_report.writers import html
    from xxgk.annual_report.writers import pdf as pdf_writer

    report = read(PDFS["huaian-city-2024"])
    css = pdf_writer.PRINT_CSS.replace("border: 0.75pt solid #000", "border: none")
    assert css != pdf_writer.PRINT_CSS
    data = HTML(string=html.render_body(html.build_layout(report), css)).write_pdf()
    raw = pdf.read_raw(data, source="borderless.pdf")
    tables = [b for b in raw.blocks if isinstance(b, RawTable)]
    assert tables and all(
        c.location.cell.startswith("无框线表")
        for t in tables
        for r in t.rows
        for c in r
        if c.location.cell
    )
    labels = [r[0].text for t in tables for r in t.rows]
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels
    assert "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" in labels
    assert differences(read(data, name="borderless.pdf"), "huaian-city-2024") == []


def test_blank_cells_of_a_table_without_rules_stay_in_their_columns() -> None:
    """No rule marks an empty cell: the values after it must not slide left."""
    from weasyprint import HTML

    from xxgk.annual_report.model import Cell
    from xxgk.annual_report.writers import html
    from xxgk.annual_report.writers import pdf as pdf_writer

    report = read(PDFS["huaian-city-2024"])
    blanked = [k for k in report.cells if k.section == "三"][10:13]
    for key in blanked:  # 二、上年结转: 社会公益组织, 法律服务机构, 其他
        report.cells[key] = Cell(None, "")
    css = pdf_writer.PRINT_CSS.replace("border: 0.75pt solid #000", "border: none")
    data = HTML(string=html.render_body(html.build_layout(report), css)).write_pdf()
    back = read(data, name="borderless.pdf")
    assert {k: c.value for k, c in back.cells.items()} == {
        k: c.value for k, c in report.cells.items()
    }
    assert all(back.cells[k].value is None for k in blanked)


def test_a_picture_only_page_inside_a_text_pdf_is_reported() -> None:
    import io

    from PIL import Image
    from weasyprint import HTML

    picture = io.BytesIO()
    Image.new("L", (400, 300), 128).save(picture, format="PNG")
    import base64

    src = "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()
    text = "<p>" + "某某局2022年政府信息公开工作年度报告。" * 20 + "</p>"
    page_break = '<div style="break-before: page"></div>'
    data = HTML(
        string=f'{text}{page_break}<img src="{src}" style="width:10cm">{page_break}{text}'
    ).write_pdf()
    doc = pdf.read_raw(data, source="mixed.pdf")
    notes = [n for n in doc.notes if n[0] == pdf.NEEDS_OCR_PAGES]
    assert notes and "第2页" in notes[0][1] and notes[0][2].page == 2
    assert any(isinstance(b, RawParagraph) for b in doc.blocks)


def test_numbered_paragraphs_are_not_joined_and_the_title_is_two_lines() -> None:
    """淮安 2024 page 2: （二）（三）（四） were one paragraph (the indent was measured in
    loose-box heights, and an indented line running to the margin passed for a centred
    title line)."""
    raw = pdf.read_raw(PDFS["huaian-city-2024"].read_bytes(), source="city.pdf")
    texts = [b.text for b in raw.blocks if isinstance(b, RawParagraph)]
    assert texts[:2] == ["淮安市人民政府", "2024年政府信息公开工作年度报告"]
    starts = [t[:3] for t in texts if re.match(r"（[一二三四五]）", t)]
    assert starts == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    for text in texts:
        assert len(re.findall(r"（[一二三四五]）[^（）]{2,12}情况。", text)) <= 1, text
