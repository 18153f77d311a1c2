"""The applications API (django-ninja router, mounted by ``xxgk.api.views``; in ``/api/docs``).

The same operations as the workspace, the same scoping (404) and roles (403). Personal data
is only in ``GET …/applicant``, which is audit-logged like the workspace page. The two
public endpoints (online submission, status lookup) need no login and share the web form's
rules: token idempotency, validation, per-address rate limits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from xxgk.accounts.models import User
from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import get_agency_for, get_object_for, require_role
from xxgk.applications import clock, operations
from xxgk.applications.models import Application, AttachmentKind
from xxgk.applications.public_views import (
    STATUS_LIMIT_DEFAULT,
    SUBMIT_LIMIT_DEFAULT,
    WINDOW_SECONDS,
    _limit,
)
from xxgk.applications.views import FILTERS, filtered
from xxgk.audit import client_ip
from xxgk.statute.errors import StatuteError

router = Router(tags=["依申请公开"])


class ApplicantIn(Schema):
    kind: str
    name: str = ""
    id_type: str = "resident_id"
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    legal_representative: str = ""
    contact_name: str = ""

    def data(self) -> operations.ApplicantData:
        return operations.ApplicantData(**self.dict())


class RegisterIn(Schema):
    channel: str
    applicant: ApplicantIn
    description: str = ""
    purpose: str = ""
    medium: str = ""
    delivery: str = ""
    submitted_on: date | None = None
    arrived_on: date | None = None
    signed_on: date | None = None
    confirmed_on: date | None = None
    confirmation_method: str = ""
    oral_record: str = ""
    handler_id: int | None = None


class ConfirmIn(Schema):
    confirmed_on: date
    method: str
    note: str = ""


class AssignIn(Schema):
    handler_id: int
    note: str = ""


class ApplicationOut(Schema):
    id: int
    number: str
    agency_id: int
    channel: str
    channel_label: str
    status: str
    status_label: str
    applicant_id: int
    applicant_kind: str
    applicant_name_masked: str
    description: str
    submitted_at: datetime
    arrived_on: date | None
    signed_on: date | None
    confirmed_on: date | None
    received_on: date | None
    correction_notice_due: date | None
    answer_due: date | None
    effective_due: date | None
    days_left: int | None
    clock_flags: list[str]
    missing_items: list[str]
    handler_id: int | None
    handler_name: str | None


class ApplicationDetail(ApplicationOut):
    explanation: dict[str, list[str]]
    attachments: list[dict[str, Any]]


class ApplicantOut(Schema):
    id: int
    kind: str
    name: str
    id_type: str
    id_number: str
    phone: str
    email: str
    address: str
    postcode: str
    legal_representative: str
    contact_name: str
    applications: list[str]


class AttachmentOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str


class PublicSubmitIn(Schema):
    token: str
    applicant: ApplicantIn
    description: str
    purpose: str = ""
    medium: str
    delivery: str


class PublicReceipt(Schema):
    number: str
    query_code: str
    created: bool
    submitted_at: datetime


class StatusIn(Schema):
    number: str
    code: str


class StatusOut(Schema):
    number: str
    stage: str
    submitted_at: datetime
    received_on: date | None
    answer_due: date | None


class Message(Schema):
    detail: str


def _out(case: Application, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    try:
        left = clock.days_left(case.effective_due, today)
    except StatuteError:
        left = None
    return {
        "id": case.pk,
        "number": case.number,
        "agency_id": case.agency_id,
        "channel": case.channel,
        "channel_label": case.get_channel_display(),
        "status": case.status,
        "status_label": case.get_status_display(),
        "applicant_id": case.applicant_id,
        "applicant_kind": case.applicant.kind,
        "applicant_name_masked": case.applicant.masked_name,
        "description": case.description,
        "submitted_at": case.submitted_at,
        "arrived_on": case.arrived_on,
        "signed_on": case.signed_on,
        "confirmed_on": case.confirmed_on,
        "received_on": case.received_on,
        "correction_notice_due": case.correction_notice_due,
        "answer_due": case.answer_due,
        "effective_due": case.effective_due,
        "days_left": left,
        "clock_flags": list(case.clock_flags or []),
        "missing_items": list(case.missing_items or []),
        "handler_id": case.handler_id,
        "handler_name": case.handler.display_name if case.handler else None,
    }


def _case(request: HttpRequest, agency_id: int, pk: int) -> Application:
    agency = get_agency_for(request.user, agency_id)
    qs = Application.objects.filter(agency=agency).select_related("agency", "applicant", "handler")
    return get_object_for(request.user, qs, pk)


@router.get("/agencies/{agency_id}/applications", response=list[ApplicationOut])
def list_applications(
    request: HttpRequest, agency_id: int, show: str = "open", limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """The agency's cases with their clocks (applicants masked). ``show``: open, pending,
    due_soon (3 working days), overdue, mine, all."""
    agency = get_agency_for(request.user, agency_id)
    if show not in FILTERS and show != "mine":
        raise ValidationError(f"show 只能是 {'、'.join([*FILTERS, 'mine'])}。")
    today = timezone.localdate()
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    rows = filtered(agency, show, today, request.user)[offset : offset + limit]
    return [_out(c, today) for c in rows]


@router.post("/agencies/{agency_id}/applications", response={201: ApplicationOut})
def register_application(request: HttpRequest, agency_id: int, payload: RegisterIn) -> Any:
    """登记 from any channel (条例第二十九条、第三十一条). 登记员 or 承办人.
    Attach scans afterwards with ``POST …/attachments``."""
    agency = get_agency_for(request.user, agency_id)
    require_role(request.user, agency, *operations.REGISTER_ROLES)
    handler = None
    if payload.handler_id is not None:
        handler = User.objects.filter(pk=payload.handler_id).first()
        if handler is None:
            raise ValidationError("承办人不存在。")
    case = operations.register_application(
        request.user,
        agency,
        channel=payload.channel,
        applicant=payload.applicant.data(),
        description=payload.description,
        purpose=payload.purpose,
        medium=payload.medium,
        delivery=payload.delivery,
        submitted_on=payload.submitted_on,
        arrived_on=payload.arrived_on,
        signed_on=payload.signed_on,
        confirmed_on=payload.confirmed_on,
        confirmation_method=payload.confirmation_method,
        oral_record=payload.oral_record,
        handler=handler,
        request=request,
    )
    return Status(201, _out(case))


@router.get("/agencies/{agency_id}/applications/{pk}", response=ApplicationDetail)
def get_application(request: HttpRequest, agency_id: int, pk: int) -> dict[str, Any]:
    """One case with the statute's explanation of each due date."""
    case = _case(request, agency_id, pk)
    explanation: dict[str, list[str]] = {}
    if case.received_on is not None:
        try:
            result, _ = clock.compute(case)
            explanation = result.to_json()["explanation"]
        except StatuteError as exc:
            explanation = {"error": [str(exc)]}
    return {
        **_out(case),
        "explanation": explanation,
        "attachments": [
            {"id": a.pk, "kind": a.kind, "original_name": a.original_name, "size": a.size}
            for a in case.attachments.all()
        ],
    }


@router.post("/agencies/{agency_id}/applications/{pk}/confirm", response=ApplicationOut)
def confirm_receipt(request: HttpRequest, agency_id: int, pk: int, payload: ConfirmIn) -> Any:
    """条例第三十一条：the confirmation date becomes the receipt date."""
    case = _case(request, agency_id, pk)
    case = operations.confirm_receipt(
        request.user,
        case,
        confirmed_on=payload.confirmed_on,
        method=payload.method,
        note=payload.note,
        request=request,
    )
    return _out(case)


@router.post("/agencies/{agency_id}/applications/{pk}/assign", response=ApplicationOut)
def assign(request: HttpRequest, agency_id: int, pk: int, payload: AssignIn) -> Any:
    """Assign to a 承办人 of the agency, or transfer (负责人/登记员; the current 承办人)."""
    case = _case(request, agency_id, pk)
    handler = User.objects.filter(
        pk=payload.handler_id
    ).first()  # None: refused after the role check
    case = operations.assign_handler(
        request.user, case, handler, note=payload.note, request=request
    )
    return _out(Application.objects.select_related("applicant", "handler").get(pk=case.pk))


@router.post(
    "/agencies/{agency_id}/applications/{pk}/attachments", response={201: list[AttachmentOut]}
)
def add_attachments(
    request: HttpRequest,
    agency_id: int,
    pk: int,
    kind: Form[str] = AttachmentKind.SCAN,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """Scan in material (multipart). PDF/JPEG/PNG by content, 10 MB each."""
    case = _case(request, agency_id, pk)
    uploads = [
        operations.Upload(name=f.name or "附件", stream=f, size=f.size or 0, kind=kind)
        for f in files or []
    ]
    rows = operations.add_attachments(request.user, case, uploads, request=request)
    return Status(
        201,
        [
            {
                "id": r.pk,
                "kind": r.kind,
                "original_name": r.original_name,
                "content_type": r.content_type,
                "size": r.size,
                "sha256": r.sha256,
            }
            for r in rows
        ],
    )


@router.get("/agencies/{agency_id}/applications/{pk}/applicant", response=ApplicantOut)
def applicant(request: HttpRequest, agency_id: int, pk: int) -> dict[str, Any]:
    """The applicant's personal data (the agency's staff only; audit-logged every time)."""
    case = _case(request, agency_id, pk)
    person = operations.view_personal_data(request.user, case.applicant, request=request, via="api")
    return {
        **{f: getattr(person, f) for f in ApplicantOut.model_fields if hasattr(person, f)},
        "id": person.pk,
        "applications": list(
            Application.objects.filter(applicant=person).values_list("number", flat=True)
        ),
    }


class RegisterUpdateOut(Schema):
    changed: list[str]


@router.post(
    "/agencies/{agency_id}/applications/{pk}/applicant/register", response=RegisterUpdateOut
)
def update_register(request: HttpRequest, agency_id: int, pk: int) -> dict[str, list[str]]:
    """Copy the applicant details given on this case into the applicant register (登记员 or
    承办人; audit-logged with the changed field names). A public submission never changes
    the register by itself."""
    case = _case(request, agency_id, pk)
    return {"changed": operations.update_register(request.user, case, request=request, via="api")}


class QueryCodeOut(Schema):
    number: str
    query_code: str


@router.post("/agencies/{agency_id}/applications/{pk}/query-code", response=QueryCodeOut)
def issue_query_code(request: HttpRequest, agency_id: int, pk: int) -> dict[str, str]:
    """A new query code for the public status page (returned once; an earlier one stops
    working). 登记员 or 承办人."""
    case = _case(request, agency_id, pk)
    code = operations.issue_query_code(request.user, case, request=request)
    return {"number": case.number, "query_code": code}


@router.post("/agencies/{agency_id}/applications-recompute", response=Message)
def recompute(request: HttpRequest, agency_id: int) -> dict[str, str]:
    """Recompute every open case's clock now (after loading a holiday calendar). 管理员."""
    agency = get_agency_for(request.user, agency_id)
    require_role(request.user, agency, Role.ADMIN)
    done = clock.ensure_clocks_current(force=True, actor=request.user, request=request, via="api")
    return {"detail": f"已重新计算 {done} 件。"}


# --- public ------------------------------------------------------------------------------


@router.post(
    "/public/agencies/{slug}/applications",
    auth=None,
    response={201: PublicReceipt, 200: PublicReceipt, 429: Message},
    tags=["公众"],
)
def public_submit(request: HttpRequest, slug: str, payload: PublicSubmitIn) -> Any:
    """网上申请 without attachments (no login). Send the same ``token`` again to repeat a
    submission safely: the first case and the same query code come back (200)."""
    agency = get_object_or_404(Agency.objects.filter(is_active=True), slug=slug)
    known = Application.objects.filter(submission_token=payload.token, agency=agency).exists()
    if not known and operations.rate_limited(
        "submit",
        client_ip(request),
        _limit("XXGK_APPLY_RATE_LIMIT", SUBMIT_LIMIT_DEFAULT),
        WINDOW_SECONDS,
    ):
        return Status(429, {"detail": "本网络地址提交的申请过于频繁，请一小时后再试。"})
    result = operations.submit_online(
        agency,
        token=payload.token,
        applicant=payload.applicant.data(),
        description=payload.description,
        purpose=payload.purpose,
        medium=payload.medium,
        delivery=payload.delivery,
        request=request,
    )
    body = {
        "number": result.application.number,
        "query_code": result.query_code,
        "created": result.created,
        "submitted_at": result.application.submitted_at,
    }
    return Status(201 if result.created else 200, body)


class PublicFormIn(Schema):
    """The same fields as :class:`PublicSubmitIn`, flat, for a multipart request."""

    token: str
    kind: str
    name: str = ""
    id_type: str = "resident_id"
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    description: str
    purpose: str = ""
    medium: str
    delivery: str


@router.post(
    "/public/agencies/{slug}/applications/multipart",
    auth=None,
    response={201: PublicReceipt, 200: PublicReceipt, 429: Message},
    tags=["公众"],
)
def public_submit_multipart(
    request: HttpRequest,
    slug: str,
    payload: Form[PublicFormIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    """网上申请 with attachments (multipart/form-data; ``files``: PDF/JPEG/PNG by content,
    10 MB each, at most 5). Case and files are stored together or not at all."""
    agency = get_object_or_404(Agency.objects.filter(is_active=True), slug=slug)
    known = Application.objects.filter(submission_token=payload.token, agency=agency).exists()
    if not known and operations.rate_limited(
        "submit",
        client_ip(request),
        _limit("XXGK_APPLY_RATE_LIMIT", SUBMIT_LIMIT_DEFAULT),
        WINDOW_SECONDS,
    ):
        return Status(429, {"detail": "本网络地址提交的申请过于频繁，请一小时后再试。"})
    data = payload.dict()
    applicant = ApplicantIn(**{k: data[k] for k in ApplicantIn.model_fields})
    result = operations.submit_online(
        agency,
        token=payload.token,
        applicant=applicant.data(),
        description=payload.description,
        purpose=payload.purpose,
        medium=payload.medium,
        delivery=payload.delivery,
        uploads=[
            operations.Upload(f.name or "附件", f, f.size or 0, AttachmentKind.ID_PROOF)
            for f in files or []
        ],
        request=request,
    )
    body = {
        "number": result.application.number,
        "query_code": result.query_code,
        "created": result.created,
        "submitted_at": result.application.submitted_at,
    }
    return Status(201 if result.created else 200, body)


@router.post(
    "/public/applications/status",
    auth=None,
    response={200: StatusOut, 404: Message, 429: Message},
    tags=["公众"],
)
def public_status(request: HttpRequest, payload: StatusIn) -> Any:
    """The stage and dates of a case by tracking number + query code (no personal data)."""
    from xxgk.applications.public_views import STAGES

    case = operations.lookup_status(payload.number, payload.code)
    if case is None:
        if operations.rate_limited(
            "status",
            client_ip(request),
            _limit("XXGK_STATUS_RATE_LIMIT", STATUS_LIMIT_DEFAULT),
            WINDOW_SECONDS,
        ):
            return Status(429, {"detail": "查询失败次数过多，请一小时后再试。"})
        return Status(404, {"detail": "受理编号或查询码不正确。"})
    return {
        "number": case.number,
        "stage": STAGES.get(case.status, case.get_status_display()),
        "submitted_at": case.submitted_at,
        "received_on": case.received_on,
        "answer_due": case.effective_due,
    }


# The part-2 endpoints register on this router (imported last: they use ``router`` and ``_case``).
from xxgk.applications import workflow_api  # noqa: E402, F401
