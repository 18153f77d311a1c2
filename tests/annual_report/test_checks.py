"""Checks (regulation.md §2.5, §5.2) on the seed and on edited copies of it."""

from __future__ import annotations

from tests.annual_report.samples import SEED
from xxgk.annual_report import Severity, check, read
from xxgk.annual_report.model import Finding


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
