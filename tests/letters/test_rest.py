"""The letters endpoints of the REST API: scoping (404), roles (403), draft, edit, files."""

from __future__ import annotations

import pytest

from xxgk.accounts.roles import Role
from xxgk.letters import api as letters

pytestmark = pytest.mark.django_db

PROCESS = dict(
    answer_type="withheld_process",
    legal_basis=["第三十六条第（三）项", "第十六条第二款"],
    withheld_reasons="内部讨论记录",
)


def test_draft_read_edit_and_files(client, cast, make_case):
    case = make_case(**PROCESS)
    a = cast.subordinate.pk
    assert (
        client.post(f"/api/agencies/{a}/letters", {}, content_type="application/json").status_code
        == 401
    )
    client.force_login(cast.user("subordinate", Role.HANDLER))
    response = client.post(
        f"/api/agencies/{a}/letters",
        {"application_id": case.pk, "kind": "reply"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["warnings"] == []
    assert "应当先申请行政复议" in body["remedy"]
    lid = body["id"]
    response = client.patch(
        f"/api/agencies/{a}/letters/{lid}",
        {"articles": ["第三十六条第（二）项"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "所引第三十六条第（二）项与答复类型不符。" in response.json()["warnings"]
    assert client.get(f"/api/agencies/{a}/letters/{lid}/docx").content[:2] == b"PK"
    assert client.get(f"/api/agencies/{a}/letters/{lid}/pdf").content[:5] == b"%PDF-"
    no_decision = make_case()
    response = client.post(
        f"/api/agencies/{a}/letters",
        {"application_id": no_decision.pk, "kind": "reply"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "答复决定" in response.json()["detail"]


def test_scoping_and_roles(client, cast, make_case):
    case = make_case(**PROCESS)
    letter = letters.draft_letter(case, "reply", actor=cast.user("subordinate", Role.HANDLER))
    a = cast.subordinate.pk
    client.force_login(cast.user("unrelated", Role.ADMIN))
    assert client.get(f"/api/agencies/{a}/letters/{letter.pk}").status_code == 404
    other = cast.unrelated.pk  # a foreign letter under one's own agency
    assert client.get(f"/api/agencies/{other}/letters/{letter.pk}").status_code == 404
    client.force_login(cast.user("district", Role.SUPERVISOR))
    assert client.get(f"/api/agencies/{a}/letters/{letter.pk}").status_code == 200
    response = client.patch(
        f"/api/agencies/{a}/letters/{letter.pk}", {"body": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client.post(
        f"/api/agencies/{a}/letters",
        {"application_id": case.pk, "kind": "reply"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_notice_is_issued_through_the_api(client, cast, make_case):
    from datetime import date

    case = make_case(
        fee_basis="pages",
        fee_units=150,
        fee_amount=1700,
        fee_payment_deadline=date(2026, 4, 1),
        extension_days=20,
        extension_reason="需要调取档案",
        answer_due=date(2026, 3, 30),
        effective_due=date(2026, 4, 28),
    )
    handler = cast.user("subordinate", Role.HANDLER)
    fee = letters.draft_letter(case, "fee_notice", actor=handler)
    ext = letters.draft_letter(case, "extension_notice", actor=handler)
    a = cast.subordinate.pk
    client.force_login(handler)
    url = f"/api/agencies/{a}/letters/{fee.pk}/issue"
    response = client.post(url, {"dated": "2026-03-10"}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "issued" and body["dated"] == "2026-03-10" and body["number"]
    again = client.post(url, {"dated": "2026-03-10"}, content_type="application/json")
    assert again.status_code == 422
    ext_url = f"/api/agencies/{a}/letters/{ext.pk}/issue"
    assert (
        client.post(ext_url, {"dated": "2026-03-20"}, content_type="application/json").status_code
        == 403
    )
    client.force_login(cast.user("subordinate", Role.LEADER))
    late = client.post(ext_url, {"dated": "2026-03-31"}, content_type="application/json")
    assert late.status_code == 422 and "原答复期限" in str(late.json()["detail"])
