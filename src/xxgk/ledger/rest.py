"""The ledger in the REST API (django-ninja router mounted by ``xxgk.api.views``; tag 台账)."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from xxgk.agencies.scoping import get_agency_for
from xxgk.ledger.operations import export_ledger, import_ledger

router = Router(tags=["台账"])
MAX_UPLOAD = 10 * 1024 * 1024


class ProblemOut(Schema):
    sheet: str
    row: int
    column: str
    message: str
    blocking: bool


class ReportOut(Schema):
    ok: bool
    dry_run: bool
    rows: int
    valid_rows: int
    created: int
    mapping: dict[str, dict[str, str]]
    unmapped: dict[str, list[str]]
    problems: list[ProblemOut]
    lines: list[str]


@router.get("/agencies/{agency_id}/ledger.xlsx", response={200: None})
def export(
    request: HttpRequest, agency_id: int, year: int | None = None, personal_data: bool = False
) -> HttpResponse:
    """The ledger as XLSX (one sheet per year of receipt); contact data masked unless
    ``personal_data`` (the agency's own staff; audit-logged)."""
    agency = get_agency_for(request.user, agency_id)
    data = export_ledger(
        request.user, agency, year=year, personal_data=personal_data, request=request
    )
    return HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@router.post("/agencies/{agency_id}/ledger/import", response={200: ReportOut, 422: ReportOut})
def import_(
    request: HttpRequest,
    agency_id: int,
    file: File[UploadedFile],
    mapping: Form[str] = "{}",
    commit: Form[bool] = False,
) -> Status:
    """Check (default) or import an Excel ledger. ``mapping``: JSON object {header: column
    key or ""}. 200 when every row is valid; 422 with the row-by-row report otherwise
    (nothing written)."""
    agency = get_agency_for(request.user, agency_id)
    try:
        parsed = json.loads(mapping or "{}")
    except json.JSONDecodeError:
        raise ValidationError("mapping 须为 JSON 对象。") from None
    if not isinstance(parsed, dict):
        raise ValidationError("mapping 须为 JSON 对象。")
    if (file.size or 0) > MAX_UPLOAD:
        raise ValidationError("文件超过10MB。")
    report = import_ledger(
        request.user,
        agency,
        file.read(),
        mapping={str(k): str(v) for k, v in parsed.items()},
        dry_run=not commit,
        request=request,
    )
    body = {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "rows": report.rows,
        "valid_rows": report.valid_rows,
        "created": report.created,
        "mapping": report.mapping,
        "unmapped": report.unmapped,
        "problems": [p.__dict__ for p in report.problems],
        "lines": report.lines(),
    }
    return Status(200 if report.ok else 422, body)
