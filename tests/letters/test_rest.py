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
