"""Checks (regulation.md §2.5, §5.2) on the seed and on edited copies of it."""

from __future__ import annotations

from decimal import Decimal

from tests.annual_report.samples import SEED
from xxgk.annual_report import Severity, check, read
from xxgk.annual_report.model import Cell, CellKey, Finding, Report


def _seed_with(old: str, new: str, count: int = 1) -> list[Finding]:
    text = SEED.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    return check(read(text.replace(old, new, count).encode("utf-8"), name="edited.txt"))


def _ids(findings: list[Finding], severity: Severity | None = None) -> list[str]:
    return [f.check for f in findings if severity is None or f.severity is severity]


def test_seed_has_no_error_but_warns_that_decisions_look_like_item_counts() -> None:
    findings = check(read(SEED))
    assert _ids(findings, Severity.ERROR) == []
    c11 = [f for f in findings if f.check == "C11"]
    assert {f.row for f in c11} == {("其他对外管理服务事项", "行政检查"), ("行政处罚",)}
    assert all(f.severity is Severity.WARNING for f in c11)
    assert "事项数量" in c11[0].message


def test_total_column_must_equal_the_applicants() -> None:
    # 一、本年新收: 3 0 0 0 0 0 3 → total 4
    findings = _seed_with(
        "\t一、本年新收政府信息公开申请数量\n\t3\n\t0\n\t0\n\t0\n\t0\n\t0\n\t3",
        "\t一、本年新收政府信息公开申请数量\n\t3\n\t0\n\t0\n\t0\n\t0\n\t0\n\t4",
    )
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert "C3" in _ids(errors)
    assert "C1" in _ids(errors)  # 一+二 (4) ≠ 七+四 (3) in the 总计 column
    c3 = next(f for f in errors if f.check == "C3")
    assert c3.row == ("一、本年新收政府信息公开申请数量",)
    assert "4 ≠ 3" in c3.message


def test_results_total_must_equal_the_result_rows() -> None:
    findings = _seed_with(
        "\t（六）其他处理\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0",
        "\t（六）其他处理\n\t1\n\t0\n\t0\n\t0\n\t0\n\t0\n\t1",
    )
    c2 = [f for f in findings if f.check == "C2"]
    assert {f.column[-1] for f in c2} == {"自然人", "总计"}


def test_section_four_group_totals() -> None:
    old = "\n\t0" * 15
    new = "\n\t1\n\t0\n\t0\n\t0\n\t2" + "\n\t0" * 10
    findings = _seed_with(old, new)
    c8 = [f for f in findings if f.check == "C8"]
    assert len(c8) == 1 and c8[0].column == ("行政复议", "总计")


def test_old_format_in_a_2021_report_is_an_error() -> None:
    findings = _seed_with("2020年政府信息公开工作年度报告", "2021年政府信息公开工作年度报告")
    assert "C5" in _ids(findings, Severity.ERROR)


def test_narrative_number_against_table() -> None:
    findings = _seed_with("共收到政府信息公开申请3件", "共收到政府信息公开申请5件")
    c7 = [f for f in findings if f.check == "C7"]
    assert len(c7) == 1 and c7[0].severity is Severity.ERROR
    assert "5件" in c7[0].message and "（3）" in c7[0].message


def test_narrative_about_a_sub_unit_is_only_a_notice() -> None:
    findings = _seed_with("共收到政府信息公开申请3件", "其中社区共收到政府信息公开申请2件")
    c7 = [f for f in findings if f.check == "C7"]
    assert [f.severity for f in c7] == [Severity.NOTICE]


def test_blank_required_number_is_flagged() -> None:
    findings = _seed_with("\t行政强制\n\t0\n\t0\n\t0", "\t行政强制\n\t0\n\t\n\t0")
    c9 = [f for f in findings if f.check == "C9"]
    assert len(c9) == 1 and c9[0].row == ("行政强制",) and "本年增/减" in c9[0].message


def test_negative_count_and_unit_in_cell() -> None:
    findings = _seed_with("\t规章\n\t0", "\t规章\n\t-2")
    assert "R8" in _ids(findings, Severity.ERROR)
    findings = _seed_with("\t6\n\t166.3700", "\t6\n\t1663700元")
    assert "C10" in _ids(findings)


def test_reporting_period_with_the_wrong_year() -> None:
    findings = _seed_with("自2020年1月1日起", "自2019年1月1日起")
    assert "C13" in _ids(findings, Severity.ERROR)


def test_previous_year_carry_over() -> None:
    report = read(SEED)
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("2020年政府信息公开工作年度报告", "2019年政府信息公开工作年度报告")
    old = "\t四、结转下年度继续办理\n\t0"
    previous = read(text.replace(old, "\t四、结转下年度继续办理\n\t2").encode(), name="prev.txt")
    c4 = [f for f in check(report, previous) if f.check == "C4"]
    assert len(c4) == 1 and c4[0].severity is Severity.ERROR
    assert c4[0].column[-1] == "自然人"
    assert [f for f in check(report, read(text.encode(), name="p.txt")) if f.check == "C4"] == []


def test_previous_report_of_another_year_gets_one_notice_and_no_cross_year_checks() -> None:
    report = read(SEED)
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("2020年政府信息公开工作年度报告", "2018年政府信息公开工作年度报告")
    old = "\t四、结转下年度继续办理\n\t0"
    previous = read(text.replace(old, "\t四、结转下年度继续办理\n\t2").encode(), name="prev.txt")
    findings = check(report, previous)
    c4 = [f for f in findings if f.check == "C4"]
    assert [(f.severity, "不是2019年度" in f.message) for f in c4] == [(Severity.NOTICE, True)]
    assert _ids(findings, Severity.ERROR) == []


def test_the_report_given_as_its_own_previous_report_is_not_compared() -> None:
    report = read(SEED)
    findings = check(report, read(SEED))
    assert [f.check for f in findings if f.check in {"C4", "R6", "R7"}] == ["C4"]
    assert not [f for f in findings if f.check == "R6"]


def test_previous_report_of_another_agency_is_a_warning_and_not_compared() -> None:
    report = read(SEED)
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("2020年政府信息公开工作年度报告", "2019年政府信息公开工作年度报告")
    old = "\t四、结转下年度继续办理\n\t0"
    previous = read(text.replace(old, "\t四、结转下年度继续办理\n\t2").encode(), name="prev.txt")
    assert previous.agency and report.agency
    previous.agency = "上海市人民政府办公厅"
    c4 = [f for f in check(report, previous) if f.check == "C4"]
    assert [f.severity for f in c4] == [Severity.WARNING] and "上海市人民政府办公厅" in c4[
        0
    ].message


# -- checks on report values built directly (as the platform compiles them) ------------------
def _report_2021(**narrative: str) -> Report:
    from tests.annual_report.samples import CORE_SAMPLES

    report = read(CORE_SAMPLES["pingtan-zone-2023"])
    report.narrative.update(narrative)
    return report


def test_section_six_silent_on_fees_is_a_notice() -> None:
    report = _report_2021(六="无。")
    c14 = [f for f in check(report) if f.check == "C14"]
    assert [f.severity for f in c14] == [Severity.NOTICE]


def test_unpaid_fee_closures_without_any_fee_statement_is_a_warning() -> None:
    report = _report_2021()
    report.narrative = {
        k: v.replace("处理费", "").replace("收费", "") for k, v in report.narrative.items()
    }
    row = (
        "三、本年度办理结果",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    )
    key = CellKey("三", "", row, ("申请人情况", "总计"))
    report.cells[key] = Cell(2, "2")
    c14 = [f for f in check(report) if f.check == "C14"]
    assert [f.severity for f in c14] == [Severity.WARNING] and "2件" in c14[0].message


def test_fee_in_yuan_against_a_wan_yuan_column_is_an_error() -> None:
    report = _report_2021()
    key = CellKey("二", "第二十条第（八）项", ("行政事业性收费",), ("本年收费金额（单位：万元）",))
    report.cells[key] = Cell(Decimal("59490886.67"), "59490886.67元", None, "元")
    c10 = [f for f in check(report) if f.check == "C10"]
    assert any(f.severity is Severity.ERROR and "万元" in f.message for f in c10)


def test_stock_flow_with_the_previous_year_is_a_notice() -> None:
    report = _report_2021()
    previous = _report_2021()
    previous.year = 2022
    key = CellKey("二", "第二十条第（一）项", ("行政规范性文件",), ("现行有效件数",))
    previous.cells[key] = Cell(500, "500")  # 500 + 77 − 132 = 445 ≠ 470
    r7 = [f for f in check(report, previous) if f.check == "R7"]
    assert len(r7) == 1 and r7[0].severity is Severity.NOTICE and "445" in r7[0].message
    previous.cells[key] = Cell(525, "525")  # 525 + 77 − 132 = 470
    assert [f for f in check(report, previous) if f.check == "R7"] == []


def test_missing_table_four_is_an_error() -> None:
    report = _report_2021()
    report.cells = {k: c for k, c in report.cells.items() if k.section != "四"}
    c6 = [f for f in check(report) if f.check == "C6" and f.section == "四"]
    assert [f.severity for f in c6] == [Severity.ERROR]


def test_narrative_appeal_outcomes_against_section_four() -> None:
    findings = _seed_with(
        "未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
        "政府信息公开行政复议2件，其中结果维持1件，尚未审结1件。",
    )
    c7 = sorted(f.message for f in findings if f.check == "C7")
    assert len(c7) == 3
    assert any("行政复议2件" in m and "（0）" in m for m in c7)
    assert any("结果维持1件" in m for m in c7) and any("尚未审结1件" in m for m in c7)


def test_finding_description_without_a_table_place() -> None:
    findings = _seed_with("自2020年1月1日起", "自2019年1月1日起")
    c13 = next(f for f in findings if f.check == "C13")
    # the section and the paragraph's line, no table/row/column
    assert c13.describe().startswith("[error C13] 第六部分：统计期限")
    assert c13.describe().endswith("edited.txt 第428行）")


def test_figures_about_other_matters_are_not_compared() -> None:
    findings = _seed_with(
        "同上年相比数量持平。",
        "同上年相比数量持平，另受理行政复议申请9件，办结人大代表建议5件。",
    )
    assert [f for f in findings if f.check == "C7"] == []


def test_a_breakdown_after_qizhong_is_still_an_error() -> None:
    findings = _seed_with("其中1件属于已主动公开范围", "其中：予以公开5件")
    c7 = [f for f in findings if f.check == "C7"]
    assert [f.severity for f in c7] == [Severity.ERROR] and "予以公开5件" in c7[0].message


def test_item_counts_across_two_2019_format_years() -> None:
    report = read(SEED)
    text = (
        SEED.read_text(encoding="utf-8")
        .replace("2020年政府信息公开工作年度报告", "2019年政府信息公开工作年度报告")
        .replace("\t行政处罚\n\t0\n\t+35", "\t行政处罚\n\t0\n\t0")
    )
    # last year: 行政检查 50 items, +6 → 56 this year's 上一年项目数量 (consistent)
    good = text.replace("\t行政检查\n\t56\n\t-38", "\t行政检查\n\t50\n\t+6")
    assert [f for f in check(report, read(good.encode(), name="p.txt")) if f.check == "R6"] == []
    bad = text.replace("\t行政检查\n\t56\n\t-38", "\t行政检查\n\t50\n\t+2")
    r6 = [f for f in check(report, read(bad.encode(), name="p.txt")) if f.check == "R6"]
    assert (
        len(r6) == 1 and r6[0].row == ("其他对外管理服务事项", "行政检查") and "52" in r6[0].message
    )


def test_document_figures_in_the_narrative_are_notices() -> None:
    from tests.annual_report.samples import CORE_SAMPLES

    findings = check(read(CORE_SAMPLES["pingtan-zone-2023"]))
    c7 = [f for f in findings if f.check == "C7"]
    # "清理并集中发布现行有效行政规范性文件393件" while the table prints 470
    assert len(c7) == 1 and c7[0].severity is Severity.NOTICE
    assert "393件" in c7[0].message and "470" in c7[0].message
    assert c7[0].column == ("现行有效件数",)


def test_narrative_findings_say_which_paragraph() -> None:
    """C7, C13 and the narrative C6 point at the paragraph they quote (file line)."""
    text = SEED.read_text(encoding="utf-8")
    sentence = "未发生因政府信息公开申请行政复议、提起行政诉讼的情况。"
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if sentence in ln)
    findings = _seed_with(sentence, "政府信息公开行政复议2件，其中结果维持1件，尚未审结1件。")
    c7 = [f for f in findings if f.check == "C7"]
    assert c7 and all(f.location is not None and f.location.line == line for f in c7)
    assert all("表格表三" not in f.message for f in findings)

    old = "2020年1月1日"
    assert old in text
    period_line = next(i for i, ln in enumerate(text.split("\n"), 1) if old in ln)
    c13 = [f for f in _seed_with(old, "2019年1月1日") if f.check == "C13"]
    assert [(f.severity, f.location.line if f.location else None) for f in c13] == [
        (Severity.ERROR, period_line)
    ]


def test_every_finding_about_a_cell_or_a_paragraph_says_where_it_was_read() -> None:
    """The report value says where each value came from; so does every finding about one."""
    text = SEED.read_text(encoding="utf-8")
    edits = [
        # C3/C1: a total that does not add up
        (
            "\t一、本年新收政府信息公开申请数量\n\t3\n\t0\n\t0\n\t0\n\t0\n\t0\n\t3",
            "\t一、本年新收政府信息公开申请数量\n\t3\n\t0\n\t0\n\t0\n\t0\n\t0\n\t4",
        ),
        ("\t四、结转下年度继续办理\n\t0", "\t四、结转下年度继续办理\n\tx"),  # C10
        ("\t四、结转下年度继续办理\n\tx\n\t0", "\t四、结转下年度继续办理\n\tx\n\t"),  # blank
        ("2020年1月1日", "2019年1月1日"),  # C13
        (
            "未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
            "政府信息公开行政复议2件，其中结果维持1件。",
        ),  # C7
    ]
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    findings = check(read((text + text).encode("utf-8"), name="edited.txt"))  # + C6 repeats
    checks = {f.check for f in findings}
    assert {"C1", "C3", "C6", "C7", "C10", "C13"} <= checks
    placed = [f for f in findings if f.cells or f.row or f.column or f.check in {"C7", "C13"}]
    missing = [f.describe() for f in placed if f.location is None]
    assert missing == []
