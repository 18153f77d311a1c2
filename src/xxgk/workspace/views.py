"""The staff workspace: agencies the user can read, their details, staff and audit log.

Every view reaches its agency through :mod:`xxgk.agencies.scoping` (another agency is a 404),
checks the role (403), and changes state only through named operations (audited).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xxgk.accounts import operations as account_ops
from xxgk.accounts.models import ApiToken, Membership, User
from xxgk.accounts.roles import Role
from xxgk.agencies import operations as agency_ops
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import (
    agencies_readable_by,
    get_agency_for,
    require_role,
    roles_at,
    viewing_roles,
)
from xxgk.audit.labels import action_label, area_label, detail_items
from xxgk.audit.queries import events_for_agency, filter_by_action
from xxgk.workspace import forms
from xxgk.workspace.registry import sections_for

ROLE_LABELS = dict(Role.choices)


def _role_labels(roles: set[str]) -> list[str]:
    return [str(ROLE_LABELS[r]) for r in Role.values if r in roles]


def _cards(user: Any, agency: Agency) -> list[dict[str, Any]]:
    roles = viewing_roles(user, agency)
    cards = []
    for section in sections_for(roles):
        url = section.url_for(agency)
        if url is None:
            continue
        badge = section.badge(user, agency) if section.badge else None
        cards.append({"section": section, "url": url, "badge": badge})
    return cards


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Every agency the user can read, with the sections their roles open there."""
    agencies = list(agencies_readable_by(request.user).order_by("path", "sort_order"))
    entries = [
        {
            "agency": a,
            "roles": _role_labels(viewing_roles(request.user, a)),
            "cards": _cards(request.user, a),
        }
        for a in agencies
    ]
    return render(request, "workspace/home.html", {"entries": entries})


@login_required
@require_safe
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_agency_for(request.user, agency_id)
    return render(
        request,
        "workspace/agency_detail.html",
        {
            "agency": agency,
            "roles": _role_labels(viewing_roles(request.user, agency)),
            "cards": _cards(request.user, agency),
            "is_admin": Role.ADMIN in roles_at(request.user, agency),
            "children": agencies_readable_by(request.user).filter(parent=agency),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Edit the 工作机构 details that feed the 指南 (条例第十二条). 管理员 only."""
    agency = get_agency_for(request.user, agency_id)
    require_role(request.user, agency, Role.ADMIN)
    form = forms.AgencyDetailsForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            changed = agency_ops.update_agency_details(
                request.user, agency, changes, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存。" if changed else "没有改动。")
            return redirect("workspace:agency", agency_id=agency.pk)
    return render(request, "workspace/agency_edit.html", {"agency": agency, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_new(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Add a subordinate agency (管理员 of this agency); the creator administers it too."""
    parent = get_agency_for(request.user, agency_id)
    require_role(request.user, parent, Role.ADMIN)
    form = forms.NewAgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = agency_ops.create_agency(
                request.user, parent, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已添加 {child.name}。请为其创建管理员和工作人员。")
            return redirect("workspace:agency", agency_id=child.pk)
    return render(request, "workspace/agency_new.html", {"agency": parent, "form": form})


def _staff(agency: Agency) -> Any:
    return (
        User.objects.filter(memberships__agency=agency)
        .distinct()
        .order_by("username")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(agency=agency),
                to_attr="roles_here",
            )
        )
    )


@login_required
@require_safe
def staff_list(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_agency_for(request.user, agency_id)
    rows = [
        {"user": u, "roles": _role_labels({m.role for m in u.roles_here})} for u in _staff(agency)
    ]
    return render(
        request,
        "workspace/staff_list.html",
        {"agency": agency, "rows": rows, "is_admin": Role.ADMIN in roles_at(request.user, agency)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_new(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_agency_for(request.user, agency_id)
    require_role(request.user, agency, Role.ADMIN)
    form = forms.NewStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = account_ops.create_staff_user(
                request.user,
                agency,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                roles=form.cleaned_data["roles"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request,
                "workspace/one_time_password.html",
                {"agency": agency, "member": user, "password": password},
            )
    return render(request, "workspace/staff_new.html", {"agency": agency, "form": form})


def _member(agency: Agency, user_id: int) -> User:
    return get_object_or_404(_staff(agency), pk=user_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_detail(request: HttpRequest, agency_id: int, user_id: int) -> HttpResponse:
    agency = get_agency_for(request.user, agency_id)
    member = _member(agency, user_id)
    require_role(request.user, agency, Role.ADMIN)
    current = sorted(roles_at(member, agency))
    form = forms.RolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            account_ops.set_roles(
                request.user, agency, member, form.cleaned_data["roles"], request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "角色已更新。")
            return redirect("workspace:staff", agency_id=agency.pk)
    return render(
        request,
        "workspace/staff_detail.html",
        {"agency": agency, "member": member, "form": form},
    )


@login_required
@require_POST
def staff_reset_password(request: HttpRequest, agency_id: int, user_id: int) -> HttpResponse:
    agency = get_agency_for(request.user, agency_id)
    member = _member(agency, user_id)
    password = account_ops.reset_password(request.user, agency, member, request=request)
    return render(
        request,
        "workspace/one_time_password.html",
        {"agency": agency, "member": member, "password": password},
    )


@login_required
@require_POST
def staff_unlock(request: HttpRequest, agency_id: int, user_id: int) -> HttpResponse:
    agency = get_agency_for(request.user, agency_id)
    member = _member(agency, user_id)
    account_ops.unlock_user(request.user, agency, member, request=request)
    messages.success(request, f"已解除 {member.display_name} 的登录锁定。")
    return redirect("workspace:staff_detail", agency_id=agency.pk, user_id=member.pk)


@login_required
@require_POST
def staff_active(request: HttpRequest, agency_id: int, user_id: int) -> HttpResponse:
    """Deactivate or reactivate an account (form field ``active`` = "1" or "0")."""
    agency = get_agency_for(request.user, agency_id)
    member = _member(agency, user_id)
    active = request.POST.get("active") == "1"
    try:
        account_ops.set_active(request.user, agency, member, active, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, f"已{'启用' if active else '停用'} {member.display_name} 的账户。"
        )
    return redirect("workspace:staff_detail", agency_id=agency.pk, user_id=member.pk)


@login_required
@require_safe
def audit_log(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The agency's audit log, newest first. 管理员 only; filtering and paging through htmx."""
    agency = get_agency_for(request.user, agency_id)
    require_role(request.user, agency, Role.ADMIN)
    form = forms.AuditFilterForm(request.GET or None)
    events = events_for_agency(agency)
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = filter_by_action(events, form.cleaned_data["action"])
        if form.cleaned_data["actor"]:
            events = events.filter(actor_label__icontains=form.cleaned_data["actor"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "event": e,
            "label": action_label(e.action),
            "area": area_label(e.action),
            "details": detail_items(e.details),
        }
        for e in page
    ]
    query = {k: form.data.get(k, "") for k in ("action", "actor")} if form.is_bound else {}
    context = {
        "agency": agency,
        "form": form,
        "page": page,
        "rows": rows,
        "query": urlencode({k: v for k, v in query.items() if v}),
    }
    template = (
        "workspace/audit_rows.html" if request.headers.get("HX-Request") else "workspace/audit.html"
    )
    return render(request, template, context)


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    """The user's own account: roles, two-factor, API tokens."""
    user = request.user
    memberships = Membership.objects.filter(user=user).select_related("agency")
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    return render(
        request,
        "workspace/account.html",
        {"memberships": memberships, "tokens": tokens, "token_form": forms.TokenForm()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_totp(request: HttpRequest) -> HttpResponse:
    """Turn two-factor login (TOTP, e.g. an authenticator app) on or off."""
    user = request.user
    assert isinstance(user, User)
    import pyotp

    from xxgk.accounts.forms import CodeForm

    form = CodeForm(request.POST or None)
    if user.totp_enabled:
        if request.method == "POST" and form.is_valid():
            if account_ops.disable_totp(user, form.cleaned_data["code"], request=request):
                messages.success(request, "已关闭动态口令。")
                return redirect("workspace:account")
            form.add_error("code", "动态口令不正确。")
        return render(request, "workspace/totp_disable.html", {"form": form})
    secret = request.session.get("xxgk_totp_setup") or account_ops.start_totp(user)
    request.session["xxgk_totp_setup"] = secret
    if request.method == "POST" and form.is_valid():
        if account_ops.enable_totp(user, secret, form.cleaned_data["code"], request=request):
            request.session.pop("xxgk_totp_setup", None)
            messages.success(request, "已启用动态口令，下次登录时需要输入。")
            return redirect("workspace:account")
        form.add_error("code", "动态口令不正确，请核对手机时间后重试。")
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="xxgk")
    return render(
        request, "workspace/totp_setup.html", {"form": form, "secret": secret, "uri": uri}
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = forms.TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写令牌名称（不超过60个字）。")
        return redirect("workspace:account")
    token, key = account_ops.issue_token(user, form.cleaned_data["name"], request=request)
    return render(request, "workspace/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    token = get_object_or_404(ApiToken, pk=token_id, user=user)
    account_ops.revoke_token(user, token, request=request)
    messages.success(request, f"已撤销令牌“{token.name}”。")
    return redirect("workspace:account")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)
