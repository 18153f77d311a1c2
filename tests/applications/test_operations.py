"""Named operations: registration from every channel, confirmation, the Art. 29 check,
the applicant register, assignment and transfer, personal data, recomputation."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.applications.conftest import EXE, PDF, VALID_ID, organisation, person
from xxgk.accounts.roles import Role
from xxgk.applications import clock, operations
from xxgk.applications.models import Applicant, Application, Attachment, Status
from xxgk.audit.models import AuditEvent
from xxgk.statute.calendar import load_calendar
from xxgk.statute.periods import answer_deadline, correction_notice_deadline

pytestmark = pytest.mark.django_db


def registrar(cast, key="subordinate"):
    return cast.user(key, Role.REGISTRAR)


def register(cast, **kw):
    kw.setdefault("channel", "in_person")
    kw.setdefault("applicant", person())
    kw.setdefault("description", "2024年本街道老旧小区改造项目的批复文件")
    kw.setdefault("medium", "paper")
    kw.setdefault("delivery", "post")
    return operations.register_application(registrar(cast), cast.subordinate, **kw)


def statute_due(received: date) -> date:
    return answer_deadline(received, load_calendar()).due


def test_signed_for_registered_letter_is_received_on_the_signing_date(cast):
    """条例第三十一条第（二）项：以行政机关签收之日为收到申请之日."""
    signed = date(2026, 11, 2)
    case = register(cast, channel="post_signed", signed_on=signed, arrived_on=signed)
    assert case.status == Status.OPEN
    assert case.received_on == signed
    assert case.answer_due == statute_due(signed)
    assert case.correction_notice_due == correction_notice_deadline(signed, load_calendar()).due
    assert case.effective_due == case.answer_due
    assert AuditEvent.objects.filter(action="application.register", target_id=str(case.pk)).exists()


def test_letter_registered_late_is_submitted_no_later_than_it_was_received(cast):
    """A letter signed for on 11-02 and registered later keeps 申请日期 ≤ 收到申请之日."""
    signed = date(2026, 11, 2)
    case = register(cast, channel="post_signed", signed_on=signed, arrived_on=signed)
    assert timezone.localtime(case.submitted_at).date() == signed
    assert timezone.localtime(case.submitted_at).date() <= case.received_on


def test_signed_for_letter_without_signing_date_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        register(cast, channel="post_signed")
    assert "签收日期" in str(exc.value)
    assert not Application.objects.exists()


def test_in_person_is_received_on_the_day_submitted(cast):
    day = date(2026, 11, 3)
    case = register(cast, submitted_on=day)
    assert case.received_on == day
    assert case.answer_due == statute_due(day)


def test_oral_application_needs_the_staff_record(cast):
    """条例第二十九条：口头提出的，由工作机构代为填写."""
    with pytest.raises(ValidationError):
        register(cast, channel="oral", description="")
    case = register(cast, channel="oral", description="", oral_record="申请人口述：要2023年预算")
    assert case.oral_record and case.description == "申请人口述：要2023年预算"
    assert case.received_on == timezone.localdate()


@pytest.mark.parametrize("channel", ["post_ordinary", "fax", "email", "online"])
def test_confirmation_channels_wait_and_then_start_on_the_confirmation_date(cast, channel):
    """条例第三十一条：平常信函、传真、互联网渠道以确认之日为收到申请之日."""
    arrived = date(2026, 11, 2)
    case = register(cast, channel=channel, arrived_on=arrived)
    assert case.status == Status.PENDING and case.received_on is None and case.answer_due is None
    confirmed = date(2026, 11, 4)
    case = operations.confirm_receipt(registrar(cast), case, confirmed_on=confirmed, method="电话")
    assert case.status == Status.OPEN
    assert case.received_on == confirmed
    assert case.answer_due == statute_due(confirmed)
    assert case.confirmed_by == registrar(cast)
    event = AuditEvent.objects.get(action="application.confirm_receipt")
    assert event.details["confirmed_on"] == "2026-11-04"


def test_confirmation_cannot_precede_arrival_or_repeat(cast):
    case = register(cast, channel="fax", arrived_on=date(2026, 11, 5))
    with pytest.raises(ValidationError):
        operations.confirm_receipt(
            registrar(cast), case, confirmed_on=date(2026, 11, 4), method="电话"
        )
    case = operations.confirm_receipt(
        registrar(cast), case, confirmed_on=date(2026, 11, 5), method="电话"
    )
    with pytest.raises(ValidationError):
        operations.confirm_receipt(
            registrar(cast), case, confirmed_on=date(2026, 11, 6), method="电话"
        )


def test_future_dates_are_refused(cast):
    with pytest.raises(ValidationError):
        register(cast, channel="post_signed", signed_on=timezone.localdate() + timedelta(days=1))
    assert not Application.objects.exists()


def test_content_check_suggests_a_correction(cast):
    """条例第二十九条 items missing → 补正 suggested (条例第三十条)."""
    case = register(
        cast,
        applicant=person(id_number="", phone="", email="", address=""),
        description="文件",
        medium="",
        delivery="",
    )
    joined = "；".join(case.missing_items)
    assert "身份证明" in joined and "联系方式" in joined
    assert "特征性描述" in joined and "形式要求" in joined
    complete = register(cast)
    assert complete.missing_items == []


def test_channel_not_announced_is_refused(cast):
    cast.subordinate.channels = []
    cast.subordinate.save()
    with pytest.raises(ValidationError) as exc:
        register(cast, channel="fax")
    assert "未公布" in str(exc.value)
    # 当面 and 邮寄 can never be refused (国办公开办函〔2017〕19号)
    assert register(cast, channel="in_person").pk


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.LEADER, Role.ADMIN])
def test_only_registrars_and_handlers_register(cast, role):
    with pytest.raises(PermissionDenied):
        operations.register_application(
            cast.user("subordinate", role),
            cast.subordinate,
            channel="in_person",
            applicant=person(),
            description="某文件",
        )


def test_supervisor_cannot_register_at_a_subordinate(cast):
    with pytest.raises(PermissionDenied):
        operations.register_application(
            cast.user("district", Role.SUPERVISOR),
            cast.subordinate,
            channel="in_person",
            applicant=person(),
            description="某文件",
        )


def test_repeat_applicant_is_recognised_by_a_keyed_hash(cast):
    first = register(cast)
    second = register(cast, applicant=person(id_number=VALID_ID.lower(), phone="13900139000"))
    assert first.applicant_id == second.applicant_id
    applicant = Applicant.objects.get()
    assert applicant.phone == "13800138000"  # the register is not rewritten by a new case
    assert second.applicant.phone == "13900139000"  # the case keeps what it was given
    assert VALID_ID not in applicant.id_key and len(applicant.id_key) == 64
    events = AuditEvent.objects.filter(action="application.register").order_by("pk")
    assert [e.details["repeat_applicant"] for e in events] == [False, True]
    # the register is per agency: the same person at another agency is another entry
    other = operations.register_application(
        cast.user("unrelated", Role.REGISTRAR),
        cast.unrelated,
        channel="in_person",
        applicant=person(),
        description="某文件",
    )
    assert other.applicant_id != first.applicant_id


def test_organisation_needs_a_credit_code(cast):
    case = register(cast, applicant=organisation())
    assert case.applicant.is_organisation and case.applicant.masked_name == "测试科技有限公司"
    with pytest.raises(ValidationError) as exc:
        register(cast, applicant=organisation(id_type="resident_id", id_number=VALID_ID))
    assert "统一社会信用代码" in str(exc.value)


def test_scanned_attachments_are_stored_and_bad_ones_refused(cast, settings):
    case = register(
        cast,
        uploads=[operations.Upload("信.pdf", io.BytesIO(PDF), len(PDF), "letter")],
    )
    row = Attachment.objects.get()
    assert row.content_type == "application/pdf" and row.size == len(PDF)
    assert (settings.MEDIA_ROOT / row.file.name).read_bytes() == PDF
    with pytest.raises(ValidationError):
        operations.add_attachments(
            registrar(cast), case, [operations.Upload("x.pdf", io.BytesIO(EXE), len(EXE), "scan")]
        )
    assert Attachment.objects.count() == 1
    files = list((settings.MEDIA_ROOT / "applications").rglob("*.*"))
    assert len(files) == 1


def test_a_failing_registration_leaves_no_file_behind(cast, settings, monkeypatch):
    """All or nothing: the audit write fails after the file was written → no row, no file."""

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(operations.audit, "record", boom)
    with pytest.raises(RuntimeError):
        register(cast, uploads=[operations.Upload("a.pdf", io.BytesIO(PDF), len(PDF), "scan")])
    assert not Application.objects.exists() and not Applicant.objects.exists()
    assert not list((settings.MEDIA_ROOT / "applications").rglob("*.*"))


def test_assign_and_transfer(cast):
    from xxgk.accounts.models import Membership, User

    case = register(cast)
    handler = cast.user("subordinate", Role.HANDLER)
    second = User.objects.create(username="second-handler", full_name="第二承办人")
    Membership.objects.create(user=second, agency=cast.subordinate, role=Role.HANDLER)
    # a handler cannot take a case that is not theirs
    with pytest.raises(PermissionDenied):
        operations.assign_handler(handler, case, handler)
    case = operations.assign_handler(cast.user("subordinate", Role.LEADER), case, handler)
    assert case.handler == handler
    # the current handler transfers it within the agency
    case = operations.assign_handler(handler, case, second, note="工作调整")
    assert case.handler == second
    # never to someone outside the agency
    with pytest.raises(ValidationError):
        operations.assign_handler(
            cast.user("subordinate", Role.LEADER), case, cast.user("unrelated", Role.HANDLER)
        )
    actions = list(
        AuditEvent.objects.filter(action__startswith="application.").values_list(
            "action", flat=True
        )
    )
    assert "application.assign" in actions and "application.transfer" in actions


def test_personal_data_view_is_audited_and_limited_to_the_agency_staff(cast):
    case = register(cast)
    user = cast.user("subordinate", Role.REVIEWER)
    operations.view_personal_data(user, case.applicant)
    event = AuditEvent.objects.get(action="applicant.view_personal_data")
    assert event.actor == user
    assert VALID_ID not in str(event.details) and "13800138000" not in str(event.details)
    with pytest.raises(PermissionDenied):
        operations.view_personal_data(cast.user("district", Role.SUPERVISOR), case.applicant)


def test_status_lookup_needs_the_right_code(cast):
    token = operations.new_submission_token()
    result = operations.submit_online(
        cast.subordinate,
        token=token,
        applicant=person(),
        description="某年度预算",
        medium="electronic",
        delivery="email",
    )
    number = result.application.number
    assert operations.lookup_status(number, result.query_code) == result.application
    assert operations.lookup_status(number, result.query_code.lower()) == result.application
    assert operations.lookup_status(number, "WRONGCODE1") is None
    assert result.application.query_code_hash != result.query_code
    # staff-registered cases have no query code: never found by an empty one
    staff_case = register(cast)
    assert operations.lookup_status(staff_case.number, "") is None


def test_online_submission_is_idempotent_on_its_token(cast):
    token = operations.new_submission_token()
    kw = {
        "token": token,
        "applicant": person(),
        "description": "某年度预算",
        "medium": "electronic",
        "delivery": "email",
        "uploads": [operations.Upload("id.pdf", io.BytesIO(PDF), len(PDF), "id_proof")],
    }
    first = operations.submit_online(cast.subordinate, **kw)
    second = operations.submit_online(cast.subordinate, **kw)
    assert first.created and not second.created
    assert first.application.pk == second.application.pk
    assert first.query_code == second.query_code
    assert Application.objects.count() == 1 and Attachment.objects.count() == 1


def test_calendar_change_recomputes_every_open_case(cast, monkeypatch, tmp_path):
    """A corrected 放假安排 (one more holiday inside the span) moves the answer due date."""
    from xxgk.statute.calendar import YearSchedule, package_schedules, save_schedule

    monkeypatch.setenv("XXGK_DATA_DIR", str(tmp_path))
    clock.reset_cache()
    try:
        signed = date(2026, 11, 2)
        case = register(cast, channel="post_signed", signed_on=signed)
        closed = register(cast, channel="post_signed", signed_on=signed)
        Application.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
        assert clock.ensure_clocks_current() is not None  # first run records the fingerprint
        assert clock.ensure_clocks_current() is None  # unchanged calendar: nothing to do
        before = Application.objects.get(pk=case.pk).answer_due

        base = package_schedules()[2026]
        extra = dict(base.holidays)
        extra[date(2026, 11, 10)] = "测试假日"
        save_schedule(YearSchedule(2026, extra, dict(base.workdays), "test"), tmp_path)

        assert clock.ensure_clocks_current() == 1
        after = Application.objects.get(pk=case.pk)
        assert after.answer_due == answer_deadline(signed, load_calendar(tmp_path)).due
        assert after.answer_due > before
        assert after.calendar_fingerprint == clock.calendars().fingerprint
        # closed cases keep the dates they were handled with
        assert Application.objects.get(pk=closed.pk).answer_due == before
    finally:
        clock.reset_cache()


def test_the_nth_application_of_the_month_feeds_the_fee_rate(cast, client):
    """国办函〔2020〕109号第四条：the 11th application of one applicant in a month → 100元/件."""
    from django.urls import reverse

    cases = [register(cast) for _ in range(11)]
    assert [operations.nth_in_month(c) for c in cases] == list(range(1, 12))
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    body = client.get(
        reverse("applications:personal_data", args=[cast.subordinate.pk, cases[-1].pk])
    ).content.decode()
    assert "第11件申请" in body and "100元/件" in body


def test_a_concurrent_double_submit_loses_on_the_unique_token(cast, monkeypatch, settings):
    """The race: both requests saw no stored case; the second insert hits the unique
    constraint, is rolled back whole (applicant refresh, files) and answers with the first."""
    token = operations.new_submission_token()
    kw = {
        "token": token,
        "applicant": person(),
        "description": "某年度预算",
        "medium": "electronic",
        "delivery": "email",
    }
    first = operations.submit_online(cast.subordinate, **kw)
    monkeypatch.setattr(operations, "_stored_for_token", lambda t: None)
    upload = operations.Upload("id.pdf", io.BytesIO(PDF), len(PDF), "id_proof")
    second = operations.submit_online(cast.subordinate, **kw, uploads=[upload])
    assert not second.created and second.application.pk == first.application.pk
    assert second.query_code == first.query_code
    assert Application.objects.count() == 1 and Attachment.objects.count() == 0
    assert not list((settings.MEDIA_ROOT / "applications").rglob("*.*"))


def test_a_public_submission_never_rewrites_the_register_or_earlier_cases(cast):
    """Anyone can type a known ID number into the public form: the details given there stay
    on that case; the register and the earlier case (its letters, ledger, counting) keep
    theirs."""
    from xxgk.applications.counting import tally_table3
    from xxgk.statute.outcomes import FormatVersion

    first = register(cast, applicant=organisation())
    result = operations.submit_online(
        cast.subordinate,
        token=operations.new_submission_token(),
        applicant=organisation(
            kind="research",
            name="冒名公司",
            phone="13900139000",
            address="别处9号",
            legal_representative="赵六",
            contact_name="孙七",
        ),
        description="某年度预算",
        medium="electronic",
        delivery="email",
    )
    second = result.application
    assert second.applicant_id == first.applicant_id
    entry = Applicant.objects.get()
    assert (entry.name, entry.phone, entry.address, entry.kind) == (
        "测试科技有限公司",
        "010-12345678",
        "测试区二号路3号",
        "business",
    )
    first = Application.objects.get(pk=first.pk)
    second = Application.objects.get(pk=second.pk)
    # what letters (case.applicant.name) and the ledger (.name/.masked_name/.kind) read
    assert (first.applicant.name, first.applicant.address) == (
        "测试科技有限公司",
        "测试区二号路3号",
    )
    assert (second.applicant.name, second.applicant.address) == ("冒名公司", "别处9号")
    assert second.applicant.kind == "research" and first.applicant.kind == "business"
    assert second.applicant.id_number == entry.id_number  # identity is the register's
    # table 三 counts each case under the kind given on it
    operations.confirm_receipt(
        registrar(cast), second, confirmed_on=timezone.localdate(), method="电话"
    )
    counts, _ = tally_table3(cast.subordinate, timezone.localdate().year, FormatVersion.V2021)
    kinds = {k for (row, k), n in counts.items() if n}
    assert {"business", "research"} <= kinds
    # the case's view is not the register: it cannot be saved over it
    with pytest.raises(RuntimeError):
        second.applicant.save()


def test_staff_update_the_register_explicitly_and_it_is_audited(cast):
    first = register(cast)
    second = register(cast, applicant=person(phone="13900139000", address="新地址5号"))
    with pytest.raises(PermissionDenied):
        operations.update_register(cast.user("subordinate", Role.REVIEWER), second)
    changed = operations.update_register(registrar(cast), second)
    assert sorted(changed) == ["address", "phone"]
    entry = Applicant.objects.get()
    assert (entry.phone, entry.address) == ("13900139000", "新地址5号")
    event = AuditEvent.objects.get(action="applicant.update_register")
    assert event.details["fields"] == changed and "13900139000" not in str(event.details)
    # the earlier case still shows what it was given
    assert Application.objects.get(pk=first.pk).applicant.phone == "13800138000"
    assert operations.update_register(registrar(cast), second) == []
