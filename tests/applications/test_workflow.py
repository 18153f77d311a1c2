"""Part 2 operations: 补正, 征求意见, 延期, 收费, decision, sign-off, delivery, correction of a
sent reply, withdrawal, duplicates, on-the-spot answers, locked years. Every due date is
compared with :mod:`xxgk.statute.periods` computed independently here."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.applications.conftest import person
from xxgk.accounts.roles import Role
from xxgk.applications import operations, workflow
from xxgk.applications.models import (
    Application,
    CaseEvent,
    LockedYear,
    ReplyCorrection,
    ReplyStage,
    SignOffStep,
    Status,
)
from xxgk.applications.validation import resident_id_check_char
from xxgk.audit.models import AuditEvent
from xxgk.statute.calendar import load_calendar
from xxgk.statute.outcomes import FormatVersion
from xxgk.statute.periods import (
    Pause,
    answer_deadline,
    consultation_reply_deadline,
    extended_deadline,
    fee_payment_deadline,
)
from xxgk.statute.taxonomies import AnswerType, answer_row

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 3, 2)  # a Monday with holiday data
OTHER_ID = "11010519800101001" + resident_id_check_char("11010519800101001")


def u(cast, role, key="subordinate"):
    return cast.user(key, role)


def case(
    cast,
    received=RECEIVED,
    applicant=None,
    description="2025年本街道老旧小区改造项目的批复文件",
    channel="in_person",
    **kw,
):
    return operations.register_application(
        u(cast, Role.REGISTRAR),
        cast.subordinate,
        channel=channel,
        applicant=applicant or person(),
        description=description,
        medium="paper",
        delivery="post",
        submitted_on=received,
        **kw,
    )


def cal():
    return load_calendar()


def decide_partial(cast, app):
    return workflow.record_decision(
        u(cast, Role.HANDLER),
        app,
        answer_type="partial",
        legal_basis=["条例第三十七条", "条例第三十六条第（三）项", "条例第十五条"],
        provided_information="改造项目批复（删去个人信息）。",
        withheld_reasons="住户姓名、电话属于个人隐私（条例第十五条）。",
    )


def sign_and_send(cast, app, on=None, post=date(2026, 4, 1)):
    app = workflow.submit_reply(u(cast, Role.HANDLER), app)
    app = workflow.review_reply(u(cast, Role.REVIEWER), app, approve=True)
    app = workflow.sign_reply(u(cast, Role.LEADER), app, approve=True, on=on or post)
    return workflow.record_delivery(
        u(cast, Role.REGISTRAR), app, method="post", posted_on=post, tracking_number="XA123456789CN"
    )


# ----- 补正 -------------------------------------------------------------------------------


def test_correction_stops_the_clock_and_restarts_it_from_the_corrected_application(cast):
    app = case(cast)
    notice_on = date(2026, 3, 5)
    app = workflow.request_correction(
        u(cast, Role.HANDLER),
        app,
        items=["请说明所需文件的名称或文号", "请提供身份证明复印件"],
        on=notice_on,
    )
    assert app.status == Status.CORRECTION
    assert app.effective_due is None  # no answer period runs while waiting
    assert app.correction_deadline == cal().add_workdays(notice_on, 15)
    assert app.correction_items == ["请说明所需文件的名称或文号", "请提供身份证明复印件"]
    corrected = date(2026, 3, 16)
    app = workflow.receive_correction(u(cast, Role.REGISTRAR), app, on=corrected)
    assert app.status == Status.OPEN
    expected = answer_deadline(RECEIVED, cal(), correction_received_on=corrected).due
    assert app.effective_due == expected == app.answer_due
    assert expected > answer_deadline(RECEIVED, cal()).due
    kinds = list(CaseEvent.objects.filter(application=app).values_list("kind", flat=True))
    assert kinds == ["request_correction", "receive_correction"]
    assert AuditEvent.objects.filter(action="application.receive_correction").count() == 1


def test_one_correction_only_by_default_and_items_required(cast):
    app = case(cast)
    with pytest.raises(ValidationError, match="补正的事项"):
        workflow.request_correction(u(cast, Role.HANDLER), app, items=["  "], on=date(2026, 3, 3))
    app = workflow.request_correction(
        u(cast, Role.HANDLER), app, items=["名称"], on=date(2026, 3, 3)
    )
    app = workflow.receive_correction(u(cast, Role.REGISTRAR), app, on=date(2026, 3, 6))
    with pytest.raises(ValidationError, match="补正次数"):
        workflow.request_correction(u(cast, Role.HANDLER), app, items=["再补"], on=date(2026, 3, 9))


def test_late_correction_notice_is_flagged(cast):
    app = case(cast)
    late = date(2026, 3, 20)  # after the 7th working day
    assert late > app.correction_notice_due
    workflow.request_correction(u(cast, Role.HANDLER), app, items=["名称"], on=late)
    event = CaseEvent.objects.get(application=app, kind="request_correction")
    assert event.details["late"] is True and "晚于法定期限" in event.legal_effect


def test_correction_lapse_closes_in_the_right_row(cast):
    app = case(cast)
    app = workflow.request_correction(
        u(cast, Role.HANDLER), app, items=["名称"], period_days=10, on=date(2026, 3, 3)
    )
    with pytest.raises(ValidationError, match="期限届满前"):
        workflow.lapse_correction(u(cast, Role.REGISTRAR), app, on=app.correction_deadline)
    app = workflow.lapse_correction(u(cast, Role.REGISTRAR), app, on=date(2026, 3, 30))
    assert app.status == Status.CLOSED and app.closed_on == date(2026, 3, 30)
    answer = AnswerType(app.answer_type)
    assert answer is AnswerType.CORRECTION_ABANDONED
    assert answer_row(answer, FormatVersion.V2021) == "3.6.1"
    assert answer_row(answer, FormatVersion.V2019) == "3.6"


def test_daily_job_closes_lapsed_corrections_and_fees(cast):
    a = workflow.request_correction(
        u(cast, Role.HANDLER), case(cast), items=["名称"], period_days=5, on=date(2026, 3, 3)
    )
    b = workflow.issue_fee_notice(
        u(cast, Role.HANDLER), case(cast, description="另一件"), basis="pages", units=150,
        on=date(2026, 3, 4),
    )  # fmt: skip
    from xxgk.applications import tasks

    done = tasks.lapses.call("2026-06-01")
    assert done == {"correction": 1, "fee": 1}
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.answer_type) == (Status.CLOSED, "correction_abandoned")
    assert (b.status, b.answer_type) == (Status.CLOSED, "fee_unpaid")
    assert AuditEvent.objects.filter(action="application.lapse_fee", actor=None).exists()


def test_unclear_after_correction_needs_a_correction(cast):
    app = case(cast)
    with pytest.raises(ValidationError, match="经过补正"):
        workflow.record_decision(u(cast, Role.HANDLER), app, answer_type="unclear_after_correction")
    app = workflow.request_correction(
        u(cast, Role.HANDLER), app, items=["名称"], on=date(2026, 3, 3)
    )
    app = workflow.receive_correction(u(cast, Role.REGISTRAR), app, on=date(2026, 3, 6))
    app = workflow.record_decision(
        u(cast, Role.HANDLER), app, answer_type="unclear_after_correction"
    )
    assert app.legal_basis == ["条例第三十条"]
    assert answer_row(AnswerType.UNCLEAR_AFTER_CORRECTION, FormatVersion.V2021) == "3.4.3"


# ----- 征求意见 ----------------------------------------------------------------------------


def test_third_party_consultation_pauses_the_answer_period(cast):
    app = case(cast)
    sent, got = date(2026, 3, 9), date(2026, 3, 11)
    item = workflow.start_consultation(
        u(cast, Role.HANDLER), app, kind="third_party", party_name="某建设公司",
        matter="合同中的商业信息", sent_on=sent, party_received_on=got,
    )  # fmt: skip
    deadline = consultation_reply_deadline(got, cal()).due
    assert item.deadline == deadline
    app.refresh_from_db()
    assert app.effective_due == answer_deadline(RECEIVED, cal(), pauses=[Pause(sent, deadline)]).due
    assert app.effective_due > answer_deadline(RECEIVED, cal()).due
    # the reply arrives earlier: only the time up to it is excluded
    replied = date(2026, 3, 20)
    workflow.record_consultation_reply(
        u(cast, Role.HANDLER),
        item,
        opinion="disagree",
        replied_on=replied,
        reply_text="涉及商业秘密",
    )
    app.refresh_from_db()
    assert app.effective_due == answer_deadline(RECEIVED, cal(), pauses=[Pause(sent, replied)]).due
    event = CaseEvent.objects.get(application=app, kind="consultation_reply")
    assert "条例第三十二条" in event.legal_effect


def test_silence_only_after_the_deadline_and_its_effect_follows_the_article(cast):
    app = case(cast)
    item = workflow.start_consultation(
        u(cast, Role.HANDLER), app, kind="agency", party_name="区住建局",
        matter="共同制作的文件", sent_on=date(2026, 3, 3),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="届满后"):
        workflow.record_consultation_reply(
            u(cast, Role.HANDLER), item, opinion="silent", replied_on=item.deadline
        )
    item = workflow.record_consultation_reply(
        u(cast, Role.HANDLER), item, opinion="silent", replied_on=date(2026, 4, 10)
    )
    assert "视为同意公开" in item.silence_effect
    event = CaseEvent.objects.get(application=app, kind="consultation_reply")
    assert "第三十四条" in event.legal_effect
    app.refresh_from_db()
    assert (
        app.effective_due
        == answer_deadline(RECEIVED, cal(), pauses=[Pause(date(2026, 3, 3), item.deadline)]).due
    )


def test_decision_waits_for_open_consultations(cast):
    app = case(cast)
    workflow.start_consultation(
        u(cast, Role.HANDLER), app, kind="third_party", party_name="某公司", matter="x",
        sent_on=date(2026, 3, 3),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="征求意见未有结果"):
        decide_partial(cast, app)


# ----- 延期 --------------------------------------------------------------------------------


def test_extension_by_the_leader_once_at_most_20_days(cast):
    app = case(cast)
    with pytest.raises(PermissionDenied):
        workflow.grant_extension(
            u(cast, Role.HANDLER), app, days=10, reason="量大", on=date(2026, 3, 20)
        )
    with pytest.raises(ValidationError, match="1至20"):
        workflow.grant_extension(
            u(cast, Role.LEADER), app, days=21, reason="量大", on=date(2026, 3, 20)
        )
    app = workflow.grant_extension(
        u(cast, Role.LEADER), app, days=15, reason="需调阅档案", on=date(2026, 3, 20)
    )
    assert app.extension_days == 15 and app.extended_due == app.effective_due
    assert app.effective_due == extended_deadline(RECEIVED, cal(), 15).due
    assert app.answer_due == answer_deadline(RECEIVED, cal()).due
    with pytest.raises(ValidationError, match="只能延长一次"):
        workflow.grant_extension(
            u(cast, Role.LEADER), app, days=5, reason="再延", on=date(2026, 3, 23)
        )


def test_extension_after_the_period_expired_is_refused(cast):
    app = case(cast)
    with pytest.raises(ValidationError, match="已于"):
        workflow.grant_extension(
            u(cast, Role.LEADER), app, days=5, reason="晚了", on=date(2026, 4, 20)
        )
    assert not Application.objects.get(pk=app.pk).extension_days


# ----- fees -------------------------------------------------------------------------------


def test_fee_notice_by_pages_and_payment(cast):
    app = case(cast)
    app = workflow.issue_fee_notice(
        u(cast, Role.HANDLER), app, basis="pages", units=150, on=date(2026, 3, 10),
        received_on=date(2026, 3, 12),
    )  # fmt: skip
    assert app.status == Status.FEE
    assert app.fee_amount == 30 * 0 + 70 * 10 + 50 * 20  # 109号第五条, hand-computed
    assert app.fee_payment_deadline == fee_payment_deadline(date(2026, 3, 12), cal()).due
    with pytest.raises(ValidationError, match="届满前"):
        workflow.lapse_fee(u(cast, Role.REGISTRAR), app, on=app.fee_payment_deadline)
    app = workflow.record_fee_payment(u(cast, Role.REGISTRAR), app, paid_on=date(2026, 3, 20))
    assert app.status == Status.OPEN and app.fee_paid_on == date(2026, 3, 20)


def test_fee_by_items_counts_the_month_before(cast):
    # the 12th application of the applicant in March: items 12–13 at 100 each
    apps = [case(cast, description=f"第{i}件申请的内容") for i in range(12)]
    quote = workflow.fee_quote(apps[-1], "items", 2)
    assert quote.fee_yuan == 200
    assert workflow.fee_quote(apps[0], "items", 1).fee_yuan == 0
    with pytest.raises(ValidationError, match="不收费"):
        workflow.issue_fee_notice(
            u(cast, Role.HANDLER), apps[0], basis="items", units=1, on=date(2026, 3, 3)
        )


def test_unpaid_fee_closes_in_the_fee_row(cast):
    app = workflow.issue_fee_notice(
        u(cast, Role.HANDLER), case(cast), basis="pages", units=40, on=date(2026, 3, 3)
    )
    app = workflow.lapse_fee(u(cast, Role.REGISTRAR), app, on=date(2026, 5, 4))
    assert app.answer_type == "fee_unpaid"
    assert answer_row(AnswerType.FEE_UNPAID, FormatVersion.V2021) == "3.6.2"


# ----- decision ---------------------------------------------------------------------------


def test_decision_needs_the_articles_of_its_type(cast):
    app = case(cast)
    with pytest.raises(ValidationError) as exc:
        workflow.record_decision(
            u(cast, Role.HANDLER), app, answer_type="withheld_process",
            legal_basis=["条例第三十六条第（三）项"], withheld_reasons="过程稿",
        )  # fmt: skip
    assert "第十六条第二款" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        workflow.record_decision(
            u(cast, Role.HANDLER), app, answer_type="partial", provided_information="部分"
        )
    assert "理由" in str(exc.value)
    with pytest.raises(ValidationError, match="负责公开"):
        workflow.record_decision(
            u(cast, Role.HANDLER),
            app,
            answer_type="not_responsible",
            withheld_reasons="非本机关制作",
        )
    with pytest.raises(ValidationError, match="相应的办理步骤"):
        workflow.record_decision(u(cast, Role.HANDLER), app, answer_type="fee_unpaid")
    assert not Application.objects.get(pk=app.pk).answer_type


def test_referral_names_the_responsible_agency(cast):
    app = workflow.record_decision(
        u(cast, Role.HANDLER), case(cast), answer_type="not_responsible",
        withheld_reasons="该文件由区住建局制作（条例第十条）", responsible_agency="区住建局，电话010-88886666",
    )  # fmt: skip
    assert app.legal_basis == ["条例第三十六条第（五）项"]
    assert app.responsible_agency.startswith("区住建局")


def test_duplicates_are_found_and_the_repeat_decision_needs_the_earlier_case(cast):
    first = case(cast, description="2025年老旧小区改造项目的批复文件。")
    first = decide_partial(cast, first)
    first = sign_and_send(cast, first)
    other_person = case(cast, applicant=person(name="李四", id_number=OTHER_ID),
                        received=date(2026, 4, 7))  # fmt: skip
    second = case(cast, description="2025年 老旧小区改造项目的批复文件", received=date(2026, 4, 7))
    assert [d.pk for d in workflow.find_duplicates(second)] == [first.pk]
    assert workflow.find_duplicates(other_person) == []
    with pytest.raises(ValidationError, match="原申请"):
        workflow.record_decision(u(cast, Role.HANDLER), second, answer_type="repeated")
    with pytest.raises(ValidationError, match="同一申请人"):
        workflow.record_decision(
            u(cast, Role.HANDLER), other_person, answer_type="repeated", duplicate_of=first
        )
    second = workflow.record_decision(
        u(cast, Role.HANDLER), second, answer_type="repeated", duplicate_of=first
    )
    assert second.duplicate_of_id == first.pk
    assert second.legal_basis == ["条例第三十六条第（六）项"]


# ----- sign-off and delivery ----------------------------------------------------------------


def test_signoff_chain_roles_and_audit(cast, monkeypatch):
    issued = []
    monkeypatch.setattr(
        workflow,
        "_issue_reply_number",
        lambda app, user, day: issued.append(app.pk) or "向办复〔2026〕1号",
    )
    app = decide_partial(cast, case(cast))
    with pytest.raises(PermissionDenied):
        workflow.submit_reply(u(cast, Role.REVIEWER), app)
    app = workflow.submit_reply(u(cast, Role.HANDLER), app)
    assert app.reply_stage == ReplyStage.REVIEW
    with pytest.raises(ValidationError, match="退回后"):
        decide_partial(cast, app)
    with pytest.raises(PermissionDenied):
        workflow.review_reply(u(cast, Role.LEADER), app, approve=True)
    with pytest.raises(ValidationError, match="写明意见"):
        workflow.review_reply(u(cast, Role.REVIEWER), app, approve=False)
    app = workflow.review_reply(u(cast, Role.REVIEWER), app, approve=False, comment="理由不充分")
    assert app.reply_stage == ReplyStage.DRAFT
    app = decide_partial(cast, app)
    app = workflow.submit_reply(u(cast, Role.HANDLER), app)
    app = workflow.review_reply(u(cast, Role.REVIEWER), app, approve=True)
    assert app.reply_stage == ReplyStage.APPROVAL
    with pytest.raises(ValidationError, match="送达"):
        workflow.record_delivery(
            u(cast, Role.REGISTRAR), app, method="direct", served_on=date(2026, 3, 25)
        )
    app = workflow.sign_reply(u(cast, Role.LEADER), app, approve=True, on=date(2026, 3, 25))
    assert app.reply_stage == ReplyStage.SIGNED and app.decided_on == date(2026, 3, 25)
    assert issued == [app.pk]
    with pytest.raises(ValidationError, match="邮件号"):
        workflow.record_delivery(
            u(cast, Role.REGISTRAR), app, method="post", posted_on=date(2026, 3, 26)
        )
    app = workflow.record_delivery(
        u(cast, Role.REGISTRAR), app, method="post", posted_on=date(2026, 3, 26),
        tracking_number="XA123456789CN",
    )  # fmt: skip
    assert (app.status, app.reply_stage, app.closed_on) == (
        Status.CLOSED,
        ReplyStage.SENT,
        date(2026, 3, 26),
    )
    stages = list(SignOffStep.objects.filter(application=app).values_list("stage", "approved"))
    assert stages == [
        ("draft", True),
        ("review", False),
        ("draft", True),
        ("review", True),
        ("approval", True),
    ]
    actions = set(AuditEvent.objects.filter(target_id=str(app.pk)).values_list("action", flat=True))
    assert {"application.submit_reply", "application.review_reply", "application.sign_reply",
            "application.record_delivery"} <= actions  # fmt: skip


def test_chain_without_review_is_configurable_by_the_admin(cast, monkeypatch):
    monkeypatch.setattr(workflow, "_issue_reply_number", lambda app, user, day: None)
    with pytest.raises(PermissionDenied):
        workflow.set_signoff_chain(u(cast, Role.LEADER), cast.subordinate, ["approval"])
    assert workflow.set_signoff_chain(u(cast, Role.ADMIN), cast.subordinate, ["approval"]) == [
        "approval"
    ]
    app = workflow.submit_reply(u(cast, Role.HANDLER), decide_partial(cast, case(cast)))
    assert app.reply_stage == ReplyStage.APPROVAL
    assert workflow.signoff_chain(cast.district) == [
        "review",
        "approval",
    ]  # other agencies keep theirs


def test_sent_reply_is_immutable_and_only_superseded_by_a_recorded_correction(cast, monkeypatch):
    monkeypatch.setattr(workflow, "_issue_reply_number", lambda app, user, day: None)
    app = sign_and_send(cast, decide_partial(cast, case(cast)))
    with pytest.raises(ValidationError):
        decide_partial(cast, app)
    with pytest.raises(ValidationError):
        workflow.withdraw(u(cast, Role.REGISTRAR), app)
    with pytest.raises(PermissionDenied):
        workflow.correct_reply(
            u(cast, Role.HANDLER), app, reason="x", changes={"withheld_reasons": "y"}
        )
    fix = workflow.correct_reply(
        u(cast, Role.LEADER), app, reason="理由表述有误",
        changes={"withheld_reasons": "住户电话属于个人隐私（条例第十五条）。"},
    )  # fmt: skip
    assert fix.before["withheld_reasons"].startswith("住户姓名")
    app.refresh_from_db()
    assert app.withheld_reasons.startswith("住户电话")
    assert ReplyCorrection.objects.filter(application=app).count() == 1


def test_on_the_spot_answer_only_on_the_receipt_day(cast):
    today = timezone.localdate()
    app = case(cast, received=today)
    app = workflow.answer_on_the_spot(
        u(cast, Role.HANDLER), app, answer_type="already_public",
        provided_information="已在政府网站公开：http://example.gov.cn/x",
    )  # fmt: skip
    assert (app.status, app.on_the_spot, app.closed_on) == (Status.CLOSED, True, today)
    old = case(cast, received=RECEIVED)
    with pytest.raises(ValidationError, match="当日"):
        workflow.answer_on_the_spot(
            u(cast, Role.HANDLER), old, answer_type="already_public", provided_information="x"
        )
    assert Application.objects.get(pk=old.pk).answer_type == ""


def test_withdrawal_counts_as_other(cast):
    app = workflow.withdraw(
        u(cast, Role.REGISTRAR), case(cast), reason="申请人书面撤回", on=date(2026, 3, 4)
    )
    assert (app.status, app.answer_type, app.withdrawn_on) == (
        Status.CLOSED,
        "other",
        date(2026, 3, 4),
    )
    assert answer_row(AnswerType.OTHER, FormatVersion.V2021) == "3.6.3"
    assert answer_row(AnswerType.OTHER, FormatVersion.V2019) == "3.6"


def test_future_dates_and_dates_before_receipt_are_refused(cast):
    app = case(cast)
    with pytest.raises(ValidationError, match="晚于今天"):
        workflow.request_correction(u(cast, Role.HANDLER), app, items=["x"], on=date(2099, 1, 1))
    with pytest.raises(ValidationError, match="不能早于"):
        workflow.request_correction(u(cast, Role.HANDLER), app, items=["x"], on=date(2026, 3, 1))
    assert Application.objects.get(pk=app.pk).status == Status.OPEN


def test_locked_year_refuses_events_in_it(cast, monkeypatch):
    monkeypatch.setattr(workflow, "_issue_reply_number", lambda app, user, day: None)
    app = sign_and_send(cast, decide_partial(cast, case(cast, received=date(2025, 12, 1))),
                        post=date(2025, 12, 20))  # fmt: skip
    open_case = case(cast, received=date(2025, 12, 15), description="另一件未办结")
    with pytest.raises(PermissionDenied):
        workflow.lock_year(u(cast, Role.HANDLER), cast.subordinate, 2025)
    workflow.lock_year(u(cast, Role.LEADER), cast.subordinate, 2025)
    assert LockedYear.objects.filter(agency=cast.subordinate, year=2025).exists()
    with pytest.raises(ValidationError, match="已锁定"):
        workflow.lock_year(u(cast, Role.ADMIN), cast.subordinate, 2025)
    with pytest.raises(ValidationError, match="已锁定"):
        workflow.withdraw(u(cast, Role.REGISTRAR), open_case, on=date(2025, 12, 30))
    # in the new year the carried-over case goes on
    workflow.withdraw(u(cast, Role.REGISTRAR), open_case, on=date(2026, 1, 5))
    with pytest.raises(ValidationError, match="已锁定"):
        workflow.correct_reply(u(cast, Role.LEADER), app, reason="改类型",
                               changes={"answer_type": "disclosed", "provided_information": "全文"})  # fmt: skip
    assert Application.objects.get(pk=app.pk).answer_type == "partial"
    before = Application.objects.count()
    with pytest.raises(ValidationError, match="已锁定"):
        case(cast, received=date(2025, 12, 31), description="补登上年的申请")
    assert Application.objects.count() == before


def test_paper_application_to_refusal_of_process_information(cast):
    """A signed-for letter → 不予公开 (条例第十六条第二款，过程性信息) → post; counted in 3.3.6."""
    signed = date(2026, 5, 11)
    app = case(cast, channel="post_signed", signed_on=signed, received=signed,
               description="区政府关于街道改造的请示报告及讨论记录")  # fmt: skip
    assert app.received_on == signed
    assert app.effective_due == answer_deadline(signed, cal()).due
    app = workflow.record_decision(
        u(cast, Role.HANDLER), app, answer_type="withheld_process",
        legal_basis=["条例第三十六条第（三）项", "条例第十六条第二款"],
        withheld_reasons="所申请信息为请示报告和讨论记录，属于过程性信息，可以不予公开。",
    )  # fmt: skip
    app = sign_and_send(cast, app, post=date(2026, 5, 29))
    assert app.closed_on == date(2026, 5, 29) <= app.effective_due
    # the reply letter was numbered at sign-off (engineer B's xxgk.letters) and is fixed
    letter = app.letters.get(kind="reply")
    assert letter.number.endswith("〔2026〕1号") and letter.docx
    import io

    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(bytes(letter.docx))).paragraphs)
    assert "第十六条第二款" in text and "第三十六条第（三）项" in text
    assert "应当先申请行政复议" in text  # 行政复议法第二十三条: a refusal goes to 复议 first
    for version, row in ((FormatVersion.V2019, "3.3.6"), (FormatVersion.V2021, "3.3.6")):
        assert answer_row(app.answer, version) == row
    from xxgk.applications.counting import count_year, t3

    for version in FormatVersion:
        report = count_year(cast.subordinate, 2026, version)
        assert t3(report, "3.3.6", "natural_person") == 1
        assert t3(report, "3.7", "total") == 1


def test_decision_basis_follows_the_letters_citation_check(cast):
    """One rule for the decision and its letter (replies-and-ledger.md §1.4 (e))."""
    app = case(cast)
    with pytest.raises(ValidationError, match="不予公开的理由"):
        workflow.record_decision(
            u(cast, Role.HANDLER), app, answer_type="disclosed", provided_information="全文",
            legal_basis=["条例第三十六条第（二）项", "条例第十六条第二款"],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="第几项"):
        workflow.record_decision(
            u(cast, Role.HANDLER), app, answer_type="not_held", legal_basis=["条例第三十六条"]
        )
    # personal privacy without a consultation: 第三十六条第（三）项 + 第十五条 suffice
    app = workflow.record_decision(
        u(cast, Role.HANDLER), app, answer_type="withheld_third_party",
        legal_basis=["条例第三十六条第（三）项", "条例第十五条"], withheld_reasons="个人隐私",
    )  # fmt: skip
    assert app.legal_basis == ["条例第三十六条第（三）项", "条例第十五条"]


def test_correction_period_runs_from_the_applicants_receipt_of_the_notice(cast):
    app = workflow.request_correction(
        u(cast, Role.HANDLER), case(cast), items=["名称"], period_days=10, on=date(2026, 3, 3),
        received_on=date(2026, 3, 6),
    )  # fmt: skip
    assert app.correction_deadline == cal().add_workdays(date(2026, 3, 6), 10)
    with pytest.raises(ValidationError, match="告知日与今天之间"):
        workflow.request_correction(
            u(cast, Role.HANDLER), case(cast, description="另一件"), items=["名称"],
            on=date(2026, 3, 5), received_on=date(2026, 3, 4),
        )  # fmt: skip


def test_deferred_answer_for_mass_requests(cast):
    """条例第三十五条：a reasonable later date set by the 负责人 within the period."""
    app = case(cast)
    due = answer_deadline(RECEIVED, cal()).due
    with pytest.raises(PermissionDenied):
        workflow.defer_answer(
            u(cast, Role.HANDLER), app, until=date(2026, 6, 30), reason="量大", on=date(2026, 3, 10)
        )
    with pytest.raises(ValidationError, match="应晚于"):
        workflow.defer_answer(
            u(cast, Role.LEADER), app, until=due, reason="量大", on=date(2026, 3, 10)
        )
    with pytest.raises(ValidationError, match="答复期限内"):
        workflow.defer_answer(u(cast, Role.LEADER), app, until=date(2026, 6, 30), reason="量大",
                              on=date(2026, 5, 6))  # fmt: skip
    app = workflow.defer_answer(
        u(cast, Role.LEADER),
        app,
        until=date(2026, 6, 30),
        reason="一月内申请120件",
        on=date(2026, 3, 10),
    )
    assert app.effective_due == date(2026, 6, 30) and app.answer_due == due
    # a later extension or consultation cannot pull the date in front of it
    from xxgk.applications import clock

    clock.recompute_open_cases()
    assert Application.objects.get(pk=app.pk).effective_due == date(2026, 6, 30)
