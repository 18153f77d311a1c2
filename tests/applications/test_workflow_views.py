"""Staff views of part 2: each step's URL checked for login (302), ownership (404), role (403)
and method (405); a walk through the steps by POST with the due dates on the case page
computed by the statute package; the timeline; a letter file."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.applications.conftest import person
from xxgk.accounts.roles import Role
from xxgk.applications import operations
from xxgk.applications.models import Application, Status
from xxgk.audit.models import AuditEvent
from xxgk.statute.calendar import load_calendar
from xxgk.statute.periods import answer_deadline, extended_deadline

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 3, 2)


def make_case(cast, key="subordinate", received=RECEIVED, description="2025年街道改造批复"):
    return operations.register_application(
        cast.user(key, Role.REGISTRAR), cast.agency(key), channel="in_person",
        applicant=person(), description=description, medium="paper", delivery="post",
        submitted_on=received,
    )  # fmt: skip


def act(cast, case, action, key="subordinate"):
    return reverse(
        "applications:act",
        kwargs={"agency_id": cast.agency(key).pk, "pk": case.pk, "action": action},
    )


def detail(cast, case):
    return reverse("applications:detail", kwargs={"agency_id": case.agency_id, "pk": case.pk})


def login(client, cast, role):
    client.force_login(cast.user("subordinate", role))


def test_step_urls_login_404_403_405(client, cast):
    case = make_case(cast)
    url = act(cast, case, "extend")
    data = {"extend-days": "5", "extend-reason": "量大", "extend-on": "2026-03-10"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data)["Location"].startswith(reverse("accounts:login"))
    client.force_login(cast.user("unrelated", Role.LEADER))
    assert client.post(url, data).status_code == 404
    foreign = make_case(cast, key="unrelated")
    login(client, cast, Role.LEADER)
    assert client.post(act(cast, foreign, "extend", key="subordinate"), data).status_code == 404
    login(client, cast, Role.HANDLER)
    assert client.post(url, data).status_code == 403
    client.force_login(cast.user("district", Role.SUPERVISOR))
    assert client.post(url, data).status_code == 403
    login(client, cast, Role.LEADER)
    assert client.get(url).status_code == 405
    assert client.post(act(cast, case, "no-such-step"), data).status_code == 404
    assert client.post(url, data).status_code == 302
    assert Application.objects.get(pk=case.pk).extension_days == 5
    for name in ("timeline",):
        u = reverse(
            f"applications:{name}", kwargs={"agency_id": cast.subordinate.pk, "pk": case.pk}
        )
        assert client.post(u).status_code == 405
        client.force_login(cast.user("unrelated", Role.LEADER))
        assert client.get(u).status_code == 404
        login(client, cast, Role.LEADER)


def test_walk_by_post_shows_statute_dates_and_errors(client, cast):
    cal = load_calendar()
    case = make_case(cast)
    operations.assign_handler(
        cast.user("subordinate", Role.REGISTRAR), case, cast.user("subordinate", Role.HANDLER)
    )
    login(client, cast, Role.HANDLER)
    page = client.get(detail(cast, case)).content.decode()
    assert 'id="step-correction"' in page and 'id="step-extend"' not in page  # not a 负责人
    r = client.post(act(cast, case, "correction"), {
        "correction-items": "请写明文件名称\n请提供身份证明", "correction-period_days": "10",
        "correction-on": "2026-03-04",
    }, follow=True)  # fmt: skip
    page = r.content.decode()
    assert "已告知补正" in page
    assert cal.add_workdays(date(2026, 3, 4), 10).isoformat() in page
    assert "待补正" in page
    login(client, cast, Role.REGISTRAR)
    page = client.post(act(cast, case, "correction-received"), {"correction-received-on": "2026-03-09"},
                       follow=True).content.decode()  # fmt: skip
    restarted = answer_deadline(RECEIVED, cal, correction_received_on=date(2026, 3, 9)).due
    assert f'id="effective-due">{restarted.isoformat()}' in page
    login(client, cast, Role.LEADER)
    page = client.post(act(cast, case, "extend"), {
        "extend-days": "30", "extend-reason": "x", "extend-on": "2026-03-10"}, follow=True).content.decode()  # fmt: skip
    assert "延长工作日数" in page  # the form refused 30 (≤ 20), message shown
    page = client.post(act(cast, case, "extend"), {
        "extend-days": "10", "extend-reason": "需调档", "extend-on": "2026-03-10"}, follow=True).content.decode()  # fmt: skip
    extended = extended_deadline(RECEIVED, cal, 10, correction_received_on=date(2026, 3, 9)).due
    assert f'id="effective-due">{extended.isoformat()}' in page
    login(client, cast, Role.HANDLER)
    page = client.post(act(cast, case, "decide"), {
        "decide-answer_type": "withheld_process", "decide-withheld_reasons": "<script>alert(1)</script>",
    }, follow=True).content.decode()  # fmt: skip
    assert "已保存拟办答复" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "表三第3.3.6行" in page
    page = client.post(
        act(cast, case, "submit"), {"submit-comment": ""}, follow=True
    ).content.decode()
    assert "待审核" in page
    timeline = client.get(
        reverse("applications:timeline", kwargs={"agency_id": case.agency_id, "pk": case.pk})
    )
    text = timeline.content.decode()
    for label in (
        "分配承办人",
        "告知补正",
        "收到补正的申请",
        "负责人同意延期10个工作日",
        "拟办：",
        "承办人送审",
    ):
        assert label in text
    assert "条例第三十条" in text and "chengban" not in text
    assert "110105" not in text  # no ID number on the timeline
    assert AuditEvent.objects.filter(action="application.grant_extension").count() == 1


def test_letter_is_drafted_and_downloaded_as_docx(client, cast):
    case = make_case(cast)
    login(client, cast, Role.HANDLER)
    client.post(act(cast, case, "decide"), {
        "decide-answer_type": "not_held"})  # fmt: skip
    r = client.post(reverse("applications:draft_letter", kwargs={"agency_id": case.agency_id, "pk": case.pk}),
                    {"kind": "reply"}, follow=True)  # fmt: skip
    page = r.content.decode()
    assert "已生成" in page
    letter = Application.objects.get(pk=case.pk).letters.get()
    edit = reverse("letters:letter", kwargs={"agency_id": case.agency_id, "letter_id": letter.pk})
    assert f'href="{edit}"' in page  # the draft is editable before sign-off (xxgk.letters)
    url = reverse("applications:letter_file", kwargs={
        "agency_id": case.agency_id, "pk": case.pk, "letter_id": letter.pk, "fmt": "docx"})  # fmt: skip
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "第三十六条第（四）项" in text
    assert (
        AuditEvent.objects.filter(
            action="applicant.view_personal_data", details__letter_id=letter.pk
        ).count()
        == 1
    )
    client.force_login(cast.user("unrelated", Role.HANDLER))
    assert client.get(url).status_code == 404
    client.force_login(cast.user("district", Role.SUPERVISOR))  # reads the case, not the letter
    assert client.get(detail(cast, case)).status_code == 200
    assert client.get(url).status_code == 403
    assert client.get(url.replace(".docx", ".exe")).status_code == 404


def test_settings_page_chain_defaults_and_year_lock(client, cast):
    url = reverse("applications:settings", kwargs={"agency_id": cast.subordinate.pk})
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    login(client, cast, Role.HANDLER)
    assert client.get(url).status_code == 403
    client.force_login(cast.user("unrelated", Role.ADMIN))
    assert client.get(url).status_code == 404
    login(client, cast, Role.LEADER)
    page = client.get(url).content.decode()
    assert 'id="lock-form"' in page and 'id="settings-form"' not in page  # leader: lock only
    r = client.post(url, {"settings-correction_days": "10", "settings-max_correction_rounds": "1"})
    assert r.status_code == 403
    login(client, cast, Role.ADMIN)
    client.post(url, {"settings-correction_days": "10", "settings-max_correction_rounds": "2"})
    from xxgk.applications import workflow

    assert workflow.signoff_chain(cast.subordinate) == ["approval"]  # review unticked
    row = workflow.workflow_settings(cast.subordinate)
    assert (row.correction_days, row.max_correction_rounds) == (10, 2)
    page = client.post(url, {"settings-review": "on", "settings-correction_days": "99",
                             "settings-max_correction_rounds": "1"}, follow=True).content.decode()  # fmt: skip
    assert workflow.signoff_chain(cast.subordinate) == ["approval"]  # invalid form: nothing saved
    page = client.post(url, {"do-lock": "1", "lock-year": "2025"}, follow=True).content.decode()
    assert "2025年度已锁定" in page and "已锁定：2025年" in page
    page = client.post(url, {"do-lock": "1", "lock-year": "2025"}, follow=True).content.decode()
    assert "2025年度此前已锁定" in page
    assert AuditEvent.objects.filter(action="application.lock_year").count() == 1


def test_a_sent_reply_is_corrected_from_the_case_page(client, cast, monkeypatch):
    from xxgk.applications import workflow

    monkeypatch.setattr(workflow, "_issue_reply_number", lambda app, user, day: None)
    case = make_case(cast)
    h, lead = cast.user("subordinate", Role.HANDLER), cast.user("subordinate", Role.LEADER)
    case = workflow.record_decision(h, case, answer_type="not_held")
    case = workflow.submit_reply(h, case)
    case = workflow.review_reply(cast.user("subordinate", Role.REVIEWER), case, approve=True)
    case = workflow.sign_reply(lead, case, approve=True, on=date(2026, 3, 20))
    case = workflow.record_delivery(h, case, method="direct", served_on=date(2026, 3, 20))
    login(client, cast, Role.HANDLER)
    assert 'id="step-correct"' not in client.get(detail(cast, case)).content.decode()
    login(client, cast, Role.LEADER)
    assert 'id="step-correct"' in client.get(detail(cast, case)).content.decode()
    page = client.post(act(cast, case, "correct"), {
        "correct-reason": "类型有误", "correct-answer_type": "needs_creation"}, follow=True).content.decode()  # fmt: skip
    assert "已记录更正" in page
    case.refresh_from_db()
    assert case.answer_type == "needs_creation" and case.legal_basis == ["条例第三十八条"]
    assert case.reply_corrections.get().before["answer_type"] == "not_held"


def test_case_page_points_at_earlier_answered_requests(client, cast, monkeypatch):
    from xxgk.applications import workflow

    monkeypatch.setattr(workflow, "_issue_reply_number", lambda app, user, day: None)
    h = cast.user("subordinate", Role.HANDLER)
    first = workflow.record_decision(h, make_case(cast), answer_type="not_held")
    first = workflow.submit_reply(h, first)
    first = workflow.review_reply(cast.user("subordinate", Role.REVIEWER), first, approve=True)
    first = workflow.sign_reply(
        cast.user("subordinate", Role.LEADER), first, approve=True, on=date(2026, 3, 10)
    )
    workflow.record_delivery(h, first, method="direct", served_on=date(2026, 3, 10))
    again = make_case(cast, received=date(2026, 4, 1))
    other = make_case(cast, received=date(2026, 4, 1), description="完全不同的另一份文件")
    login(client, cast, Role.HANDLER)
    page = client.get(detail(cast, again)).content.decode()
    assert 'id="duplicates"' in page and first.number in page
    assert 'id="duplicates"' not in client.get(detail(cast, other)).content.decode()


def test_on_the_spot_and_service_date_steps(client, cast, monkeypatch):
    from xxgk.applications import workflow

    today = timezone.localdate()
    case = make_case(cast, received=today)
    login(client, cast, Role.HANDLER)
    assert 'id="step-on-the-spot"' in client.get(detail(cast, case)).content.decode()
    page = client.post(act(cast, case, "on-the-spot"), {
        "on-the-spot-answer_type": "publication",
        "on-the-spot-provided_information": "可在区图书馆查阅政府公报"}, follow=True).content.decode()  # fmt: skip
    assert "已当场答复" in page
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.service_method) == (
        Status.CLOSED,
        today,
        "on_the_spot",
    )
    old = make_case(cast)
    assert 'id="step-on-the-spot"' not in client.get(detail(cast, old)).content.decode()
    monkeypatch.setattr(workflow, "_issue_reply_number", lambda app, user, day: None)
    h = cast.user("subordinate", Role.HANDLER)
    old = workflow.submit_reply(h, workflow.record_decision(h, old, answer_type="not_held"))
    old = workflow.review_reply(cast.user("subordinate", Role.REVIEWER), old, approve=True)
    old = workflow.sign_reply(
        cast.user("subordinate", Role.LEADER), old, approve=True, on=date(2026, 3, 20)
    )
    old = workflow.record_delivery(
        h, old, method="post", posted_on=date(2026, 3, 20), tracking_number="XA000000001CN"
    )
    page = client.post(
        act(cast, old, "served"), {"served-served_on": "2026-03-23"}, follow=True
    ).content.decode()
    assert "已登记送达日期" in page and "送达2026-03-23" in page
    old.refresh_from_db()
    assert old.closed_on == date(2026, 3, 20)  # the 交邮 day decides timeliness
