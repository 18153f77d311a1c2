"""XLSX reader: merged ranges as spans, numbers as printed, text rows as paragraphs."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Side

from xxgk.annual_report import ReportReadError, read
from xxgk.annual_report.model import CellKey
from xxgk.annual_report.raw import RawParagraph, RawTable
from xxgk.annual_report.readers import xlsx

FOOTNOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
COLUMNS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def workbook() -> bytes:
    """A hand-made 2021 report sheet: title, heading, table 三's header and two rows."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "表三"
    ws["A1"] = "某某区人民政府2022年政府信息公开工作年度报告"
    ws["A3"] = "三、收到和处理政府信息公开申请情况"
    ws["A4"] = FOOTNOTE
    ws.merge_cells("A4:C6")
    ws["D4"] = "申请人情况"
    ws.merge_cells("D4:J4")
    ws["D5"] = "自然人"
    ws.merge_cells("D5:D6")
    ws["E5"] = "法人或其他组织"
    ws.merge_cells("E5:I5")
    ws["J5"] = "总计"
    ws.merge_cells("J5:J6")
    for i, label in enumerate(COLUMNS):
        ws.cell(row=6, column=5 + i, value=label)
    ws["A7"] = "一、本年新收政府信息公开申请数量"
    ws.merge_cells("A7:C7")
    for i, value in enumerate([12, 3, 0, 0, 1.0, 0, 16]):
        ws.cell(row=7, column=4 + i, value=value)
    ws["A8"] = "二、上年结转政府信息公开申请数量"
    ws.merge_cells("A8:C8")
    thin = Side(style="thin")
    for col in range(4, 11):  # a blank row: bordered, empty cells
        ws.cell(row=8, column=col).border = Border(left=thin, top=thin)
    ws["A10"] = "第二十条第（八）项"
    ws["A11"] = "信息内容"
    ws["B11"] = "本年收费金额（单位：万元）"
    ws["A12"] = "行政事业性收费"
    ws["B12"] = 7730.28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_blocks_spans_and_values() -> None:
    doc = xlsx.read_raw(workbook(), source="r.xlsx")
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["RawParagraph", "RawParagraph", "RawTable", "RawParagraph", "RawTable"]
    title, heading = doc.blocks[0], doc.blocks[1]
    assert isinstance(title, RawParagraph) and title.text.startswith("某某区人民政府2022年")
    assert isinstance(heading, RawParagraph) and heading.location.cell == "表三!A3"
    table = doc.blocks[2]
    assert isinstance(table, RawTable)
    corner = table.rows[0][0]
    assert (corner.text, corner.rowspan, corner.colspan) == (FOOTNOTE, 3, 3)
    assert [(c.text, c.rowspan, c.colspan) for c in table.rows[1]] == [
        ("自然人", 2, 1),
        ("法人或其他组织", 1, 5),
        ("总计", 2, 1),
    ]
    assert [c.text for c in table.rows[2]] == COLUMNS
    assert [c.text for c in table.rows[3]] == [
        "一、本年新收政府信息公开申请数量",
        "12",
        "3",
        "0",
        "0",
        "1",  # 1.0 prints as 1
        "0",
        "16",
    ]
    blank_row = table.rows[4]
    assert blank_row[0].text == "二、上年结转政府信息公开申请数量"
    assert [c.text for c in blank_row[1:]] == [""] * 7  # blank, not zero, and still there
    assert table.rows[3][1].location.cell == "表三!D7"
    fees = doc.blocks[4]
    assert isinstance(fees, RawTable)
    assert [c.text for c in fees.rows[-1]] == ["行政事业性收费", "7730.28"]


def test_assembled_report_from_a_workbook() -> None:
    report = read(workbook(), name="r.xlsx")
    assert report.year == 2022
    key = CellKey(
        "三",
        "",
        ("一、本年新收政府信息公开申请数量",),
        ("申请人情况", "法人或其他组织", "法律服务机构"),
    )
    assert report.cells[key].value == 1
    assert report.cells[key].location is not None
    assert report.cells[key].location.cell == "表三!H7"


def test_old_binary_xls_and_junk_are_refused() -> None:
    with pytest.raises(ReportReadError) as info:
        xlsx.read_raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, source="old.xls")
    assert info.value.code == "xlsx_unreadable"
    with pytest.raises(ReportReadError) as info:
        xlsx.read_raw(b"PK\x03\x04 not really a zip", source="bad.xlsx")
    assert info.value.code == "xlsx_unreadable"


@pytest.mark.parametrize(
    ("value", "number_format", "printed"),
    [
        (166.37, "0.0000", "166.3700"),  # money keeps the scale its format prints
        (7730.28, "#,##0.00", "7730.28"),
        (1.23456, "0.00", "1.23456"),  # never rounded: no digit is lost
        (3, "0.00", "3"),  # a count stays an integer
        (35, "+0;-0;0", "+35"),  # 本年增/减 printed with its sign
        (-3, "+0;-0;0", "-3"),
        (0, "+0;-0;0", "0"),
        (35, '"+"0', "+35"),
        (1.0, "General", "1"),
    ],
)
def test_numbers_print_as_their_format_shows_them(
    value: float, number_format: str, printed: str
) -> None:
    assert xlsx.cell_text(value, number_format) == printed


def test_money_scale_and_sign_read_back_from_a_sheet() -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    thin = Side(style="thin")
    for row, (label, value, fmt) in enumerate(
        [("采购总金额", 166.37, "0.0000"), ("本年增/减", 35, "+0;-0;0")], start=1
    ):
        ws.cell(row=row, column=1, value=label).border = Border(left=thin, top=thin)
        cell = ws.cell(row=row, column=2, value=value)
        cell.number_format = fmt
        cell.border = Border(left=thin, top=thin)
    out = io.BytesIO()
    book.save(out)
    table = xlsx.read_raw(out.getvalue(), source="m.xlsx").blocks[0]
    assert isinstance(table, RawTable)
    assert [[c.text for c in row] for row in table.rows] == [
        ["采购总金额", "166.3700"],
        ["本年增/减", "+35"],
    ]
