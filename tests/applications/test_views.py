"""Staff views: every URL checked for login, ownership (404), role (403) and method (405);
clocks shown with their explanation; personal data masked, audited, and script escaped."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse

from tests.applications.conftest import PDF, VALID_ID, person
from xxgk.accounts.roles import Role
from xxgk.applications import operations
from xxgk.applications.models import Application, Attachment, Status
from xxgk.audit.models import AuditEvent
from xxgk.statute.calendar import load_calendar
from xxgk.statute.periods import answer_deadline

pytestmark = pytest.mark.django_db

READ = None  # any role that can read the agency (a supervisor above included)
STAFF = "staff"  # any staff role at the agency itself (not supervision)
REG = (Role.REGISTRAR, Role.HANDLER)

# (url name, needs a case, needs an attachment, allowed methods, roles)
URLS = [
    ("applications:list", False, False, {"GET"}, READ),
    ("applications:due", False, False, {"GET"}, READ),
    ("applications:register", False, False, {"GET", "POST"}, REG),
    ("applications:detail", True, False, {"GET"}, READ),
    ("applications:personal_data", True, False, {"GET"}, STAFF),
    ("applications:confirm", True, False, {"POST"}, REG),
    ("applications:assign", True, False, {"POST"}, (Role.LEADER, Role.REGISTRAR)),
    ("applications:attachments", True, False, {"POST"}, REG),
    ("applications:query_code", True, False, {"POST"}, REG),
    ("applications:attachment", True, True, {"GET"}, STAFF),
]


def params(rows):
    return [pytest.param(*r, id=r[0].split(":")[1]) for r in rows]


def make_case(cast, key="subordinate", **kw):
    kw.setdefault("channel", "fax")
    kw.setdefault("applicant", person())
    kw.setdefault("description", "2024年度预算公开说明")
    kw.setdefault("uploads", [operations.Upload("id.pdf", io.BytesIO(PDF), len(PDF), "id_proof")])
    return operations.register_application(cast.user(key, Role.REGISTRAR), cast.agency(key), **kw)


def url_for(cast, name, needs_case, needs_att, case=None, key="subordinate"):
    agency = cast.agency(key)
    kwargs = {"agency_id": agency.pk}
    if needs_case:
        case = case or make_case(cast, key)
        kwargs["pk"] = case.pk
        if needs_att:
            kwargs["attachment_id"] = case.attachments.first().pk
    return reverse(name, kwargs=kwargs)


def call(client, method, url):
    return getattr(client, method.lower())(url)


@pytest.mark.parametrize(("name", "case", "att", "methods", "roles"), params(URLS))
def test_anonymous_is_sent_to_login(client, cast, name, case, att, methods, roles):
    for method in methods:
        response = call(client, method, url_for(cast, name, case, att))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "case", "att", "methods", "roles"), params(URLS))
def test_another_agencys_page_is_404(client, cast, name, case, att, methods, roles):
    client.force_login(cast.user("unrelated", Role.REGISTRAR))
    for method in methods:
        assert call(client, method, url_for(cast, name, case, att)).status_code == 404


@pytest.mark.parametrize(
    ("name", "case", "att", "methods", "roles"), params([u for u in URLS if u[1]])
)
def test_a_case_of_another_agency_under_my_agency_url_is_404(
    client, cast, name, case, att, methods, roles
):
    """The case id of the unrelated agency put under my own agency's address."""
    foreign = make_case(cast, "unrelated")
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    kwargs = {"agency_id": cast.subordinate.pk, "pk": foreign.pk}
    if att:
        kwargs["attachment_id"] = foreign.attachments.first().pk
    for method in methods:
        assert call(client, method, reverse(name, kwargs=kwargs)).status_code == 404


WITHOUT_ROLE = [
    pytest.param(*row, who, id=f"{row[0].split(':')[1]}-{who[1]}")
    for row in URLS
    if row[4]
    for who in [("subordinate", Role.REVIEWER), ("district", Role.SUPERVISOR)]
    if not (row[4] == STAFF and who[1] == Role.REVIEWER)  # a reviewer is staff there
]


@pytest.mark.parametrize(("name", "case", "att", "methods", "roles", "who"), WITHOUT_ROLE)
def test_without_the_role_is_403(client, cast, name, case, att, methods, roles, who):
    """Supervision reads subordinate cases but never writes and never sees personal data."""
    client.force_login(cast.user(*who))
    for method in methods:
        assert call(client, method, url_for(cast, name, case, att)).status_code == 403


@pytest.mark.parametrize(("name", "case", "att", "methods", "roles"), params(URLS))
def test_wrong_method_is_405(client, cast, name, case, att, methods, roles):
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    url = url_for(cast, name, case, att)
    for method in {"GET", "POST", "PUT", "DELETE"} - methods:
        assert call(client, method, url).status_code == 405, method


@pytest.mark.parametrize(
    ("name", "case", "att", "methods", "roles"), params([u for u in URLS if "GET" in u[3]])
)
def test_get_pages_render_for_those_allowed(client, cast, name, case, att, methods, roles):
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    assert client.get(url_for(cast, name, case, att)).status_code == 200


def test_supervisor_reads_lists_and_cases_of_subordinates(client, cast):
    case = make_case(cast)
    client.force_login(cast.user("district", Role.SUPERVISOR))
    body = client.get(reverse("applications:list", args=[cast.subordinate.pk])).content.decode()
    assert case.number in body
    detail = client.get(reverse("applications:detail", args=[cast.subordinate.pk, case.pk]))
    assert detail.status_code == 200
    assert "查看个人信息" not in detail.content.decode()


def test_register_form_registers_a_signed_for_letter(client, cast):
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    response = client.post(
        reverse("applications:register", args=[cast.subordinate.pk]),
        {
            "channel": "post_signed",
            "kind": "natural_person",
            "name": "王五",
            "id_type": "resident_id",
            "id_number": VALID_ID,
            "phone": "13800138000",
            "address": "某路1号",
            "description": "2023年度财政决算",
            "medium": "paper",
            "delivery": "post",
            "signed_on": "2026-11-02",
            "attachment_kind": "envelope",
            "attachments": [io.BytesIO(PDF)],
        },
    )
    case = Application.objects.get()
    assert response.status_code == 302
    assert case.received_on == date(2026, 11, 2)
    assert case.answer_due == answer_deadline(date(2026, 11, 2), load_calendar()).due
    assert Attachment.objects.get().kind == "envelope"


def test_register_form_shows_chinese_errors_and_stores_nothing(client, cast):
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    response = client.post(
        reverse("applications:register", args=[cast.subordinate.pk]),
        {
            "channel": "post_signed",
            "kind": "natural_person",
            "name": "王五",
            "id_type": "resident_id",
            "id_number": "110105194912310021",
            "description": "某文件",
            "attachment_kind": "scan",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "身份证号码校验位不正确" in body and "签收日期" in body
    assert not Application.objects.exists()


def test_detail_shows_the_clock_and_its_explanation(client, cast):
    case = make_case(cast, channel="post_signed", signed_on=date(2026, 11, 2))
    client.force_login(cast.user("subordinate", Role.HANDLER))
    body = client.get(
        reverse("applications:detail", args=[cast.subordinate.pk, case.pk])
    ).content.decode()
    result = answer_deadline(date(2026, 11, 2), load_calendar())
    assert result.due.isoformat() in body
    assert "计算说明" in body and result.steps[-1] in body
    assert "以行政机关签收之日为收到申请之日" in body  # 条例第三十一条, the receipt's own steps


def test_confirm_view_starts_the_clock(client, cast):
    case = make_case(cast, arrived_on=date(2026, 11, 2))
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    client.post(
        reverse("applications:confirm", args=[cast.subordinate.pk, case.pk]),
        {"confirmed_on": "2026-11-03", "method": "电话"},
    )
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.received_on == date(2026, 11, 3)


def test_lists_mask_personal_data_and_the_personal_page_is_audited(client, cast):
    case = make_case(cast)
    client.force_login(cast.user("subordinate", Role.HANDLER))
    listing = client.get(reverse("applications:list", args=[cast.subordinate.pk])).content.decode()
    assert "张*" in listing and "张三" not in listing and VALID_ID not in listing
    detail = client.get(reverse("applications:detail", args=[cast.subordinate.pk, case.pk]))
    assert VALID_ID not in detail.content.decode() and "13800138000" not in detail.content.decode()
    assert not AuditEvent.objects.filter(action="applicant.view_personal_data").exists()
    page = client.get(reverse("applications:personal_data", args=[cast.subordinate.pk, case.pk]))
    assert VALID_ID in page.content.decode() and page["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="applicant.view_personal_data").count() == 1
    client.get(
        reverse(
            "applications:attachment",
            args=[cast.subordinate.pk, case.pk, case.attachments.first().pk],
        )
    )
    assert AuditEvent.objects.filter(action="applicant.view_personal_data").count() == 2


def test_due_lists(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    old = make_case(cast, channel="post_signed", signed_on=date(2026, 9, 1))
    today = timezone.localdate()
    fresh = make_case(cast, channel="in_person", submitted_on=today)
    soon = make_case(cast, channel="in_person", submitted_on=today)
    Application.objects.filter(pk=soon.pk).update(effective_due=today + timedelta(days=1))
    client.force_login(cast.user("subordinate", Role.LEADER))
    response = client.get(reverse("applications:due", args=[cast.subordinate.pk]))
    overdue = [r["case"].pk for r in response.context["overdue"]]
    due_soon = [r["case"].pk for r in response.context["soon"]]
    assert overdue == [old.pk]
    assert soon.pk in due_soon and fresh.pk not in due_soon
    assert response.context["overdue"][0]["days_left"] < 0


def test_script_in_text_fields_is_stored_as_text_and_escaped(client, cast):
    script = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    case = make_case(cast, description=script, applicant=person(name=script[:40]))
    assert Application.objects.get(pk=case.pk).description == script
    client.force_login(cast.user("subordinate", Role.HANDLER))
    for name in ("applications:detail", "applications:personal_data"):
        body = client.get(reverse(name, args=[cast.subordinate.pk, case.pk])).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;" in body or "&lt;" in body
    listing = client.get(reverse("applications:list", args=[cast.subordinate.pk])).content.decode()
    assert "<script>alert" not in listing


def test_assign_view(client, cast):
    case = make_case(cast)
    handler = cast.user("subordinate", Role.HANDLER)
    client.force_login(cast.user("subordinate", Role.LEADER))
    client.post(
        reverse("applications:assign", args=[cast.subordinate.pk, case.pk]),
        {"handler": handler.pk},
    )
    case.refresh_from_db()
    assert case.handler == handler


def test_workspace_card_links_here_with_the_overdue_badge(client, cast):
    make_case(cast, channel="post_signed", signed_on=date(2026, 9, 1))
    client.force_login(cast.user("subordinate", Role.HANDLER))
    body = client.get(reverse("workspace:agency", args=[cast.subordinate.pk])).content.decode()
    assert reverse("applications:list", args=[cast.subordinate.pk]) in body


def test_query_code_for_a_staff_registered_case(client, cast):
    case = make_case(cast, channel="post_signed", signed_on=date(2026, 11, 2))
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    url = reverse("applications:query_code", args=[cast.subordinate.pk, case.pk])
    first = client.post(url)
    code = re.search(r'id="query-code">([^<]+)<', first.content.decode()).group(1)
    assert operations.lookup_status(case.number, code) == case
    second = client.post(url)
    new = re.search(r'id="query-code">([^<]+)<', second.content.decode()).group(1)
    assert operations.lookup_status(case.number, code) is None  # the old code stopped working
    assert operations.lookup_status(case.number, new) == case
    assert AuditEvent.objects.filter(action="application.issue_query_code").count() == 2


def test_the_applicant_page_shows_the_case_details_and_offers_the_register_update(client, cast):
    from xxgk.applications.models import Applicant
    from xxgk.audit.models import AuditEvent

    reg = cast.user("subordinate", Role.REGISTRAR)
    operations.register_application(
        reg, cast.subordinate, channel="in_person", applicant=person(), description="某年度预算"
    )
    second = operations.register_application(
        reg,
        cast.subordinate,
        channel="in_person",
        applicant=person(address="新地址5号"),
        description="某年度决算",
    )
    client.force_login(reg)
    url = reverse("applications:personal_data", args=[cast.subordinate.pk, second.pk])
    body = client.get(url).content.decode()
    assert "新地址5号" in body and 'id="register-differs"' in body
    post = reverse("applications:update_register", args=[cast.subordinate.pk, second.pk])
    assert client.get(post).status_code == 405
    assert client.post(post).status_code == 302
    assert Applicant.objects.get().address == "新地址5号"
    assert AuditEvent.objects.filter(action="applicant.update_register").count() == 1
    assert 'id="register-differs"' not in client.get(url).content.decode()
