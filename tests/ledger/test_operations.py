"""The ledger: export, import with mapping and dry run, the round trip, the broken ledger."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from xxgk.accounts.roles import Role
from xxgk.applications.models import Applicant, Application, Consultation
from xxgk.audit.models import AuditEvent
from xxgk.ledger.columns import COLUMNS
from xxgk.ledger.operations import export_ledger, import_ledger
from xxgk.letters import api as letters

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)
HEADERS = [c.header for c in COLUMNS]


def _sheets(data: bytes) -> dict[str, list[list[object]]]:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _xlsx(rows: list[list[object]], title: str = "台账") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _varied_year(cast, make_case):
    """Cases of 2025 and 2026 covering every column: letters, consultation, 补正, 延期, fees,
    withdrawal, an appeal, a 2025 case carried into 2026, a case still open."""
    from xxgk.appeals.models import Appeal

    handler = cast.user("subordinate", Role.HANDLER)
    leader = cast.user("subordinate", Role.LEADER)
    make_case(
        date(2025, 12, 22), name="李四", status="closed", answer_type="not_held",
        legal_basis=["第三十六条第（四）项"], decided_on=date(2026, 1, 9), closed_on=date(2026, 1, 9),
        service_method="post", posted_on=date(2026, 1, 9), served_on=date(2026, 1, 12),
        postal_tracking_number="1187654321098",
    )  # fmt: skip
    partial = make_case(
        date(2026, 3, 2), name="某科技有限公司", kind="business",
        answer_type="partial", status="closed",
        legal_basis=["第三十七条", "第三十六条第（三）项", "第十五条"],
        provided_information="项目批复文件（附件）", withheld_reasons="施工合同中的报价属于商业秘密",
        correction_requested_on=date(2026, 3, 4), correction_received_on=date(2026, 3, 9),
        correction_rounds=1, extension_days=20, extension_approved_on=date(2026, 4, 1),
        decided_on=date(2026, 5, 6), closed_on=date(2026, 5, 6), service_method="direct",
        served_on=date(2026, 5, 6),
    )  # fmt: skip
    Consultation.objects.create(
        agency=partial.agency, application=partial, kind="third_party", party_name="某建筑公司",
        sent_on=date(2026, 3, 12), party_received_on=date(2026, 3, 13),
        deadline=date(2026, 4, 3), replied_on=date(2026, 3, 30), opinion="disagree",
    )  # fmt: skip
    from xxgk.applications import clock

    clock.apply_clock(partial)  # the consultation pauses the clock (条例第三十三条第三款)
    partial.save(update_fields=clock.CLOCK_FIELDS)
    letter = letters.draft_letter(partial, "reply", actor=handler)
    letters.issue_number(letter, actor=leader, on=date(2026, 5, 6))
    review = Appeal.objects.create(
        agency=partial.agency, application=partial, kind="review", filed_on=date(2026, 6, 1),
        body="测试区人民政府", result="upheld", decided_on=date(2026, 7, 20),
    )  # fmt: skip
    Appeal.objects.create(
        agency=partial.agency, application=partial, kind="suit_after_review",
        filed_on=date(2026, 8, 1), body="测试区人民法院", result="pending", earlier=review,
    )  # fmt: skip
    make_case(
        date(2026, 6, 15), name="王五", status="closed", answer_type="fee_unpaid",
        fee_basis="pages", fee_units=150, fee_amount=1700, fee_notice_on=date(2026, 6, 20),
        fee_payment_deadline=date(2026, 7, 20), closed_on=date(2026, 7, 21),
        purpose="按页计费",
    )  # fmt: skip
    make_case(
        date(2026, 9, 1), name="赵六", status="closed", answer_type="other",
        withdrawn_on=date(2026, 9, 3), closed_on=date(2026, 9, 3), channel="oral",
        description="口头申请：本街道2025年财政预算",
    )  # fmt: skip
    make_case(date(2026, 11, 20), name="钱七", kind="legal_services")  # still open


def test_round_trip_export_import_export_is_identical(cast, make_case):
    """Issue 6: export → import into an empty agency → export gives identical content."""
    _varied_year(cast, make_case)
    staff = cast.user("subordinate", Role.REGISTRAR)
    first = export_ledger(staff, cast.subordinate, personal_data=True, today=TODAY)
    sheets = _sheets(first)
    assert list(sheets) == ["2025年", "2026年"]
    assert sheets["2026年"][0] == HEADERS
    assert len(sheets["2025年"]) == 2 and len(sheets["2026年"]) == 5
    row = dict(zip(HEADERS, sheets["2026年"][1], strict=True))
    assert row["申请人类型"] == "商业企业"
    assert row["答复类型"] == "部分公开（区分处理）"
    assert row["文号"] == "测试区向阳街道办事处依复〔2026〕1号"
    assert (
        row["年报行次（2021年格式）"] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert row["征求意见对象"] == "某建筑公司"
    assert row["复议诉讼"] == (
        "行政复议，测试区人民政府，2026-06-01，结果维持，2026-07-20；"
        "行政诉讼（复议后起诉），测试区人民法院，2026-08-01，尚未审结"
    )
    assert row["联系电话"] == "13800138000"
    assert dict(zip(HEADERS, sheets["2025年"][1], strict=True))["是否结转下年"] == "是"

    # The original installation goes away (受理编号 are unique across the platform).
    from xxgk.appeals.models import Appeal
    from xxgk.letters.models import IssuedNumber, Letter

    IssuedNumber.objects.all().delete()
    Letter.objects.all().delete()
    Appeal.objects.filter(earlier__isnull=False).delete()
    Appeal.objects.all().delete()
    Application.objects.all().delete()
    Applicant.objects.all().delete()

    admin = cast.user("unrelated", Role.ADMIN)
    dry = import_ledger(admin, cast.unrelated, first, today=TODAY)
    assert dry.ok and dry.valid_rows == 5 and dry.created == 0
    assert not Application.objects.exists()
    report = import_ledger(admin, cast.unrelated, first, dry_run=False, today=TODAY)
    assert report.ok, report.lines()
    assert report.created == 5
    second = export_ledger(admin, cast.unrelated, personal_data=True, today=TODAY)
    again = _sheets(second)
    diff = [
        (title, i, HEADERS[j], a, b)
        for title in sheets
        for i, (r1, r2) in enumerate(zip(sheets[title], again[title], strict=True))
        for j, (a, b) in enumerate(zip(r1, r2, strict=True))
        if a != b
    ]
    assert diff == []
    assert again == sheets
    assert (
        AuditEvent.objects.filter(action="ledger.import", agency_id=cast.unrelated.pk).count() == 1
    )


def test_export_masks_personal_data_by_default_and_checks_roles(cast, make_case):
    make_case(date(2026, 3, 2))
    data = export_ledger(cast.user("district", Role.SUPERVISOR), cast.subordinate, today=TODAY)
    row = dict(zip(HEADERS, _sheets(data)["2026年"][1], strict=True))
    assert row["联系电话"] == "138******00"
    assert row["通信地址"] == "测试区一号路****"
    assert row["申请人"] == "张*"
    with pytest.raises(PermissionDenied):  # a supervisor never sees personal data
        export_ledger(cast.user("district", Role.SUPERVISOR), cast.subordinate, personal_data=True)
    with pytest.raises(PermissionDenied):
        export_ledger(cast.user("unrelated", Role.ADMIN), cast.subordinate)
    event = AuditEvent.objects.filter(action="ledger.export").latest("id")
    assert event.details["personal_data"] is False and event.details["cases"] == 1


def test_export_of_one_year_or_a_filtered_list(cast, make_case):
    make_case(date(2025, 12, 1), name="甲")
    b = make_case(date(2026, 2, 2), name="乙")
    make_case(date(2026, 3, 3), name="丙")
    staff = cast.user("subordinate", Role.HANDLER)
    assert list(_sheets(export_ledger(staff, cast.subordinate, year=2025))) == ["2025年"]
    only = export_ledger(staff, cast.subordinate, cases=Application.objects.filter(pk=b.pk))
    rows = _sheets(only)["2026年"]
    assert [r[HEADERS.index("申请人")] for r in rows[1:]] == ["乙*"]  # masked by default


def test_a_masked_export_is_not_imported(cast, make_case):
    make_case(date(2026, 3, 2), name="张三")
    make_case(date(2026, 3, 3), name="某科技有限公司", kind="business")
    masked = export_ledger(cast.user("subordinate", Role.HANDLER), cast.subordinate, today=TODAY)
    rows = _sheets(masked)["2026年"]
    assert [r[HEADERS.index("申请人")] for r in rows[1:]] == ["张*", "某科技有限公司"]
    Application.objects.all().delete()
    report = import_ledger(
        cast.user("unrelated", Role.ADMIN), cast.unrelated, masked, dry_run=False, today=TODAY
    )
    assert not report.ok and report.created == 0
    assert [str(p) for p in report.errors] == [
        "2026年 第2行「申请人」：为脱敏数据，无法导入（请使用含个人信息的导出）"
    ]
    assert "2026年 第3行「联系电话」：为脱敏数据，未导入" in [str(n) for n in report.notes]
    assert not Application.objects.exists()


def test_an_agencys_own_headers_with_a_column_mapping(cast):
    data = _xlsx(
        [
            ["序号", "申请人姓名", "申请人性质", "来件日期", "所需信息内容描述", "信息用途", "处理结果", "办结时间"],
            [1, "孙八", "公民", "2026/4/1", "某路段改造批文", "维权", "予以公开", "2026年4月20日"],
            [2, "某律所", "法律服务机构", "2026-04-02", "某项目环评报告", "", "", ""],
        ]
    )  # fmt: skip
    admin = cast.user("subordinate", Role.ADMIN)
    report = import_ledger(admin, cast.subordinate, data, today=TODAY)
    assert not report.ok  # 来件日期 is unknown: no receipt date column
    assert "缺少收到日期或申请日期列" in [p.message for p in report.errors]
    report = import_ledger(
        admin, cast.subordinate, data, mapping={"来件日期": "received_on", "序号": ""},
        dry_run=False, today=TODAY,
    )  # fmt: skip
    assert report.ok, report.lines()
    assert report.unmapped["台账"] == ["序号", "信息用途"]
    first, second = Application.objects.filter(agency=cast.subordinate).order_by("received_on")
    assert (first.received_on, first.status, first.answer_type) == (
        date(2026, 4, 1), "closed", "disclosed",
    )  # fmt: skip
    assert first.closed_on == date(2026, 4, 20) and first.applicant.kind == "natural_person"
    assert second.status == "open" and second.applicant.kind == "legal_services"
    assert second.effective_due is not None  # the clock is computed from the receipt date
    assert [e.label for e in first.events.all()] == ["由台账导入"]  # on the case timeline
    assert [n.message for n in report.notes] == ["申请方式为空，按“当面提交”导入"] * 2


def test_a_broken_ledger_gives_a_row_by_row_report_and_writes_nothing(cast, make_case):
    """Issue 6: nothing is written if any row is invalid (one transaction)."""
    existing = make_case(date(2026, 1, 5))
    header = [
        "受理编号",
        "收到日期",
        "申请人",
        "申请人类型",
        "申请内容",
        "办理状态",
        "答复类型",
        "延期工作日数",
    ]
    data = _xlsx(
        [
            header,
            ["A-1", "2026-03-02", "甲", "自然人", "预算", "办理中", "", None],  # fine, but…
            ["A-2", "2026-02-30", "乙", "自然人", "预算", "", "", None],
            ["A-3", "2026-03-02", "丙", "法人或者其他组织", "预算", "", "", None],
            ["A-4", "2026-03-02", "丁", "自然人", "", "", "", None],
            ["A-1", "2026-03-03", "戊", "自然人", "预算", "", "", None],
            ["A-6", "2026-03-02", "己", "自然人", "预算", "办理中", "", 30],
            ["A-7", "2026-03-02", "庚", "自然人", "预算", "已办结", "", None],
            ["A-8", "2027-01-04", "辛", "自然人", "预算", "", "", None],
            [existing.number, "2026-03-02", "壬", "自然人", "预算", "", "", None],
            ["A-10", "2026-03-02", "癸", "自然人", "预算", "", "不告诉你", None],
        ]
    )  # fmt: skip
    before = (Application.objects.count(), Applicant.objects.count(), AuditEvent.objects.count())
    report = import_ledger(
        cast.user("subordinate", Role.ADMIN), cast.subordinate, data, dry_run=False, today=TODAY
    )
    assert not report.ok and report.created == 0
    located = {(p.row, p.column) for p in report.errors}
    assert {
        (3, "收到日期"),
        (4, "申请人类型"),
        (5, "申请内容"),
        (6, "受理编号"),
        (7, "延期工作日数"),
        (8, "答复类型"),
        (9, "收到日期"),
        (10, "受理编号"),
        (11, "答复类型"),
    } <= located
    assert not any(p.row == 2 for p in report.errors)
    assert report.valid_rows == 1 and report.rows == 10
    lines = report.lines()
    assert lines[0] == f"共10行，有效1行，错误{len(report.errors)}处，已导入0件。"
    assert "台账 第3行「收到日期」：日期“2026-02-30”无法识别（示例：2026-03-02）" in lines
    assert "台账 第6行「受理编号」：与台账第2行重复" in lines
    assert "台账 第7行「延期工作日数」：延长期限为1至20个工作日（条例第三十三条第二款）" in lines
    after = (Application.objects.count(), Applicant.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_a_locked_year_cannot_be_imported(cast):
    from xxgk.applications.models import LockedYear

    LockedYear.objects.create(agency=cast.subordinate, year=2025)
    data = _xlsx(
        [["收到日期", "申请人", "申请人类型", "申请内容"], ["2025-05-06", "甲", "自然人", "预算"]]
    )
    report = import_ledger(cast.user("subordinate", Role.ADMIN), cast.subordinate, data)
    assert [p.message for p in report.errors] == ["2025年度已锁定（年度报告已公布），不能导入"]


def test_import_refuses_other_roles_and_non_excel_files(cast):
    data = _xlsx([["收到日期", "申请人", "申请人类型", "申请内容"]])
    with pytest.raises(PermissionDenied):
        import_ledger(cast.user("subordinate", Role.HANDLER), cast.subordinate, data)
    with pytest.raises(PermissionDenied):
        import_ledger(cast.user("unrelated", Role.ADMIN), cast.subordinate, data)
    with pytest.raises(ValidationError, match="xlsx"):
        import_ledger(cast.user("subordinate", Role.ADMIN), cast.subordinate, b"not a workbook")
    report = import_ledger(cast.user("subordinate", Role.ADMIN), cast.subordinate, data)
    assert [p.message for p in report.errors] == ["文件中没有数据行"]


def test_over_long_cells_and_a_pending_case_without_dates(cast):
    data = _xlsx(
        [
            ["受理编号", "申请日期", "申请人", "申请人类型", "申请内容", "办理状态"],
            ["X" * 40, "2026-03-02", "甲", "自然人", "预算", "办理中"],
            ["P-1", None, "乙", "自然人", "预算", "待确认收到"],
            ["P-2", "2026-03-02", "丙" * 101, "自然人", "预算", "待确认收到"],
        ]
    )
    report = import_ledger(cast.user("subordinate", Role.ADMIN), cast.subordinate, data)
    assert [str(p) for p in report.errors] == [
        "台账 第2行「受理编号」：超过32个字符",
        "台账 第2行「收到日期」：收到日期不能为空（条例第三十一条：答复期限自收到申请之日起计算）",
        "台账 第3行「申请日期」：待确认收到的申请须填写申请日期",
        "台账 第4行「申请人」：超过100个字符",
    ]
