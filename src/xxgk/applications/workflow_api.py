"""API of the part-2 steps (django-ninja, on the applications router; in ``/api/docs``).

* ``POST /api/agencies/{agency_id}/applications/{pk}/steps/{action}`` — one step of the case
  (the same steps, forms, roles and operations as the case page; ``action`` as in
  :data:`xxgk.applications.workflow_views.STEPS`), JSON body of the step's fields (lists may
  be given as JSON arrays). Answers the case's workflow state.
* ``GET …/applications/{pk}/timeline`` — the timeline events.
* ``GET /api/agencies/{agency_id}/annual-tables/{year}?version=2019|2021`` — tables 三 and 四
  counted from the cases (:mod:`xxgk.applications.counting`) in the annual-report JSON
  (docs/annual_report_json.md), with the findings of the relation checks.
* ``POST /api/agencies/{agency_id}/locked-years`` — lock a year (负责人 or 管理员).

Errors as elsewhere: 404 scoping, 403 role, 422 the operation's Chinese message.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Body, Schema, Status

from xxgk.agencies.scoping import get_agency_for, require_role
from xxgk.applications import workflow, workflow_views
from xxgk.applications.api import _case, router
from xxgk.statute.outcomes import FormatVersion


class WorkflowOut(Schema):
    id: int
    number: str
    status: str
    reply_stage: str
    received_on: date | None
    answer_due: date | None
    effective_due: date | None
    correction_deadline: date | None
    extension_days: int | None
    fee_amount: int | None
    fee_payment_deadline: date | None
    answer_type: str
    legal_basis: list[str]
    decided_on: date | None
    closed_on: date | None
    message: str = ""


class EventOut(Schema):
    on: date
    kind: str
    label: str
    legal_effect: str
    actor: str | None


class LockIn(Schema):
    year: int


def _state(case: Any, message: str = "") -> dict[str, Any]:
    return {
        **{f: getattr(case, f) for f in WorkflowOut.__annotations__ if f != "message"},
        "id": case.pk,
        "message": message,
    }


@router.post("/agencies/{agency_id}/applications/{pk}/steps/{action}", response=WorkflowOut)
def run_step(
    request: HttpRequest, agency_id: int, pk: int, action: str, payload: Body[dict[str, Any]]
) -> dict[str, Any]:
    """One step of the case: correction, correction-received, correction-lapsed, consult,
    consult-reply, extend, fee, fee-paid, fee-lapsed, decide, submit, review, sign, deliver,
    withdraw, appeal, appeal-result."""
    case = _case(request, agency_id, pk)
    step = workflow_views.STEPS.get(action)
    if step is None:
        raise Http404("未知的办理步骤。")
    require_role(request.user, case.agency, *step.roles)
    data = {}
    for key, value in payload.items():
        if isinstance(value, list):
            value = "\n".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "1" if value else "0"
        data[f"{action}-{key}"] = "" if value is None else str(value)
    form = workflow_views._form(action, case, data)
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    message = step.run(request.user, case, form, request)
    case.refresh_from_db()
    return _state(case, message)


@router.get("/agencies/{agency_id}/applications/{pk}/timeline", response=list[EventOut])
def timeline(request: HttpRequest, agency_id: int, pk: int) -> list[dict[str, Any]]:
    """The case's recorded events (part 2), in order."""
    case = _case(request, agency_id, pk)
    return [
        {
            "on": e.on,
            "kind": e.kind,
            "label": e.label,
            "legal_effect": e.legal_effect,
            "actor": e.actor.get_username() if e.actor else None,
        }
        for e in case.events.select_related("actor")
    ]


@router.get("/agencies/{agency_id}/annual-tables/{year}")
def annual_tables(
    request: HttpRequest, agency_id: int, year: int, version: str | None = None
) -> dict[str, Any]:
    """Tables 三 and 四 of ``year`` counted from the cases, with the relation checks."""
    from xxgk.annual_report import check, render
    from xxgk.applications.counting import count_year

    agency = get_agency_for(request.user, agency_id)
    if not 2008 <= year <= 2100:
        raise ValidationError("年度不正确。")
    try:
        fv = FormatVersion(version) if version else None
    except ValueError:
        raise ValidationError("version 只能是 2019 或 2021。") from None
    report = count_year(agency, year, fv)
    previous = count_year(agency, year - 1, fv or report.version)
    findings = [
        f for f in check(report, previous) if f.check in ("C1", "C2", "C3", "C4", "C8", "C12", "R8")
    ]
    return {
        "report": json.loads(render(report, "json")),
        "findings": [
            {"check": f.check, "severity": str(f.severity), "message": f.message} for f in findings
        ],
    }


@router.post("/agencies/{agency_id}/locked-years", response={201: LockIn})
def lock_year(request: HttpRequest, agency_id: int, payload: LockIn) -> Any:
    """Lock a year once its report is published (负责人 or 管理员)."""
    agency = get_agency_for(request.user, agency_id)
    workflow.lock_year(request.user, agency, payload.year, request=request)
    return Status(201, {"year": payload.year})
