"""Staff views of applications: lists with clocks, registration, the case, confirmation,
assignment, scanned material and the applicant's personal data.

Order in every view: the agency and the case through the scoping helpers (404), then the
role (403, inside the operations), then the method (405 by decorator). Views never save a
case themselves; they call :mod:`xxgk.applications.operations`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xxgk.accounts.models import User
from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import get_agency_for, get_object_for, has_role, require_role
from xxgk.applications import clock, operations
from xxgk.applications.forms import (
    AssignForm,
    AttachmentForm,
    ConfirmForm,
    RegisterForm,
    uploads_from,
)
from xxgk.applications.models import (
    SNAPSHOT_FIELDS,
    Applicant,
    Application,
    Attachment,
    Status,
)
from xxgk.applications.tasks import due_soon_limit
from xxgk.applications.workflow_views import workflow_context
from xxgk.statute.errors import StatuteError

FILTERS = {
    "open": "未办结",
    "pending": "待确认收到",
    "due_soon": "即将到期（3个工作日内）",
    "overdue": "已逾期",
    "all": "全部",
}


def _cases(agency: Agency) -> QuerySet[Application]:
    return Application.objects.filter(agency=agency).select_related("applicant", "handler")


def _case(request: HttpRequest, agency_id: int, pk: int) -> Application:
    agency = get_agency_for(request.user, agency_id)
    return get_object_for(request.user, _cases(agency).select_related("agency"), pk)


def _rows(cases: list[Application], today: date) -> list[dict[str, Any]]:
    cals = clock.calendars()
    rows = []
    for case in cases:
        try:
            left = clock.days_left(case.effective_due, today, cals)
        except StatuteError:
            left = None
        rows.append({"case": case, "days_left": left, "overdue": case.is_overdue(today)})
    return rows


def filtered(agency: Agency, show: str, today: date, user: Any = None) -> QuerySet[Application]:
    """The cases of a list filter (shared by the list page and the API)."""
    qs = _cases(agency)
    if show == "open":
        return qs.open().order_by("effective_due", "submitted_at")
    if show == "pending":
        return qs.filter(status=Status.PENDING).order_by("submitted_at")
    if show == "due_soon":
        return qs.due_between(today, due_soon_limit(today)).order_by("effective_due")
    if show == "overdue":
        return qs.overdue(today).order_by("effective_due")
    if show == "mine" and user is not None:
        return qs.open().filter(handler=user).order_by("effective_due")
    return qs.order_by("-submitted_at")


@login_required
@require_safe
def case_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Every case of the agency with its clock; applicants masked."""
    agency = get_agency_for(request.user, agency_id)
    show = request.GET.get("show", "open")
    if show not in FILTERS and show != "mine":
        show = "open"
    today = timezone.localdate()
    page = Paginator(filtered(agency, show, today, request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "applications/list.html",
        {
            "agency": agency,
            "rows": _rows(list(page.object_list), today),
            "page": page,
            "show": show,
            "filters": FILTERS,
            "can_register": has_role(request.user, agency, *operations.REGISTER_ROLES),
            "can_settings": has_role(request.user, agency, Role.ADMIN, Role.LEADER),
            "today": today,
        },
    )


@login_required
@require_safe
def due(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Cases overdue and due within three working days, side by side."""
    agency = get_agency_for(request.user, agency_id)
    today = timezone.localdate()
    return render(
        request,
        "applications/due.html",
        {
            "agency": agency,
            "today": today,
            "limit": due_soon_limit(today),
            "overdue": _rows(list(filtered(agency, "overdue", today)[:500]), today),
            "soon": _rows(list(filtered(agency, "due_soon", today)[:500]), today),
            "pending": _rows(list(filtered(agency, "pending", today)[:500]), today),
        },
    )


def _handlers(agency: Agency) -> list[User]:
    return list(
        User.objects.filter(
            memberships__agency=agency, memberships__role=Role.HANDLER, is_active=True
        )
        .distinct()
        .order_by("username")
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, agency_id: int) -> HttpResponse:
    """登记: an application from any channel (条例第二十九条、第三十一条)."""
    agency = get_agency_for(request.user, agency_id)
    require_role(request.user, agency, *operations.REGISTER_ROLES)
    form = RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = operations.register_application(
                request.user,
                agency,
                channel=d["channel"],
                applicant=form.applicant_data(),
                description=d["description"],
                purpose=d["purpose"],
                medium=d["medium"],
                delivery=d["delivery"],
                submitted_on=d["submitted_on"],
                arrived_on=d["arrived_on"],
                signed_on=d["signed_on"],
                confirmed_on=d["confirmed_on"],
                confirmation_method=d["confirmation_method"],
                oral_record=d["oral_record"],
                uploads=uploads_from(d["attachments"], d["attachment_kind"]),
                request=request,
            )
        except ValidationError as exc:
            form.put_errors(exc)
        else:
            messages.success(request, f"已登记，受理编号 {case.number}。")
            if case.missing_items:
                messages.warning(
                    request,
                    "申请内容缺少条例第二十九条规定的事项，建议在"
                    f"{case.correction_notice_due or '收到申请之日起7个工作日'}前"
                    "一次性告知申请人补正（条例第三十条）。",
                )
            return redirect("applications:detail", agency_id=agency.pk, pk=case.pk)
    return render(request, "applications/register.html", {"agency": agency, "form": form})


@login_required
@require_safe
def detail(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The case: its clock with the statute's explanation, applicant masked."""
    case = _case(request, agency_id, pk)
    agency = case.agency
    today = timezone.localdate()
    explanation = None
    fallback = False
    if case.received_on is not None:
        try:
            explanation, fallback = clock.compute(case)
        except StatuteError as exc:
            messages.error(request, str(exc))
    user = request.user
    can_register = has_role(user, agency, *operations.REGISTER_ROLES)
    can_assign = case.is_open and (
        has_role(user, agency, *operations.ASSIGN_ROLES)
        or (case.handler_id == user.pk and has_role(user, agency, Role.HANDLER))
    )
    return render(
        request,
        "applications/detail.html",
        {
            "agency": agency,
            "case": case,
            "applicant": case.applicant,
            "today": today,
            "days_left": clock.days_left(case.effective_due, today) if case.effective_due else None,
            "explanation": explanation,
            "receipt": clock.receipt_result(case) if case.received_on else None,
            "fallback": fallback,
            "attachments": list(case.attachments.all()),
            "can_register": can_register,
            "can_assign": can_assign,
            "can_see_personal": operations.can_see_personal_data(user, agency),
            "confirm_form": ConfirmForm(initial={"confirmed_on": today})
            if can_register and case.needs_confirmation
            else None,
            "assign_form": AssignForm(handlers=_handlers(agency)) if can_assign else None,
            "attachment_form": AttachmentForm() if can_register else None,
            **workflow_context(user, case),
        },
    )


@login_required
@require_safe
def personal_data(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """The applicant's personal data: the handling agency's staff only, audit-logged."""
    case = _case(request, agency_id, pk)
    applicant = operations.view_personal_data(request.user, case.applicant, request=request)
    repeat = (
        Application.objects.filter(applicant=applicant)
        .exclude(pk=case.pk)
        .order_by("-submitted_at")
    )
    from xxgk.statute.fees import fee_for_nth_item

    nth = operations.nth_in_month(case)
    entry = Applicant.objects.get(pk=case.applicant_id)
    register_differs = any(
        (case.applicant_snapshot or {}).get(f) and getattr(entry, f) != case.applicant_snapshot[f]
        for f in SNAPSHOT_FIELDS
    )
    response = render(
        request,
        "applications/personal.html",
        {
            "agency": case.agency,
            "case": case,
            "applicant": applicant,
            "register_differs": register_differs,
            "can_update_register": register_differs
            and has_role(request.user, case.agency, *operations.REGISTER_ROLES),
            "others": repeat[:50],
            "nth": nth,
            "nth_rate": fee_for_nth_item(nth),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _post_error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def confirm(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """条例第三十一条: record the confirmation that fixes the receipt date."""
    case = _case(request, agency_id, pk)
    require_role(request.user, case.agency, *operations.REGISTER_ROLES)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写确认日期和确认方式。")
    else:
        try:
            case = operations.confirm_receipt(
                request.user,
                case,
                confirmed_on=form.cleaned_data["confirmed_on"],
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            _post_error(request, exc)
        else:
            messages.success(request, f"已确认，收到申请之日为 {case.received_on}。")
    return redirect("applications:detail", agency_id=case.agency_id, pk=case.pk)


@login_required
@require_POST
def assign(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """Assign to a 承办人 or transfer within the agency."""
    case = _case(request, agency_id, pk)
    agency = case.agency
    if not (
        has_role(request.user, agency, *operations.ASSIGN_ROLES)
        or (case.handler_id == request.user.pk and has_role(request.user, agency, Role.HANDLER))
    ):
        raise PermissionDenied("您没有分配此案件的权限。")
    handlers = _handlers(agency)
    form = AssignForm(request.POST, handlers=handlers)
    if not form.is_valid():
        messages.error(request, "请选择本机关的承办人。")
    else:
        target = next(u for u in handlers if u.pk == form.cleaned_data["handler"])
        try:
            operations.assign_handler(
                request.user, case, target, note=form.cleaned_data["note"], request=request
            )
        except ValidationError as exc:
            _post_error(request, exc)
        else:
            messages.success(request, f"已交由 {target.display_name} 承办。")
    return redirect("applications:detail", agency_id=agency.pk, pk=case.pk)


@login_required
@require_POST
def attachments(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """Scan in material for the case."""
    case = _case(request, agency_id, pk)
    require_role(request.user, case.agency, *operations.REGISTER_ROLES)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择材料类型和文件。")
    else:
        try:
            rows = operations.add_attachments(
                request.user,
                case,
                uploads_from(form.cleaned_data["attachments"], form.cleaned_data["kind"]),
                request=request,
            )
        except ValidationError as exc:
            _post_error(request, exc)
        else:
            messages.success(request, f"已上传 {len(rows)} 个文件。")
    return redirect("applications:detail", agency_id=case.agency_id, pk=case.pk)


@login_required
@require_safe
def attachment(request: HttpRequest, agency_id: int, pk: int, attachment_id: int) -> HttpResponse:
    """Download one stored file (audit-logged as a view of personal data)."""
    case = _case(request, agency_id, pk)
    try:
        row = case.attachments.get(pk=attachment_id)
    except Attachment.DoesNotExist as exc:
        raise Http404("未找到。") from exc
    operations.open_attachment(request.user, row, request=request)
    try:
        handle = row.file.open("rb")
    except OSError as exc:
        raise Http404("文件不存在。") from exc
    response = FileResponse(handle, content_type=row.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="attachment-{row.pk}.{row.file.name.rsplit(".", 1)[-1]}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def query_code(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """Issue a query code for the status page and show it once (to pass to the applicant)."""
    case = _case(request, agency_id, pk)
    code = operations.issue_query_code(request.user, case, request=request)
    response = render(
        request,
        "applications/query_code.html",
        {"agency": case.agency, "case": case, "code": code},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def update_register(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """Copy the applicant details given on this case into the register (登记员, 承办人;
    audit-logged with the field names)."""
    case = _case(request, agency_id, pk)
    changed = operations.update_register(request.user, case, request=request)
    if changed:
        messages.success(request, f"已用本申请填写的信息更新申请人登记（{len(changed)}项）。")
    else:
        messages.info(request, "登记信息与本申请一致，无需更新。")
    return redirect("applications:personal_data", case.agency_id, case.pk)
