"""The applications API: every operation, scoping (404), roles (403), methods (405),
the public endpoints, and the OpenAPI document."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.applications.conftest import EXE, PDF, VALID_ID
from xxgk.accounts.roles import Role
from xxgk.applications import operations
from xxgk.applications.models import Application, Attachment
from xxgk.audit.models import AuditEvent
from xxgk.statute.calendar import load_calendar
from xxgk.statute.periods import answer_deadline

pytestmark = pytest.mark.django_db

APPLICANT = {
    "kind": "natural_person",
    "name": "张三",
    "id_type": "resident_id",
    "id_number": VALID_ID,
    "phone": "13800138000",
    "address": "某路1号",
}


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def base(cast, key="subordinate"):
    return f"/api/agencies/{cast.agency(key).pk}/applications"


def new_case(client, cast, **over):
    data = {
        "channel": "fax",
        "applicant": APPLICANT,
        "description": "2024年度部门预算",
        "medium": "electronic",
        "delivery": "email",
        "arrived_on": "2026-11-02",
    }
    data.update(over)
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    response = post(client, base(cast), data)
    assert response.status_code == 201, response.content
    return response.json()


def test_register_confirm_and_read_the_clock(client, cast):
    case = new_case(client, cast)
    assert case["status"] == "pending" and case["received_on"] is None
    assert case["applicant_name_masked"] == "张*" and VALID_ID not in json.dumps(case)
    response = post(
        client,
        f"{base(cast)}/{case['id']}/confirm",
        {"confirmed_on": "2026-11-03", "method": "电话"},
    )
    assert response.status_code == 200
    due = answer_deadline(date(2026, 11, 3), load_calendar()).due
    assert response.json()["answer_due"] == due.isoformat()
    detail = client.get(f"{base(cast)}/{case['id']}").json()
    assert detail["explanation"]["answer_due"][-1].endswith("。")
    assert detail["received_on"] == "2026-11-03"


def test_signed_for_letter_by_api(client, cast):
    case = new_case(client, cast, channel="post_signed", signed_on="2026-11-02")
    assert case["received_on"] == "2026-11-02"
    assert case["answer_due"] == answer_deadline(date(2026, 11, 2), load_calendar()).due.isoformat()


def test_bad_input_is_422_in_chinese_and_stores_nothing(client, cast):
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    response = post(
        client,
        base(cast),
        {
            "channel": "post_signed",
            "applicant": {**APPLICANT, "id_number": "123"},
            "description": "x",
        },
    )
    assert response.status_code == 422
    assert "身份证号码应为18位" in response.json()["detail"]
    assert not Application.objects.exists()


def test_lists_and_filters(client, cast):
    case = new_case(client, cast)
    listing = client.get(base(cast) + "?show=pending").json()
    assert [c["number"] for c in listing] == [case["number"]]
    assert client.get(base(cast) + "?show=overdue").json() == []
    assert client.get(base(cast) + "?show=nonsense").status_code == 422


def test_assign_attach_and_personal_data(client, cast):
    case = new_case(client, cast)
    handler = cast.user("subordinate", Role.HANDLER)
    client.force_login(cast.user("subordinate", Role.LEADER))
    response = post(client, f"{base(cast)}/{case['id']}/assign", {"handler_id": handler.pk})
    assert response.status_code == 200 and response.json()["handler_id"] == handler.pk
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    response = client.post(
        f"{base(cast)}/{case['id']}/attachments",
        {"kind": "id_proof", "files": [SimpleUploadedFile("id.pdf", PDF)]},
    )
    assert response.status_code == 201 and response.json()[0]["kind"] == "id_proof"
    bad = client.post(
        f"{base(cast)}/{case['id']}/attachments",
        {"kind": "scan", "files": [SimpleUploadedFile("x.pdf", EXE)]},
    )
    assert bad.status_code == 422 and "不是PDF" in bad.json()["detail"]
    assert Attachment.objects.count() == 1
    person = client.get(f"{base(cast)}/{case['id']}/applicant")
    assert person.status_code == 200 and person.json()["id_number"] == VALID_ID
    event = AuditEvent.objects.get(action="applicant.view_personal_data")
    assert event.details["via"] == "api"


OPERATIONS = [
    ("get", "", None),
    ("post", "/confirm", {"confirmed_on": "2026-11-03", "method": "电话"}),
    ("post", "/assign", {"handler_id": 1}),
    ("get", "/applicant", None),
    ("post", "/query-code", {}),
    ("post", "/applicant/register", {}),
]


@pytest.mark.parametrize(("method", "suffix", "body"), OPERATIONS)
def test_another_agencys_case_is_404(client, cast, method, suffix, body):
    case = new_case(client, cast)
    client.force_login(cast.user("unrelated", Role.ADMIN))
    url = f"{base(cast)}/{case['id']}{suffix}"
    response = post(client, url, body) if method == "post" else client.get(url)
    assert response.status_code == 404
    # and under the caller's own agency address
    own = f"/api/agencies/{cast.unrelated.pk}/applications/{case['id']}{suffix}"
    client.force_login(cast.user("unrelated", Role.REGISTRAR))
    response = post(client, own, body) if method == "post" else client.get(own)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "suffix", "body"), [o for o in OPERATIONS if o[0] == "post" or o[1] == "/applicant"]
)
def test_supervisor_is_403_on_writes_and_personal_data(client, cast, method, suffix, body):
    case = new_case(client, cast)
    client.force_login(cast.user("district", Role.SUPERVISOR))
    url = f"{base(cast)}/{case['id']}{suffix}"
    response = post(client, url, body) if method == "post" else client.get(url)
    assert response.status_code == 403
    assert client.get(f"{base(cast)}/{case['id']}").status_code == 200  # reading is allowed


def test_reviewer_cannot_register_or_recompute(client, cast):
    client.force_login(cast.user("subordinate", Role.REVIEWER))
    assert (
        post(client, base(cast), {"channel": "in_person", "applicant": APPLICANT}).status_code
        == 403
    )
    assert (
        client.post(f"/api/agencies/{cast.subordinate.pk}/applications-recompute").status_code
        == 403
    )


def test_admin_recomputes(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    response = client.post(f"/api/agencies/{cast.subordinate.pk}/applications-recompute")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="application.recompute_clocks").exists()


def test_wrong_methods_are_405(client, cast):
    case = new_case(client, cast)
    assert client.delete(base(cast)).status_code == 405
    assert client.put(f"{base(cast)}/{case['id']}").status_code == 405
    assert client.get(f"{base(cast)}/{case['id']}/confirm").status_code == 405
    assert client.get("/api/public/applications/status").status_code == 405


def test_anonymous_is_401(client, cast):
    assert client.get(base(cast)).status_code == 401


def test_public_submit_and_status(client, cast):
    token = operations.new_submission_token()
    body = {
        "token": token,
        "applicant": {**APPLICANT, "email": "a@example.com"},
        "description": "2024年度部门预算",
        "medium": "electronic",
        "delivery": "email",
    }
    url = f"/api/public/agencies/{cast.subordinate.slug}/applications"
    first = post(client, url, body)
    again = post(client, url, body)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["query_code"] == again.json()["query_code"]
    assert Application.objects.count() == 1
    status = post(
        client,
        "/api/public/applications/status",
        {"number": first.json()["number"], "code": first.json()["query_code"]},
    )
    assert status.status_code == 200 and status.json()["received_on"] is None
    assert "张三" not in status.content.decode()
    wrong = post(client, "/api/public/applications/status", {"number": "GK1", "code": "X"})
    assert wrong.status_code == 404


def test_public_submit_rejects_bad_id(client, cast):
    body = {
        "token": operations.new_submission_token(),
        "applicant": {**APPLICANT, "id_number": "110105194912310021"},
        "description": "2024年度部门预算",
        "medium": "electronic",
        "delivery": "email",
    }
    response = post(client, f"/api/public/agencies/{cast.subordinate.slug}/applications", body)
    assert response.status_code == 422 and "校验位" in response.json()["detail"]
    assert not Application.objects.exists()


def test_every_operation_is_in_the_openapi_document(client, cast):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in [
        "/api/agencies/{agency_id}/applications",
        "/api/agencies/{agency_id}/applications/{pk}",
        "/api/agencies/{agency_id}/applications/{pk}/confirm",
        "/api/agencies/{agency_id}/applications/{pk}/assign",
        "/api/agencies/{agency_id}/applications/{pk}/attachments",
        "/api/agencies/{agency_id}/applications/{pk}/applicant",
        "/api/agencies/{agency_id}/applications/{pk}/query-code",
        "/api/agencies/{agency_id}/applications-recompute",
        "/api/public/agencies/{slug}/applications",
        "/api/public/agencies/{slug}/applications/multipart",
        "/api/public/applications/status",
    ]:
        assert path in paths, path


def test_issue_query_code_by_api(client, cast):
    case = new_case(client, cast)
    response = client.post(f"{base(cast)}/{case['id']}/query-code")
    assert response.status_code == 200
    code = response.json()["query_code"]
    status = post(
        client, "/api/public/applications/status", {"number": case["number"], "code": code}
    )
    assert status.status_code == 200 and status.json()["number"] == case["number"]


def test_public_submit_with_attachments(client, cast):
    url = f"/api/public/agencies/{cast.subordinate.slug}/applications/multipart"
    form = {
        "token": operations.new_submission_token(),
        **APPLICANT,
        "description": "2024年度部门预算",
        "medium": "electronic",
        "delivery": "email",
    }
    bad = client.post(url, {**form, "files": [SimpleUploadedFile("a.pdf", EXE)]})
    assert bad.status_code == 422 and "不是PDF" in bad.json()["detail"]
    assert not Application.objects.exists()
    good = client.post(url, {**form, "files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert good.status_code == 201
    case = Application.objects.get(number=good.json()["number"])
    assert case.attachments.count() == 1 and case.status == "pending"


def test_register_update_by_api(client, cast):
    first = new_case(client, cast)
    second = new_case(client, cast, applicant={**APPLICANT, "address": "新地址5号"})
    assert second["applicant_id"] == first["applicant_id"]
    url = f"{base(cast)}/{second['id']}/applicant/register"
    assert post(client, url, {}).json() == {"changed": ["address"]}
    assert client.get(f"{base(cast)}/{first['id']}/applicant").json()["address"] != "新地址5号"
    assert client.get(f"{base(cast)}/{second['id']}/applicant").json()["address"] == "新地址5号"
    assert post(client, url, {}).json() == {"changed": []}
