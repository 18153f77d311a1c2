"""Glued page text (平潭): digit runs split by the row and column sums."""

from __future__ import annotations

import pytest

from tests.annual_report.samples import CORE_SAMPLES, differences, unresolved_differences
from xxgk.annual_report import FormatVersion, Severity, check, read
from xxgk.annual_report.formats import CellKind
from xxgk.annual_report.readers.glued import split_free, split_sum, split_table4

PINGTAN = ["pingtan-zone-2019", "pingtan-zone-2021", "pingtan-zone-2023"]


@pytest.mark.parametrize("name", PINGTAN)
def test_every_printed_cell_right_or_flagged(name: str) -> None:
    report = read(CORE_SAMPLES[name])
    assert unresolved_differences(report, name) == []


@pytest.mark.parametrize("name", PINGTAN)
def test_every_printed_cell_right(name: str) -> None:
    """The plausibility order picks the published split of every flagged section-二 run."""
    assert differences(read(CORE_SAMPLES[name]), name) == []


@pytest.mark.parametrize("name", PINGTAN)
def test_tables_three_and_four_are_exact(name: str) -> None:
    """The row and column sums fix every cell of tables 三 and 四 in these pages."""
    report = read(CORE_SAMPLES[name])
    assert [
        d for d in differences(report, name) if not d.startswith(("('二'", "missing ('二'"))
    ] == []


@pytest.mark.parametrize("name", PINGTAN)
def test_no_error_where_the_numbers_hold(name: str) -> None:
    findings = check(read(CORE_SAMPLES[name]))
    assert [f.describe() for f in findings if f.severity is Severity.ERROR] == []


def test_identity_and_version() -> None:
    report = read(CORE_SAMPLES["pingtan-zone-2021"])
    assert (report.agency, report.year, report.version) == (
        "平潭综合实验区",
        2021,
        FormatVersion.V2021,
    )
    old = read(CORE_SAMPLES["pingtan-zone-2019"])
    assert old.version is FormatVersion.V2019


def test_ambiguous_section_two_split_is_reported() -> None:
    report = read(CORE_SAMPLES["pingtan-zone-2021"])
    notes = [f for f in report.findings if f.check == "READ.ambiguous_split"]
    assert len(notes) == 1 and notes[0].severity is Severity.WARNING
    assert "行政规范性文件" in notes[0].message and "69|3|665" in notes[0].message
    assert notes[0].location is not None and notes[0].location.line == 10


def test_split_sum_uses_the_total() -> None:
    assert split_sum("640020470", 7) == [["64", "0", "0", "2", "0", "4", "70"]]
    # a space is a cell boundary
    assert split_sum("5000005", 7, frozenset({6})) == [["5", "0", "0", "0", "0", "0", "5"]]
    assert split_sum("123", 7) == []


def test_split_table4_uses_the_group_totals() -> None:
    assert split_table4("10203120001200000") == [
        ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]
    ]


def test_split_free_lists_every_reading() -> None:
    kinds = [CellKind.COUNT, CellKind.MONEY]
    got = split_free("13575394432.52", kinds)
    assert ["135", "75394432.52"] in got
    assert all(not p.startswith("0") or p == "0" for parts in got for p in parts)


def test_hostile_run_is_bounded() -> None:
    # 200 digits: far too many splits to enumerate; the budget stops it quickly
    assert len(split_sum("1" * 200, 7)) <= 64
    assert len(split_table4("0" * 15 + "1" * 100)) <= 64


def test_column_sums_resolve_a_row_the_row_sum_cannot() -> None:
    # "110000011" is 11|0|0|0|0|0|11 or 1|10|0|0|0|0|11; the spaced rows fix the columns.
    page = (
        "标题: 某县2022年政府信息公开工作年度报告\n"
        "一、总体情况 略。二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数"
        "本年废止件数现行有效件数规章0 0 0"
        "三、收到和处理政府信息公开申请情况"
        "一、本年新收政府信息公开申请数量11 0 0 0 0 0 11"
        "二、上年结转政府信息公开申请数量0 0 0 0 0 0 0"
        "三、本年度办理结果（一）予以公开110000011"
        "（七）总计11 0 0 0 0 0 11四、结转下年度继续办理0 0 0 0 0 0 0"
        "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼总计000000000000000"
        "五、存在的主要问题及改进情况 无。六、其他需要报告的事项 无。"
    )
    report = read(page.encode("utf-8"), name="county.txt")
    key = ("三", "", "三、本年度办理结果 / （一）予以公开", "申请人情况 / 自然人")
    from tests.annual_report.samples import parsed_cells

    cells = parsed_cells(report)
    assert cells[key] == "11"
    assert cells[(*key[:3], "申请人情况 / 法人或其他组织 / 商业企业")] == "0"
    assert not [f for f in report.findings if f.check == "READ.ambiguous_split"]


def test_an_unresolvable_row_is_flagged() -> None:
    page = (
        "标题: 某县2022年政府信息公开工作年度报告\n"
        "三、收到和处理政府信息公开申请情况"
        "一、本年新收政府信息公开申请数量110000011"
        "四、政府信息公开行政复议、行政诉讼情况 总计000000000000000"
    )
    report = read(page.encode("utf-8"), name="county.txt")
    notes = [f for f in report.findings if f.check == "READ.ambiguous_split"]
    assert len(notes) == 1
    assert "11|0|0|0|0|0|11" in notes[0].message and "1|10|0|0|0|0|11" in notes[0].message


def test_tables_are_found_without_section_headings() -> None:
    text = CORE_SAMPLES["pingtan-zone-2021"].read_text(encoding="utf-8")
    for heading in (
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "一、总体情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        text = text.replace(heading, "")
    report = read(text.encode("utf-8"), name="no-headings.txt")
    assert differences(report, "pingtan-zone-2021") == []


def test_one_cell_per_line_without_tabs() -> None:
    """The seed with its tabs stripped: line breaks are cell boundaries, +35 keeps its sign,
    the local sub-rows 行政检查/行政确认 stay under 其他对外管理服务事项."""
    from tests.annual_report.samples import SEED

    text = SEED.read_text(encoding="utf-8").replace("\t", "")
    report = read(text.encode("utf-8"), name="no-tabs.txt")
    assert differences(report, "seed-000_37d7ff8d3b3e8faf") == []
    assert not [f for f in report.findings if f.check.startswith("READ.")]


def test_signed_cells_in_a_glued_run() -> None:
    kinds = [CellKind.COUNT, CellKind.SIGNED, CellKind.COUNT]
    assert ["56", "-38", "18"] in split_free("56-3818", kinds)
    assert all(not p.startswith("+0") and p != "-0" for c in split_free("5+018", kinds) for p in c)
