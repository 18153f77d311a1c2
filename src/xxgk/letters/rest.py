"""Letters in the REST API (django-ninja router mounted by ``xxgk.api.views``; tag 文书).

Same operations, scoping (404) and roles (403) as the pages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from xxgk.agencies.scoping import get_agency_for, get_object_for
from xxgk.letters import operations
from xxgk.letters.models import Letter

router = Router(tags=["文书"])


class LetterOut(Schema):
    id: int
    application_id: int
    kind: str
    variant: str
    status: str
    title: str
    addressee: str
    body: str
    articles: list[str]
    remedy: str
    closing: str
    signer: str
    note: str
    number: str
    dated: str | None
    docx_sha256: str
    pdf_sha256: str
    warnings: list[str]
    notes: list[str]


class DraftIn(Schema):
    application_id: int
    kind: str
    consultation_id: int | None = None
    regenerate: bool = False


class LetterPatch(Schema):
    title: str | None = None
    addressee: str | None = None
    body: str | None = None
    articles: list[str] | None = None
    closing: str | None = None
    signer: str | None = None
    note: str | None = None


class IssueIn(Schema):
    dated: date | None = None


def _out(letter: Letter) -> dict[str, Any]:
    data = {f: getattr(letter, f) for f in LetterOut.model_fields if hasattr(letter, f)}
    data["dated"] = letter.dated.isoformat() if letter.dated else None
    data["warnings"] = operations.letter_warnings(letter)
    data["notes"] = operations.letter_notes(letter)
    return data


def _letter(request: HttpRequest, agency_id: int, letter_id: int) -> Letter:
    agency = get_agency_for(request.user, agency_id)
    return get_object_for(request.user, Letter.objects.filter(agency=agency), letter_id)


@router.post("/agencies/{agency_id}/letters", response={201: LetterOut})
def draft(request: HttpRequest, agency_id: int, payload: DraftIn) -> Status:
    """Draft a letter of a case (``draft_letter``); an existing draft is returned unless
    ``regenerate``."""
    from xxgk.applications.models import Application, Consultation

    agency = get_agency_for(request.user, agency_id)
    case = get_object_for(
        request.user, Application.objects.filter(agency=agency), payload.application_id
    )
    consultation = None
    if payload.consultation_id is not None:
        consultation = get_object_for(
            request.user,
            Consultation.objects.filter(application=case),
            payload.consultation_id,
        )
    letter = operations.draft_letter(
        case,
        payload.kind,
        actor=request.user,
        consultation=consultation,
        regenerate=payload.regenerate,
        request=request,
    )
    return Status(201, _out(letter))


@router.get("/agencies/{agency_id}/letters/{letter_id}", response=LetterOut)
def read(request: HttpRequest, agency_id: int, letter_id: int) -> dict[str, Any]:
    """A letter with its warnings."""
    return _out(_letter(request, agency_id, letter_id))


@router.patch("/agencies/{agency_id}/letters/{letter_id}", response=LetterOut)
def edit(
    request: HttpRequest, agency_id: int, letter_id: int, payload: LetterPatch
) -> dict[str, Any]:
    """Edit a draft (``update_letter``); 422 once issued."""
    letter = _letter(request, agency_id, letter_id)
    changes = {k: v for k, v in payload.dict().items() if v is not None}
    operations.update_letter(letter, actor=request.user, request=request, **changes)
    return _out(letter)


@router.post("/agencies/{agency_id}/letters/{letter_id}/issue", response=LetterOut)
def issue(request: HttpRequest, agency_id: int, letter_id: int, payload: IssueIn) -> dict[str, Any]:
    """签发 a notice (``issue_notice``): 文号, 成文日期 ``dated`` (default today), files frozen,
    audited. 403 without the role; 422 for a reply, an issued letter or a blocking warning."""
    letter = _letter(request, agency_id, letter_id)
    operations.issue_notice(letter, actor=request.user, on=payload.dated, request=request)
    return _out(letter)


@router.get("/agencies/{agency_id}/letters/{letter_id}/docx", response={200: None})
def docx_file(request: HttpRequest, agency_id: int, letter_id: int) -> HttpResponse:
    """The DOCX (kept file once issued; a preview of a draft)."""
    letter = _letter(request, agency_id, letter_id)
    return HttpResponse(
        operations.render_docx(letter),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@router.get("/agencies/{agency_id}/letters/{letter_id}/pdf", response={200: None})
def pdf_file(request: HttpRequest, agency_id: int, letter_id: int) -> HttpResponse:
    """The PDF (kept file once issued; a preview of a draft)."""
    letter = _letter(request, agency_id, letter_id)
    return HttpResponse(operations.render_pdf(letter), content_type="application/pdf")
