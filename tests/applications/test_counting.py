"""A year of varied cases counted into tables 三 and 四 — against hand-counted tables, in both
format versions, with carry-over from the previous year and the 勾稽 relations (the
annual-report engine's own checks) holding."""

from __future__ import annotations

from datetime import date

import pytest

from tests.applications.conftest import CREDIT17, organisation, person
from xxgk.accounts.roles import Role
from xxgk.annual_report import Severity
from xxgk.annual_report.checks import run_checks
from xxgk.appeals import operations as appeals
from xxgk.applications import operations, workflow
from xxgk.applications.counting import count_year, t3, t4
from xxgk.applications.validation import credit_code_check_char
from xxgk.statute.outcomes import FormatVersion

pytestmark = pytest.mark.django_db

COLUMNS = ["natural_person", "business", "research", "public_interest", "legal_services", "other_org", "total"]  # fmt: skip


def u(cast, role):
    return cast.user("subordinate", role)


def org(kind, n):
    body = CREDIT17[:-3] + f"{n:02d}" + CREDIT17[-1]
    return organisation(
        kind=kind, name=f"测试机构{n}", id_number=body + credit_code_check_char(body)
    )


def new(cast, received, applicant, description):
    return operations.register_application(
        u(cast, Role.REGISTRAR), cast.subordinate, channel="in_person", applicant=applicant,
        description=description, medium="paper", delivery="post", submitted_on=received,
    )  # fmt: skip


def reply(cast, app, answer_type, signed, posted, **decision):
    app = workflow.record_decision(u(cast, Role.HANDLER), app, answer_type=answer_type, **decision)
    app = workflow.submit_reply(u(cast, Role.HANDLER), app)
    app = workflow.review_reply(u(cast, Role.REVIEWER), app, approve=True)
    app = workflow.sign_reply(u(cast, Role.LEADER), app, approve=True, on=signed)
    return workflow.record_delivery(
        u(cast, Role.REGISTRAR),
        app,
        method="post",
        posted_on=posted,
        tracking_number="XA100000001CN",
    )


PARTIAL = {
    "provided_information": "可以公开的部分",
    "withheld_reasons": "个人隐私",
    "legal_basis": ["条例第三十七条", "条例第三十六条第（三）项", "条例第十五条"],
}


@pytest.fixture
def year(cast, monkeypatch):
    """2024 (previous year) and 2025 cases; see the hand count in the test below."""
    monkeypatch.setattr(workflow, "_issue_reply_number", lambda app, user, day: None)
    h = u(cast, Role.HANDLER)
    # --- 2024 ---
    p1 = new(cast, date(2024, 12, 2), person(), "2024年街道预算")
    reply(
        cast,
        p1,
        "disclosed",
        date(2024, 12, 18),
        date(2024, 12, 20),
        provided_information="预算全文",
    )
    p2 = new(cast, date(2024, 12, 16), person(), "2024年拆迁补偿方案")
    p3 = new(cast, date(2024, 12, 23), org("business", 1), "企业扶持资金名单")
    # --- 2025 ---
    p2 = reply(cast, p2, "partial", date(2025, 1, 8), date(2025, 1, 10), **PARTIAL)
    workflow.withdraw(u(cast, Role.REGISTRAR), p3, on=date(2025, 1, 6))
    n1 = new(cast, date(2025, 3, 3), person(), "2025年老旧小区改造批复文件")
    reply(
        cast, n1, "disclosed", date(2025, 3, 18), date(2025, 3, 20), provided_information="批复全文"
    )
    n2 = new(cast, date(2025, 4, 1), person(), "街道改造的请示报告")
    n2 = reply(cast, n2, "withheld_process", date(2025, 4, 20), date(2025, 4, 22),
               withheld_reasons="请示报告属于过程性信息")  # fmt: skip
    n3 = new(cast, date(2025, 5, 6), org("research", 2), "某项统计")
    n3 = workflow.request_correction(h, n3, items=["请说明统计的名称"], on=date(2025, 5, 8))
    workflow.lapse_correction(u(cast, Role.REGISTRAR), n3, on=date(2025, 6, 16))
    n4 = new(cast, date(2025, 6, 2), org("legal_services", 3), "全部执法文书")
    n4 = workflow.issue_fee_notice(h, n4, basis="pages", units=40, on=date(2025, 6, 5))
    workflow.lapse_fee(u(cast, Role.REGISTRAR), n4, on=date(2025, 7, 15))
    n5 = new(cast, date(2025, 7, 1), org("public_interest", 4), "不存在的文件")
    reply(cast, n5, "not_held", date(2025, 7, 10), date(2025, 7, 11))
    n6 = new(cast, date(2025, 8, 4), person(), "区住建局的文件")
    n6 = reply(cast, n6, "not_responsible", date(2025, 8, 12), date(2025, 8, 13),
               withheld_reasons="非本机关制作", responsible_agency="区住建局 010-1")  # fmt: skip
    new(cast, date(2025, 12, 22), org("other_org", 5), "年底的申请")
    n8 = new(cast, date(2025, 12, 15), person(), "跨年答复的申请")
    n8 = workflow.record_decision(h, n8, answer_type="partial", **PARTIAL)
    n9 = new(cast, date(2025, 9, 1), org("business", 6), "举报某企业违法排污")
    reply(cast, n9, "petition", date(2025, 9, 5), date(2025, 9, 8))
    n10 = new(cast, date(2025, 4, 7), person(), "2025年老旧小区改造批复文件。")
    reply(cast, n10, "repeated", date(2025, 4, 9), date(2025, 4, 10), duplicate_of=n1)
    # --- 2026: the cross-year reply and a new case (not in 2025) ---
    n8 = workflow.submit_reply(h, n8)
    n8 = workflow.review_reply(u(cast, Role.REVIEWER), n8, approve=True)
    n8 = workflow.sign_reply(u(cast, Role.LEADER), n8, approve=True, on=date(2026, 1, 5))
    workflow.record_delivery(
        u(cast, Role.REGISTRAR), n8, method="direct", served_on=date(2026, 1, 6)
    )
    new(cast, date(2026, 1, 5), person(), "2026年的申请")
    # --- appeals ---
    lead = u(cast, Role.LEADER)
    a1 = appeals.record_appeal(
        lead, n2, kind="review", filed_on=date(2025, 5, 10), body="区人民政府"
    )
    a1 = appeals.record_result(lead, a1, result="upheld", decided_on=date(2025, 7, 1))
    a2 = appeals.record_appeal(lead, n2, kind="suit_after_review", filed_on=date(2025, 7, 15),
                               body="区人民法院", earlier=a1)  # fmt: skip
    appeals.record_result(lead, a2, result="corrected", decided_on=date(2026, 2, 1))
    a3 = appeals.record_appeal(
        lead, n6, kind="suit_direct", filed_on=date(2025, 9, 10), body="区人民法院"
    )
    appeals.record_result(lead, a3, result="other", decided_on=date(2025, 11, 20))
    a4 = appeals.record_appeal(
        lead, p2, kind="review", filed_on=date(2025, 2, 1), body="区人民政府"
    )
    appeals.record_result(lead, a4, result="corrected", decided_on=date(2025, 3, 15))
    return cast.subordinate


#            natural, business, research, public_int, legal, other, total
COMMON_2025 = {
    "1": [5, 1, 1, 1, 1, 1, 10],
    "2": [1, 1, 0, 0, 0, 0, 2],
    "3.1": [1, 0, 0, 0, 0, 0, 1],
    "3.2": [1, 0, 0, 0, 0, 0, 1],
    "3.3.6": [1, 0, 0, 0, 0, 0, 1],
    "3.4.1": [1, 0, 0, 1, 0, 0, 2],
    "3.5.1": [0, 1, 0, 0, 0, 0, 1],
    "3.5.2": [1, 0, 0, 0, 0, 0, 1],
    "3.7": [5, 2, 1, 1, 1, 0, 10],
    "4": [1, 0, 0, 0, 0, 1, 2],
}
ONLY_2021 = {
    "3.6.1": [0, 0, 1, 0, 0, 0, 1],
    "3.6.2": [0, 0, 0, 0, 1, 0, 1],
    "3.6.3": [0, 1, 0, 0, 0, 0, 1],
}
ONLY_2019 = {"3.6": [0, 1, 1, 0, 1, 0, 3]}


def expected(version):
    rows = dict(COMMON_2025)
    rows.update(ONLY_2021 if version is FormatVersion.V2021 else ONLY_2019)
    return rows


@pytest.mark.parametrize("version", list(FormatVersion))
def test_year_of_cases_gives_the_hand_counted_tables(year, version):
    report = count_year(year, 2025, version)
    want = expected(version)
    table = {}
    for row_id in {k for k in want} | {"3.3.1", "3.4.2", "3.5.5"}:
        table[row_id] = [t3(report, row_id, c) for c in COLUMNS]
    for row_id, values in want.items():
        assert table[row_id] == values, row_id
    for row_id in ("3.3.1", "3.4.2", "3.5.5"):
        assert table[row_id] == [0] * 7
    # every other cell of table 三 is zero: the total of all cells is what the hand count says
    total = sum(
        c.value for k, c in report.cells.items() if k.section == "三" and k.column[-1] == "总计"
    )
    assert total == sum(v[-1] for v in want.values())
    # table 四
    assert t4(report, "review.upheld") == 1
    assert t4(report, "review.corrected") == 1
    assert t4(report, "review.total") == 2
    assert t4(report, "suit_direct.other") == 1 and t4(report, "suit_direct.total") == 1
    assert t4(report, "suit_after_review.pending") == 1
    assert t4(report, "suit_after_review.corrected") == 0
    assert t4(report, "suit_after_review.total") == 1
    # the 勾稽 relations, checked by the annual-report engine, with last year's report (C4)
    previous = count_year(year, 2024, version)
    assert [t3(previous, "4", c) for c in COLUMNS] == want["2"]
    findings = run_checks(report, previous)
    relation_errors = [
        f for f in findings
        if f.severity is Severity.ERROR and f.check in ("C1", "C2", "C3", "C4", "C8", "C12", "R8")
    ]  # fmt: skip
    assert relation_errors == []


def test_a_counted_table_that_does_not_add_up_is_caught(year):
    """The check above can fail: drop one carried-over case and C1/C4 speak."""
    from xxgk.annual_report import Cell

    report = count_year(year, 2025, FormatVersion.V2021)
    previous = count_year(year, 2024, FormatVersion.V2021)
    key = next(
        k
        for k in report.cells
        if k.section == "三" and k.row[-1].startswith("二、") and k.column[-1] == "自然人"
    )
    report.cells[key] = Cell(0, "0")
    checks = {f.check for f in run_checks(report, previous) if f.severity is Severity.ERROR}
    assert {"C1", "C4"} <= checks


def test_next_year_carries_in_what_was_open_at_year_end(year):
    report = count_year(year, 2026, FormatVersion.V2021)
    assert t3(report, "2", "total") == 2  # n7 (still open) and n8 (answered 2026)
    assert t3(report, "2", "other_org") == 1
    assert t3(report, "1", "total") == 1
    assert t3(report, "3.2", "natural_person") == 1  # n8's 部分公开, in the year it was made
    assert t3(report, "4", "total") == 2
