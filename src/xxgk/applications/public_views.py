"""The public online application (网上申请) and status lookup under an agency's portal page.

* The form carries a one-time token: submitting it twice (double click, reload, a retry
  after a lost response) shows the same tracking number and query code; nothing is stored
  twice (:func:`xxgk.applications.operations.submit_online`).
* The tracking number and query code are shown at once; only the code's hash is stored.
* Per-address rate limits (a table, no third-party service) and a honeypot field.
* Nothing personal is ever shown back except on the receipt page the applicant just
  submitted (their name is not repeated there either); the status page shows the stage and
  dates only.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from xxgk.agencies.models import Agency
from xxgk.applications import operations
from xxgk.applications.conf import int_setting
from xxgk.applications.forms import PublicApplicationForm, StatusForm, uploads_from
from xxgk.applications.mail import writes_to_files
from xxgk.applications.models import AttachmentKind, Status
from xxgk.audit import client_ip

log = logging.getLogger(__name__)

#: Submissions per address per hour (``XXGK_APPLY_RATE_LIMIT``, 0 = off) and failed status
#: lookups per address per hour (``XXGK_STATUS_RATE_LIMIT``).
SUBMIT_LIMIT_DEFAULT = 10
STATUS_LIMIT_DEFAULT = 30
WINDOW_SECONDS = 3600
#: The answer to a filled-in honeypot field: says nothing about the field.
HONEYPOT_MESSAGE = "提交未被接受，请刷新页面后重新填写提交，或当面、邮寄提交申请。"
#: A request body above this is refused before it is read (5 files × 10 MB plus the form).
MAX_BODY_BYTES = 52 * 1024 * 1024


def _agency(slug: str) -> Agency:
    return get_object_or_404(Agency.objects.filter(is_active=True), slug=slug)


def _limit(name: str, default: int) -> int:
    return int_setting(name, default)


def _render_form(
    request: HttpRequest,
    agency: Agency,
    form: PublicApplicationForm,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    return render(
        request,
        "applications/public_form.html",
        {
            "agency": agency,
            "form": form,
            "error": error,
            "online": "online" in agency.accepted_channels(),
        },
        status=status,
    )


def _blank_form() -> PublicApplicationForm:
    return PublicApplicationForm(initial={"token": operations.new_submission_token()})


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """条例第二十九条：the online application form of one agency."""
    agency = _agency(slug)
    if request.method != "POST":
        return _render_form(request, agency, _blank_form())

    try:
        too_big = int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        too_big = True
    if too_big:
        return _render_form(
            request,
            agency,
            _blank_form(),
            status=413,
            error="提交的内容过大：附件单个不超过10MB，最多5个。本次提交未被保存。",
        )

    form = PublicApplicationForm(request.POST, request.FILES)
    if request.POST.get("website"):
        # The honeypot: a neutral answer that does not name the field, and the hit counts
        # against the address's submission limit like any other POST.
        limited = operations.rate_limited(
            "submit",
            client_ip(request),
            _limit("XXGK_APPLY_RATE_LIMIT", SUBMIT_LIMIT_DEFAULT),
            WINDOW_SECONDS,
        )
        return _render_form(
            request,
            agency,
            _blank_form(),
            status=429 if limited else 400,
            error=HONEYPOT_MESSAGE,
        )
    token = request.POST.get("token", "")
    known = operations.Application.objects.filter(submission_token=token, agency=agency).first()
    if known is None and operations.rate_limited(
        "submit",
        client_ip(request),
        _limit("XXGK_APPLY_RATE_LIMIT", SUBMIT_LIMIT_DEFAULT),
        WINDOW_SECONDS,
    ):
        form.add_error(None, "本网络地址提交的申请过于频繁，请一小时后再试，或当面、邮寄提交。")
        return _render_form(request, agency, form, status=429)
    if not form.is_valid() and known is None:
        form.add_error(None, "请按提示修改后重新提交；本次提交未被保存。")
        return _render_form(request, agency, form, status=400)
    d = form.cleaned_data if known is None else {}
    try:
        result = operations.submit_online(
            agency,
            token=token,
            applicant=form.applicant_data() if known is None else None,  # type: ignore[arg-type]
            description=d.get("description", ""),
            purpose=d.get("purpose", ""),
            medium=d.get("medium", ""),
            delivery=d.get("delivery", ""),
            uploads=uploads_from(d.get("attachments", []), AttachmentKind.ID_PROOF),
            request=request,
        )
    except ValidationError as exc:
        form.put_errors(exc)
        form.add_error(None, "请按提示修改后重新提交；本次提交未被保存。")
        return _render_form(request, agency, form, status=400)
    emailed = None
    if result.created and d.get("send_email") and d.get("email"):
        emailed = _send_receipt(agency, result, d["email"])
    response = render(
        request,
        "applications/public_done.html",
        {
            "agency": agency,
            "case": result.application,
            "code": result.query_code,
            "created": result.created,
            "emailed": emailed,
            "mail_to_files": writes_to_files(settings.EMAIL_BACKEND),
        },
        status=201 if result.created else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


def _send_receipt(agency: Agency, result: operations.Submission, address: str) -> bool:
    """E-mail the tracking number and query code (Django's mail backend). False on failure:
    the page shows both anyway."""
    text = (
        f"您向{agency.name}提交的政府信息公开申请已收到。\n"
        f"受理编号：{result.application.number}\n查询码：{result.query_code}\n"
        "请妥善保存。收到申请之日以双方确认之日为准（《政府信息公开条例》第三十一条）。"
    )
    try:
        send_mail(f"政府信息公开申请受理编号 {result.application.number}", text, None, [address])
    except Exception as exc:
        log.warning("applications: receipt e-mail failed (%s)", exc.__class__.__name__)
        return False
    return True


STAGES = {
    Status.PENDING: "已提交，等待工作机构与您确认（确认之日为收到申请之日）",
    Status.OPEN: "已受理，正在办理",
    Status.CORRECTION: "已告知补正，等待您补正申请（补正后答复期限重新计算）",
    Status.FEE: "已发出收费通知，等待缴费",
    Status.CLOSED: "已办结",
}


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status(request: HttpRequest, slug: str) -> HttpResponse:
    """The stage and dates of a case by tracking number + query code (POST keeps the code out
    of addresses and logs)."""
    agency = _agency(slug)
    form = StatusForm(request.POST or None)
    context: dict[str, Any] = {"agency": agency, "form": form}
    code = 200
    if request.method == "POST" and form.is_valid():
        case = operations.lookup_status(form.cleaned_data["number"], form.cleaned_data["code"])
        if case is not None and case.agency_id != agency.pk:
            case = None
        if case is None:
            if operations.rate_limited(
                "status",
                client_ip(request),
                _limit("XXGK_STATUS_RATE_LIMIT", STATUS_LIMIT_DEFAULT),
                WINDOW_SECONDS,
            ):
                form.add_error(None, "查询失败次数过多，请一小时后再试。")
                code = 429
            else:
                form.add_error(None, "受理编号或查询码不正确。")
                code = 404
        else:
            context.update(case=case, stage=STAGES.get(case.status, case.get_status_display()))
            context["today"] = timezone.localdate()
    response = render(request, "applications/public_status.html", context, status=code)
    response["Cache-Control"] = "no-store"
    return response
