"""The flattened-text reader, on the seed (北京市朝阳区东湖街道 2020, 2019 format)."""

from __future__ import annotations

from decimal import Decimal

from tests.annual_report.samples import SEED, differences
from xxgk.annual_report import FormatVersion, read
from xxgk.annual_report.model import CellKey
from xxgk.annual_report.readers.text import read_raw


def test_seed_parses_to_the_exact_tables() -> None:
    report = read(SEED)
    assert differences(report, "seed-000_37d7ff8d3b3e8faf") == []


def test_seed_identity_and_version() -> None:
    report = read(SEED)
    assert report.agency == "北京市朝阳区人民政府东湖街道办事处"
    assert report.year == 2020
    assert report.version is FormatVersion.V2019
    assert set(report.headings) == set("一二三四五六")
    assert "共收到政府信息公开申请3件" in report.narrative["一"]


def test_seed_local_variant_rows_are_kept_with_their_parent() -> None:
    report = read(SEED)
    key = CellKey("二", "第二十条第（五）项", ("其他对外管理服务事项", "行政检查"), ("本年增/减",))
    cell = report.cells[key]
    assert cell.value == -38
    assert cell.location is not None and cell.location.line == 56


def test_seed_cells_are_typed() -> None:
    report = read(SEED)
    signed = report.cells[CellKey("二", "第二十条第（六）项", ("行政处罚",), ("本年增/减",))]
    assert (signed.value, signed.raw) == (35, "+35")
    money = report.cells[CellKey("二", "第二十条第（九）项", ("政府集中采购",), ("采购总金额",))]
    assert money.value == Decimal("166.3700")
    assert report.header_units[("第二十条第（九）项", ("采购总金额",))] == "万元"


def test_vertical_and_split_labels_join_into_one_cell() -> None:
    raw = read_raw(SEED.read_bytes(), source="seed")
    texts = [
        c.text for block in raw.blocks if hasattr(block, "rows") for r in block.rows for c in r
    ]
    assert "结\n果\n维\n持" in texts
    assert "（三）不予\n公开" in texts


def test_blank_cell_is_not_zero() -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "\t对外公开总数量\n\n\t规章\n\t0\n\t0\n\t0", "\t对外公开总数量\n\n\t规章\n\t0\n\t0\n\t"
    )
    report = read(text.encode("utf-8"), name="blank.txt")
    cell = report.cells[CellKey("二", "第二十条第（一）项", ("规章",), ("对外公开总数量",))]
    assert cell.value is None and cell.blank


def test_gb18030_crlf_and_half_width_labels_read_the_same() -> None:
    text = SEED.read_text(encoding="utf-8")
    variant = text.replace("（", "(").replace("）", ")").replace("\n", "\r\n").encode("gb18030")
    assert differences(read(variant, name="variant.txt"), "seed-000_37d7ff8d3b3e8faf") == []


def test_text_of_another_kind_of_report_is_refused() -> None:
    import pytest

    from xxgk.annual_report import ReportReadError

    budget = (
        "某某局2023年部门预算\n\n一、收入支出预算总表\n\t项目\n\t金额\n\n\t一般公共预算\n\t120.5\n"
    )
    with pytest.raises(ReportReadError) as info:
        read(budget.encode("utf-8"), name="budget.txt")
    assert info.value.code == "not_annual_report"
