"""Letters through their operations: draft, edit, check, 文号, immutability, templates."""

from __future__ import annotations

import io
import threading
from datetime import date

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from xxgk.accounts.roles import Role
from xxgk.audit.models import AuditEvent
from xxgk.letters import api as letters
from xxgk.letters.models import IssuedNumber, Letter, LetterIsFixed, LetterStatus
from xxgk.letters.remedy import STATUTORY_PRIOR_REVIEW
from xxgk.statute.taxonomies import AnswerType

pytestmark = pytest.mark.django_db

PROCESS = dict(
    answer_type="withheld_process",
    legal_basis=["条例第三十六条第（三）项", "条例第十六条第二款"],
    withheld_reasons="所申请的审批文件属于内部讨论记录和过程稿",
    decided_on=date(2026, 3, 20),
)


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_a_reply_reads_the_case_and_cites_its_articles(cast, make_case):
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    assert letter.status == LetterStatus.DRAFT
    assert letter.addressee == "张三"
    assert letter.title == "政府信息公开申请答复书"
    assert "2026年3月2日，本机关收到你（单位）提出的政府信息公开申请" in letter.body
    assert f"受理编号：{case.number}" in letter.body
    assert "内部讨论记录和过程稿" in letter.body
    assert "第三十六条第（三）项、第十六条第二款" in letter.body
    assert letter.articles == ["第三十六条第（三）项", "第十六条第二款"]
    assert letters.letter_warnings(letter) == []
    # the street office's reconsideration body is the district government (行政复议法第二十四条)
    assert "向测试区人民政府申请行政复议" in letter.remedy
    assert "应当先申请行政复议" in letter.remedy
    assert AuditEvent.objects.filter(action="letters.draft", target_id=str(letter.pk)).exists()


def test_a_reply_needs_a_decision(cast, make_case):
    case = make_case()
    with pytest.raises(ValidationError, match="请先作出答复决定"):
        letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    assert not Letter.objects.exists()


def test_without_legal_basis_the_reply_cites_what_its_type_requires(cast, make_case):
    case = make_case(answer_type="not_held")
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    assert letter.articles == ["第三十六条第（四）项"]
    assert "该政府信息不存在" in letter.body


def test_the_draft_keeps_edits_until_regenerated(cast, make_case):
    handler = cast.user("subordinate", Role.HANDLER)
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=handler)
    letters.update_letter(letter, actor=cast.user("subordinate", Role.REVIEWER), body="改过的正文")
    again = letters.draft_letter(case, "reply", actor=handler)
    assert again.pk == letter.pk and again.body == "改过的正文"
    case.refresh_from_db()
    fresh = letters.draft_letter(case, "reply", actor=handler, regenerate=True)
    assert fresh.pk == letter.pk and "内部讨论记录" in fresh.body


def test_a_draft_says_when_the_case_changed_since(cast, make_case):
    from xxgk.applications.models import Application

    handler = cast.user("subordinate", Role.HANDLER)
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=handler)
    assert letters.letter_notes(letter) == []
    letters.update_letter(letter, actor=handler, closing="特此函告。")  # an edit is no change
    assert letters.letter_notes(letter) == []
    Application.objects.filter(pk=case.pk).update(withheld_reasons="另一理由")
    letter.refresh_from_db()
    assert letters.letter_notes(letter) == [
        "生成草稿后案件信息已有变更，请核对文书内容，必要时重新生成。"
    ]
    case.refresh_from_db()
    fresh = letters.draft_letter(case, "reply", actor=handler, regenerate=True)
    assert letters.letter_notes(fresh) == [] and "另一理由" in fresh.body


def test_mismatching_articles_warn_and_block_the_number(cast, make_case):
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    letters.update_letter(
        letter,
        actor=cast.user("subordinate", Role.HANDLER),
        articles=["第三十六条第（三）项", "第十六条第一款"],
    )
    assert "第三十六条第（三）项、第十六条第一款的规定" in letter.body  # printed text follows
    warnings = letters.letter_warnings(letter)
    assert "所引第十六条第一款与不予公开的理由类型不符。" in warnings
    with pytest.raises(ValidationError, match="第十六条第一款"):
        letters.issue_number(letter, actor=cast.user("subordinate", Role.LEADER))
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT and letter.number == ""
    assert not IssuedNumber.objects.exists()


def test_a_body_that_does_not_print_the_listed_articles_warns(cast, make_case):
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    letters.update_letter(
        letter, actor=cast.user("subordinate", Role.HANDLER), body="经审查，决定不予公开。"
    )
    assert letters.letter_warnings(letter) == [
        "正文未按所列条款引用法律依据（应为：《中华人民共和国政府信息公开条例》"
        "第三十六条第（三）项、第十六条第二款）。"
    ]


def test_text_still_to_fill_blocks_the_number(cast, make_case):
    case = make_case(answer_type="disclosed")  # no provided_information
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    assert "尚有内容待填写：提供的信息或获取方式。" in letters.letter_warnings(letter)
    with pytest.raises(ValidationError):
        letters.issue_number(letter, actor=cast.user("subordinate", Role.LEADER))


def test_legacy_wording_typed_into_a_letter_blocks_the_number(cast, make_case):
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    letters.update_letter(
        letter,
        actor=cast.user("subordinate", Role.HANDLER),
        body=letter.body + "\n\n你也可以向上级主管部门或同级人民政府反映。",
    )
    assert any("上级主管部门或同级人民政府" in w for w in letters.letter_warnings(letter))
    with pytest.raises(ValidationError):
        letters.issue_number(letter, actor=cast.user("subordinate", Role.LEADER))


def test_issue_allocates_the_number_renders_and_fixes_the_letter(cast, make_case):
    leader = cast.user("subordinate", Role.LEADER)
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    letters.issue_number(letter, actor=leader, on=date(2026, 3, 20))
    assert letter.status == LetterStatus.ISSUED
    assert letter.number == "测试区向阳街道办事处依复〔2026〕1号"
    assert letter.dated == date(2026, 3, 20)
    text = _docx_text(letters.render_docx(letter))
    assert letter.number in text and "2026年3月20日" in text
    assert "应当先申请行政复议" in text
    assert letters.render_pdf(letter)[:5] == b"%PDF-"
    with pytest.raises(ValidationError, match="不能修改"):
        letters.update_letter(letter, actor=leader, body="x")
    letter.body = "x"
    with pytest.raises(LetterIsFixed):
        letter.save()
    with pytest.raises(ValidationError, match="不能重复编号"):
        letters.issue_number(letter, actor=leader)
    event = AuditEvent.objects.get(action="letters.issue")
    assert event.details["number"] == "测试区向阳街道办事处依复〔2026〕1号"


def test_the_reply_is_signed_by_the_leader_only(cast, make_case):
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    for role in (Role.HANDLER, Role.REVIEWER, Role.SUPERVISOR):
        key = "district" if role == Role.SUPERVISOR else "subordinate"
        with pytest.raises(PermissionDenied):
            letters.issue_number(letter, actor=cast.user(key, role))
    with pytest.raises(PermissionDenied):
        letters.issue_number(letter, actor=cast.user("unrelated", Role.LEADER))


def test_numbers_count_per_kind_and_year_and_are_never_reused(cast, make_case):
    leader = cast.user("subordinate", Role.LEADER)
    handler = cast.user("subordinate", Role.HANDLER)
    issued = []
    for on in (date(2026, 3, 20), date(2026, 3, 21)):
        case = make_case(**PROCESS)
        letter = letters.draft_letter(case, "reply", actor=handler)
        issued.append(letters.issue_number(letter, actor=leader, on=on))
    assert [x.number for x in issued] == [
        "测试区向阳街道办事处依复〔2026〕1号",
        "测试区向阳街道办事处依复〔2026〕2号",
    ]
    letters.void_letter(issued[1], actor=leader, reason="送达前发现笔误")
    assert IssuedNumber.objects.get(number="测试区向阳街道办事处依复〔2026〕2号").voided
    case = make_case(
        correction_items=["所需信息的名称或文号"], correction_deadline=date(2026, 3, 30)
    )
    notice = letters.draft_letter(case, "correction_notice", actor=handler)
    letters.issue_number(notice, actor=handler, on=date(2026, 3, 22))
    assert notice.number == "测试区向阳街道办事处补〔2026〕1号"  # its own series
    case = make_case(**PROCESS)
    again = letters.issue_number(
        letters.draft_letter(case, "reply", actor=handler), actor=leader, on=date(2026, 3, 23)
    )
    assert again.number == "测试区向阳街道办事处依复〔2026〕3号"  # 2 stays voided, never reused
    case = make_case(**PROCESS)
    next_year = letters.issue_number(
        letters.draft_letter(case, "reply", actor=handler), actor=leader, on=date(2027, 1, 4)
    )
    assert next_year.number == "测试区向阳街道办事处依复〔2027〕1号"  # yearly counter


def test_the_agency_pattern_is_configurable(cast, make_case):
    admin = cast.user("subordinate", Role.ADMIN)
    with pytest.raises(ValidationError, match="序号"):
        letters.update_settings(admin, cast.subordinate, {"number_pattern": "{code}{type}"})
    with pytest.raises(ValidationError, match="只能使用"):
        letters.update_settings(
            admin, cast.subordinate, {"number_pattern": "{code}〔{yyyy}〕{n}{__class__}"}
        )
    with pytest.raises(PermissionDenied):
        letters.update_settings(cast.user("subordinate", Role.LEADER), cast.subordinate, {"pad": 3})
    letters.update_settings(
        admin,
        cast.subordinate,
        {
            "agency_code": "向阳街",
            "number_pattern": "{code}{type}〔{yyyy}〕第{n}号",
            "pad": 3,
            "counter_scope": "agency",
        },
    )
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    letters.issue_number(letter, actor=cast.user("subordinate", Role.LEADER), on=date(2026, 4, 1))
    assert letter.number == "向阳街依复〔2026〕第001号"


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises all writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_offs_never_share_a_number(cast, make_case):
    """PostgreSQL: eight 负责人 sessions issue at once; the counter row lock gives 1…8."""
    from django.db import connections

    handler = cast.user("subordinate", Role.HANDLER)
    leader = cast.user("subordinate", Role.LEADER)
    drafts = [letters.draft_letter(make_case(**PROCESS), "reply", actor=handler) for _ in range(8)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(drafts))

    def sign(letter):
        try:
            barrier.wait()
            letters.issue_number(letter, actor=leader, on=date(2026, 5, 6))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Letter.objects.values_list("number", flat=True))
    assert numbers == sorted(f"测试区向阳街道办事处依复〔2026〕{i}号" for i in range(1, 9))


def test_agency_templates_are_used_and_safe(cast, make_case):
    admin = cast.user("subordinate", Role.ADMIN)
    with pytest.raises(ValidationError, match="未知的字段"):
        letters.save_template(
            admin,
            cast.subordinate,
            "reply",
            "not_held",
            title="告知书",
            body="{{申请人.__class__}}",
        )
    with pytest.raises(ValidationError, match="已废止"):
        letters.save_template(
            admin,
            cast.subordinate,
            "reply",
            "not_held",
            title="告知书",
            body="请在3个月内向人民法院起诉。",
        )
    with pytest.raises(PermissionDenied):
        letters.save_template(
            cast.user("subordinate", Role.HANDLER),
            cast.subordinate,
            "reply",
            "not_held",
            title="告知书",
            body="{{申请人}}",
        )
    letters.save_template(
        admin,
        cast.subordinate,
        "reply",
        "not_held",
        title="政府信息不存在告知书",
        body="{{收到日期}}收悉你关于“{{申请内容}}”的申请。\n\n经检索，该政府信息不存在。\n\n根据{{法律依据}}的规定告知。",
    )
    case = make_case(answer_type="not_held", name="{{机关名称}}")
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    assert letter.title == "政府信息不存在告知书"
    assert letter.body.startswith("2026年3月2日收悉")
    assert letter.addressee == "{{机关名称}}"  # applicant text printed verbatim
    assert "向测试区人民政府申请行政复议" in letter.remedy  # clause never from the template
    # another agency still gets the built-in wording
    other = make_case("district", answer_type="not_held")
    assert (
        letters.draft_letter(other, "reply", actor=cast.user("district", Role.HANDLER)).title
        == "政府信息公开申请答复书"
    )
    assert letters.reset_template(admin, cast.subordinate, "reply", "not_held")


def test_notices_carry_no_remedy_clause(cast, make_case):
    """S-132 art. 3: 补正、延期 notices are not separately reviewable (Q3 default)."""
    handler = cast.user("subordinate", Role.HANDLER)
    case = make_case(
        correction_items=["申请人身份证明", "所需信息的名称、文号或者特征性描述"],
        correction_requested_on=date(2026, 3, 4),
        correction_deadline=date(2026, 3, 25),
        extension_days=20,
        extension_reason="需要调取档案",
        answer_due=date(2026, 3, 30),
        effective_due=date(2026, 4, 28),
    )
    notice = letters.draft_letter(case, "correction_notice", actor=handler)
    assert notice.remedy == ""
    assert "1.申请人身份证明\n2.所需信息的名称、文号或者特征性描述" in notice.body
    assert "请于2026年3月25日前" in notice.body
    assert letters.letter_warnings(notice) == []
    ext = letters.draft_letter(case, "extension_notice", actor=handler)
    assert "延长20个工作日" in ext.body and "2026年4月28日前" in ext.body
    assert "2026年3月30日前作出答复" in ext.body
    assert ext.remedy == "" and letters.letter_warnings(ext, on=date(2026, 3, 20)) == []
    with pytest.raises(PermissionDenied):  # 延期 is approved by the 负责人
        letters.issue_number(ext, actor=handler)


def test_an_extension_notice_after_the_original_due_date_is_warned_and_not_issued(cast, make_case):
    """条例第三十三条第二款: the extension is notified within the original answer period."""
    handler, leader = cast.user("subordinate", Role.HANDLER), cast.user("subordinate", Role.LEADER)
    case = make_case(
        extension_days=20,
        extension_reason="需要调取档案",
        answer_due=date(2026, 3, 30),
        effective_due=date(2026, 4, 28),
    )
    ext = letters.draft_letter(case, "extension_notice", actor=handler)
    late = letters.letter_warnings(ext, on=date(2026, 3, 31))
    assert any("原答复期限（2026年3月30日）" in w for w in late)
    assert letters.letter_warnings(ext, on=date(2026, 3, 30)) == []
    with pytest.raises(ValidationError, match="原答复期限"):
        letters.issue_notice(ext, actor=leader, on=date(2026, 3, 31))
    ext.refresh_from_db()
    assert ext.status == LetterStatus.DRAFT and not ext.number
    with pytest.raises(PermissionDenied):
        letters.issue_notice(ext, actor=handler, on=date(2026, 3, 20))
    issued = letters.issue_notice(ext, actor=leader, on=date(2026, 3, 20))
    assert issued.status == LetterStatus.ISSUED and issued.dated == date(2026, 3, 20)
    assert AuditEvent.objects.filter(action="letters.issue", target_id=str(ext.pk)).exists()


def test_issue_notice_refuses_replies_and_bad_dates(cast, make_case):
    leader = cast.user("subordinate", Role.LEADER)
    reply = letters.draft_letter(make_case(**PROCESS), "reply", actor=leader)
    with pytest.raises(ValidationError, match="签批"):
        letters.issue_notice(reply, actor=leader, on=date(2026, 3, 20))
    case = make_case(correction_items=["身份证明"], correction_deadline=date(2026, 3, 25))
    notice = letters.draft_letter(case, "correction_notice", actor=leader)
    with pytest.raises(ValidationError, match="早于收到申请"):
        letters.issue_notice(notice, actor=leader, on=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="晚于今天"):
        letters.issue_notice(notice, actor=leader, on=date(2100, 1, 1))


def test_procedural_letters_need_their_facts(cast, make_case):
    handler = cast.user("subordinate", Role.HANDLER)
    case = make_case()
    for kind, message in (
        ("extension_notice", "未经批准延期"),
        ("correction_notice", "补正的事项"),
        ("fee_notice", "信息处理费"),
        ("consultation_letter", "征求意见"),
    ):
        with pytest.raises(ValidationError, match=message):
            letters.draft_letter(case, kind, actor=handler)


def test_consultation_and_fee_letters(cast, make_case):
    from xxgk.applications.models import Consultation

    handler = cast.user("subordinate", Role.HANDLER)
    case = make_case(
        fee_basis="pages",
        fee_units=150,
        fee_amount=1700,
        fee_payment_deadline=date(2026, 4, 1),
    )
    Consultation.objects.create(
        agency=case.agency,
        application=case,
        kind="third_party",
        party_name="某建筑有限公司",
        matter="改造项目施工合同（可能涉及商业秘密）",
        sent_on=date(2026, 3, 5),
        party_received_on=date(2026, 3, 6),
        deadline=date(2026, 3, 27),
    )
    letter = letters.draft_letter(case, "consultation_letter", actor=handler)
    assert letter.addressee == "某建筑有限公司"
    assert "张三" not in letter.body  # Q6 default: the applicant is not named to the third party
    assert "2026年3月27日前" in letter.body and "第三十二条" in letter.body
    assert letters.letter_warnings(letter) == []
    fee = letters.draft_letter(case, "fee_notice", actor=handler)
    assert "按量计收" in fee.body and "150页" in fee.body and "1700元" in fee.body
    assert "2026年4月1日前" in fee.body
    assert letters.letter_warnings(fee) == []


def test_a_repeated_application_names_the_earlier_reply(cast, make_case):
    """条例第三十六条第（六）项: the reply identifies the earlier answer (number and date)."""
    handler, leader = cast.user("subordinate", Role.HANDLER), cast.user("subordinate", Role.LEADER)
    earlier = make_case(answer_type="not_held")
    first = letters.issue_number(
        letters.draft_letter(earlier, "reply", actor=handler), actor=leader, on=date(2026, 3, 20)
    )
    case = make_case(answer_type="repeated", duplicate_of=earlier)
    letter = letters.draft_letter(case, "reply", actor=handler)
    assert f"（受理编号{earlier.number}，答复文号{first.number}，2026年3月20日）" in letter.body
    assert letters.letter_warnings(letter) == []


def test_remedy_clause_by_agency_and_date(cast):
    district = cast.district  # a government without a parent in the cast
    assert "向上一级人民政府申请行政复议" in letters.remedy_clause(
        district, "disclosed", date(2026, 3, 1)
    )
    text = letters.remedy_clause(cast.subordinate, "withheld_process", date(2023, 12, 1))
    assert "应当先申请行政复议" not in text and "六个月" in text
    letters.update_settings(
        cast.user("subordinate", Role.ADMIN),
        cast.subordinate,
        {"reconsideration_body": "测试区人民政府（区司法局）"},
    )
    text = letters.remedy_clause(cast.subordinate, "withheld_process", date(2026, 3, 1))
    assert "测试区人民政府（区司法局）" in text and "应当先申请行政复议" in text


def test_the_statutory_prior_review_set_cannot_be_switched_off(cast):
    """行政复议法第二十三条第一款第（四）项: 不予公开 and 部分公开 go to 行政复议 first, whatever
    the settings; an agency may only add types."""
    from xxgk.letters.models import LetterSettings

    admin = cast.user("subordinate", Role.ADMIN)
    for types in ([], ["withheld_process"], ["disclosed"]):
        with pytest.raises(ValidationError, match="第二十三条第一款第（四）项"):
            letters.update_settings(admin, cast.subordinate, {"prior_review_types": types})
    extra = sorted(STATUTORY_PRIOR_REVIEW | {"not_held"})
    letters.update_settings(admin, cast.subordinate, {"prior_review_types": extra})
    assert "应当先申请行政复议" in letters.remedy_clause(
        cast.subordinate, "not_held", date(2026, 11, 20)
    )
    # a settings row written around the operation (old data) still cannot switch it off
    LetterSettings.objects.filter(agency=cast.subordinate).update(prior_review_types=[])
    for answer in STATUTORY_PRIOR_REVIEW:
        text = letters.remedy_clause(cast.subordinate, answer, date(2026, 11, 20))
        assert "应当先申请行政复议" in text and "六个月" not in text, answer
    assert "六个月" in letters.remedy_clause(cast.subordinate, "disclosed", date(2026, 11, 20))
    assert "六个月" in letters.remedy_clause(
        cast.subordinate, "withheld_process", date(2023, 12, 1)
    )


@pytest.mark.parametrize("answer", [a.value for a in AnswerType])
def test_every_answer_type_drafts_a_clean_reply_with_its_articles_and_clause(
    cast, make_case, answer
):
    """With the case's facts filled in, the built-in reply of every answer type has no
    warning: it prints the articles its type requires and the clause that fits it."""
    from xxgk.letters.citations import format_basis, required_articles

    basis = [str(a) for a in required_articles(AnswerType(answer))]
    if answer == "partial":
        basis.append("第十五条")
    earlier = make_case(name="李四")
    case = make_case(
        answer_type=answer,
        legal_basis=basis,
        provided_information="《2025年改造项目批复》（见附件）",
        withheld_reasons="该部分属于第三方商业秘密",
        responsible_agency="测试区住房和城乡建设局，电话010-3",
        duplicate_of=earlier,
        correction_requested_on=date(2026, 3, 4),
    )
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    assert letters.letter_warnings(letter) == []
    text = _docx_text(letters.render_docx(letter))
    if basis:
        assert format_basis(basis) in text
    assert "申请行政复议" in text
    prior = answer == "partial" or answer.startswith("withheld_")
    assert ("应当先申请行政复议" in text) == prior
    assert ("六个月内" in text) == (not prior)


def test_an_agency_continues_its_paper_series(cast, make_case):
    """Numbers used before xxgk: the administrator moves the counter forward, never back."""
    admin = cast.user("subordinate", Role.ADMIN)
    with pytest.raises(PermissionDenied):
        letters.advance_counter(
            cast.user("subordinate", Role.LEADER), cast.subordinate, kind="reply", year=2026, last=5
        )
    letters.advance_counter(admin, cast.subordinate, kind="reply", year=2026, last=41)
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    letters.issue_number(letter, actor=cast.user("subordinate", Role.LEADER), on=date(2026, 6, 1))
    assert letter.number == "测试区向阳街道办事处依复〔2026〕42号"
    with pytest.raises(ValidationError, match="只能前进"):
        letters.advance_counter(admin, cast.subordinate, kind="reply", year=2026, last=10)
    assert AuditEvent.objects.filter(action="letters.counter_advance").count() == 1


def test_legacy_variants_and_bad_settings_are_refused_at_save(cast):
    """The template and the settings are checked when saved, with Chinese messages; nothing
    is stored."""
    from xxgk.letters.models import LetterSettings, LetterTemplate

    admin = cast.user("subordinate", Role.ADMIN)
    with pytest.raises(ValidationError, match="20个工作日"):
        letters.save_template(
            admin, cast.subordinate, "reply", "not_held",
            title="答复书", body="{{收到日期}}收到申请，请于15个工作日内答复。",
        )  # fmt: skip
    assert not LetterTemplate.objects.filter(agency=cast.subordinate).exists()
    before = letters.settings_for(cast.subordinate).reconsideration_body
    for body in ("上级主管部门或同级人民政府", "上一级主管部门或者本级人民政府"):
        with pytest.raises(ValidationError, match="第二十四条") as exc:
            letters.update_settings(admin, cast.subordinate, {"reconsideration_body": body})
        assert "reconsideration_body" in exc.value.message_dict
    assert LetterSettings.objects.get(agency=cast.subordinate).reconsideration_body == before
    for pad in ("abc", -1, 7, None, True, "1.5"):
        with pytest.raises(ValidationError, match="序号位数") as exc:
            letters.update_settings(admin, cast.subordinate, {"pad": pad})
        assert "pad" in exc.value.message_dict
    assert letters.update_settings(admin, cast.subordinate, {"pad": "3"}).pad == 3
    assert LetterSettings.objects.get(agency=cast.subordinate).pad == 3
