"""The part-2 API: steps by JSON (404 / 403 / 422 / 405), the timeline, the counted tables
and year locking."""

from __future__ import annotations

from datetime import date

import pytest

from tests.applications.conftest import person
from xxgk.accounts.roles import Role
from xxgk.applications import operations
from xxgk.applications.models import Application, LockedYear
from xxgk.statute.calendar import load_calendar
from xxgk.statute.periods import answer_deadline

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 3, 2)


def make_case(cast, key="subordinate"):
    return operations.register_application(
        cast.user(key, Role.REGISTRAR), cast.agency(key), channel="in_person", applicant=person(),
        description="街道改造批复", medium="paper", delivery="post", submitted_on=RECEIVED,
    )  # fmt: skip


def url(case, tail):
    return f"/api/agencies/{case.agency_id}/applications/{case.pk}/{tail}"


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_steps_by_json(client, cast):
    case = make_case(cast)
    client.force_login(cast.user("subordinate", Role.HANDLER))
    r = post(
        client,
        url(case, "steps/correction"),
        {"items": ["名称", "年份"], "period_days": 5, "on": "2026-03-03"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "correction" and r.json()["effective_due"] is None
    client.force_login(cast.user("subordinate", Role.REGISTRAR))
    r = post(client, url(case, "steps/correction-received"), {"on": "2026-03-06"})
    due = answer_deadline(RECEIVED, load_calendar(), correction_received_on=date(2026, 3, 6)).due
    assert r.json()["effective_due"] == due.isoformat()
    client.force_login(cast.user("subordinate", Role.HANDLER))
    r = post(
        client,
        url(case, "steps/decide"),
        {
            "answer_type": "withheld_process",
            "legal_basis": ["条例第三十六条第（三）项"],
            "withheld_reasons": "过程稿",
        },
    )
    assert r.status_code == 422 and "第十六条第二款" in r.json()["detail"]
    r = post(client, url(case, "steps/extend"), {"days": 5, "reason": "x", "on": "2026-03-09"})
    assert r.status_code == 403
    assert post(client, url(case, "steps/nope"), {}).status_code == 404
    assert client.get(url(case, "steps/decide")).status_code == 405
    client.force_login(cast.user("unrelated", Role.HANDLER))
    assert post(client, url(case, "steps/decide"), {"answer_type": "not_held"}).status_code == 404
    client.force_login(cast.user("subordinate", Role.HANDLER))
    events = client.get(url(case, "timeline")).json()
    assert [e["kind"] for e in events] == ["request_correction", "receive_correction"]


def test_annual_tables_and_locking(client, cast):
    case = make_case(cast)
    client.force_login(cast.user("district", Role.SUPERVISOR))  # a supervisor reads
    r = client.get(f"/api/agencies/{cast.subordinate.pk}/annual-tables/2026?version=2021")
    assert r.status_code == 200
    data = r.json()
    assert data["findings"] == []
    cells = data["report"]["cells"] if "cells" in data["report"] else data["report"]
    assert "本年新收" in str(cells)
    assert (
        client.get(
            f"/api/agencies/{cast.subordinate.pk}/annual-tables/2026?version=1999"
        ).status_code
        == 422
    )
    r = post(client, f"/api/agencies/{cast.subordinate.pk}/locked-years", {"year": 2025})
    assert r.status_code == 403
    client.force_login(cast.user("subordinate", Role.LEADER))
    assert (
        post(
            client, f"/api/agencies/{cast.subordinate.pk}/locked-years", {"year": 2025}
        ).status_code
        == 201
    )
    assert (
        post(
            client, f"/api/agencies/{cast.subordinate.pk}/locked-years", {"year": 2025}
        ).status_code
        == 422
    )
    assert LockedYear.objects.filter(agency=cast.subordinate, year=2025).count() == 1
    assert Application.objects.filter(pk=case.pk).exists()


def test_bad_input_is_a_422_never_a_500(client, cast):
    case = make_case(cast)
    pending = operations.register_application(
        cast.user("subordinate", Role.REGISTRAR), cast.subordinate, channel="email",
        applicant=person(), description="邮件申请", medium="paper", delivery="post",
    )  # fmt: skip
    client.force_login(cast.user("subordinate", Role.LEADER))
    bad = [
        (case, "extend", {"days": "abc", "reason": "x", "on": "2026-03-05"}),
        (case, "extend", {"days": 5, "reason": "x", "on": "not-a-date"}),
        (case, "extend", {"days": 5, "reason": "x", "on": "2099-01-01"}),
        (case, "sign", {"approve": True, "on": "2026-03-05"}),
        (case, "appeal", {"kind": "review", "filed_on": "2026-01-01", "body": "x"}),
    ]
    client.force_login(cast.user("subordinate", Role.HANDLER))
    bad += [
        (case, "consult-reply", {"opinion": "agree", "replied_on": "2026-03-05"}),
        (case, "fee", {"basis": "pages", "units": -3, "on": "2026-03-05"}),
        (pending, "decide", {"answer_type": "not_held"}),
        (case, "decide", {"answer_type": "no-such-type"}),
        (case, "correction", {"items": [], "on": "2026-03-05"}),
    ]
    for target, action, data in bad:
        role = Role.LEADER if action in ("extend", "sign") else Role.HANDLER
        client.force_login(cast.user("subordinate", role))
        r = post(client, url(target, f"steps/{action}"), data)
        assert r.status_code == 422, (action, data, r.status_code, r.content)
    assert not Application.objects.get(pk=case.pk).extension_days
    assert Application.objects.get(pk=case.pk).answer_type == ""
