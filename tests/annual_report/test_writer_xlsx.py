"""XLSX writer: merged header ranges, numbers as numbers, blank cells empty."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from tests.annual_report.samples import SAMPLES_DIR
from xxgk.annual_report import Report, read
from xxgk.annual_report.model import Cell, CellKey
from xxgk.annual_report.writers import xlsx


def test_workbook_layout_and_types() -> None:
    report = read(SAMPLES_DIR / "huaian-hongze-district-2023.pdf")
    book = load_workbook(io.BytesIO(xlsx.render(report)))
    sheet = book["年度报告"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    values = {
        c.coordinate: c.value for row in sheet.iter_rows() for c in row if c.value not in (None, "")
    }
    corner = next(k for k, v in values.items() if str(v).startswith("（本列数据的勾稽关系"))
    assert any(r.startswith(f"{corner}:") for r in merged)
    assert any(v == "申请人情况" for v in values.values())
    assert 7730.28 in values.values()
    assert 4119 in values.values()
    assert all(not isinstance(v, float) or v == 7730.28 for v in values.values())


def test_money_keeps_its_decimals_and_blank_stays_blank() -> None:
    report = Report(agency="某局", year=2022)
    from xxgk.annual_report.formats import format_for
    from xxgk.statute.outcomes import FormatVersion

    report.version = FormatVersion.V2021
    fmt = format_for(FormatVersion.V2021)
    fees = fmt.table("2.八")
    key = CellKey("二", fees.caption, fees.rows[0].path, fees.columns[0].path)
    report.cells[key] = Cell(Decimal("166.3700"), "166.3700")
    licensing = fmt.table("2.五")
    blank = CellKey("二", licensing.caption, licensing.rows[0].path, licensing.columns[0].path)
    report.cells[blank] = Cell(None, "")
    sheet = load_workbook(io.BytesIO(xlsx.render(report)))["年度报告"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    money = next(c for v, c in cells.items() if isinstance(v, float))
    assert money.value == 166.37 and money.number_format == "0.0000"
    assert 0 not in cells
