"""Both statutory formats as data (regulation.md §2)."""

from __future__ import annotations

from xxgk.annual_report.formats import FORMATS, TABLE4, CellKind, format_for
from xxgk.statute.outcomes import FormatVersion, table3_rows


def test_section_two_sub_tables() -> None:
    old, new = format_for(FormatVersion.V2019), format_for(FormatVersion.V2021)
    assert [t.caption for t in old.section2_tables] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
        "第二十条第（九）项",
    ]
    assert [t.caption for t in new.section2_tables] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert [c.label for c in new.table("2.一").columns] == [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert [r.label for r in new.table("2.一").rows] == ["规章", "行政规范性文件"]
    assert [r.label for r in old.table("2.五").rows] == ["行政许可", "其他对外管理服务事项"]
    assert new.table("2.八").columns[0].label == "本年收费金额（单位：万元）"


def test_cell_kinds() -> None:
    old = format_for(FormatVersion.V2019)
    assert old.table("2.五").column("change").kind is CellKind.SIGNED
    assert old.table("2.九").column("procurement_amount").kind is CellKind.MONEY
    assert format_for(FormatVersion.V2021).table("2.八").columns[0].kind is CellKind.MONEY
    assert all(c.kind is CellKind.COUNT for c in old.table("3").columns)


def test_table_three_comes_from_the_shared_vocabulary() -> None:
    for version, fmt in FORMATS.items():
        assert tuple(r.path for r in fmt.table("3").rows) == tuple(
            r.path for r in table3_rows(version)
        )
    assert len(FORMATS[FormatVersion.V2019].table("3").rows) == 23
    assert len(FORMATS[FormatVersion.V2021].table("3").rows) == 25


def test_table_four_has_fifteen_columns_in_print_order() -> None:
    assert len(TABLE4.columns) == 15
    assert TABLE4.columns[0].path == ("行政复议", "结果维持")
    assert TABLE4.columns[9].path == ("行政诉讼", "未经复议直接起诉", "总计")
    assert TABLE4.columns[14].path == ("行政诉讼", "复议后起诉", "总计")


def test_relations_are_data() -> None:
    rels = {(r.id, r.check_id) for r in format_for(FormatVersion.V2021).relations}
    assert rels == {("R1", "C1"), ("R2", "C2"), ("R3", "C3"), ("R5", "C8")}
    r2 = next(r for r in format_for(FormatVersion.V2021).relations if r.id == "R2")
    assert len(r2.rhs) == 21  # the 21 result leaf rows of 2021
    r2_old = next(r for r in format_for(FormatVersion.V2019).relations if r.id == "R2")
    assert len(r2_old.rhs) == 19
