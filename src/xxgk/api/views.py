"""The REST API (django-ninja): the same operations as the workspace, same scoping and roles.

OpenAPI docs at ``/api/docs``. Authenticate with the browser session (send the CSRF token on
unsafe methods) or ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from xxgk.accounts import operations as account_ops
from xxgk.accounts.models import ApiToken, Membership, User
from xxgk.accounts.roles import Role
from xxgk.agencies import operations as agency_ops
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import agencies_readable_by, get_agency_for, require_role
from xxgk.api import schemas as s
from xxgk.api.auth import TokenAuth
from xxgk.api.errors import chinese_errors, chinese_http_message
from xxgk.audit.labels import action_label
from xxgk.audit.queries import events_for_agency, filter_by_action

api = NinjaAPI(
    title="xxgk 政府信息公开平台 API",
    version="1",
    description="与工作台相同的操作。认证：浏览器会话（需 CSRF）或 `Authorization: Bearer <令牌>`。",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
    urls_namespace="api",
)

ROLE_LABELS = dict(Role.choices)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "没有权限。"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "；".join(exc.messages)}, status=422)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Schema errors of every router in Chinese, per field (see xxgk.api.errors)."""
    return api.create_response(request, chinese_errors(exc.errors), status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own errors (unparseable body, no credentials, CSRF) in Chinese."""
    return api.create_response(
        request, {"detail": chinese_http_message(exc.message)}, status=exc.status_code
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "未找到。"}, status=404)


def _agency_out(a: Agency) -> dict[str, Any]:
    return {
        **{f: getattr(a, f) for f in s.AgencyOut.model_fields if hasattr(a, f)},
        "kind_label": a.get_kind_display(),
        "channels": a.accepted_channels(),
    }


def _staff_out(u: User, agency: Agency) -> dict[str, Any]:
    roles = sorted(
        m.role for m in getattr(u, "roles_here", None) or u.memberships.filter(agency=agency)
    )
    return {
        "id": u.pk,
        "username": u.username,
        "full_name": u.full_name,
        "is_active": u.is_active,
        "locked": u.is_locked(),
        "must_change_password": u.must_change_password,
        "roles": roles,
    }


def _member(agency: Agency, user_id: int) -> User:
    return get_object_or_404(User.objects.filter(memberships__agency=agency).distinct(), pk=user_id)


@api.get("/me", response=s.Me, tags=["账户"])
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    roles = [
        {
            "agency_id": m.agency_id,
            "agency_name": m.agency.name,
            "role": m.role,
            "role_label": str(ROLE_LABELS[m.role]),
        }
        for m in Membership.objects.filter(user=user).select_related("agency")
    ]
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": getattr(user, "full_name", ""),
        "totp_enabled": getattr(user, "totp_enabled", False),
        "roles": roles,
    }


@api.post("/me/password", response={204: None}, tags=["账户"])
def change_password(request: HttpRequest, payload: s.PasswordIn) -> Any:
    """Change one's own password (the same policy as the workspace, 等保2.0)."""
    user = request.user
    assert isinstance(user, User)
    if not user.check_password(payload.old_password):
        raise ValidationError("当前密码不正确。")
    account_ops.change_password(user, payload.new_password, request=request)
    if request.session.session_key:
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(request, user)
    return Status(204, None)


@api.post("/me/totp/setup", response=s.TotpSetup, tags=["账户"])
def totp_setup(request: HttpRequest) -> dict[str, str]:
    """Step 1 of turning on two-factor login: a fresh secret to enter in an authenticator
    app. Nothing is stored until step 2 (``/me/totp/enable``) proves the app shows the code."""
    import pyotp

    user = request.user
    assert isinstance(user, User)
    if user.totp_enabled:
        raise ValidationError("动态口令已启用；要更换，请先关闭。")
    secret = account_ops.start_totp(user)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="xxgk")
    return {"secret": secret, "uri": uri}


@api.post("/me/totp/enable", response={204: None}, tags=["账户"])
def totp_enable(request: HttpRequest, payload: s.TotpEnableIn) -> Any:
    """Step 2: turn two-factor login on with the secret from step 1 and a current code
    (as 我的账户 › 动态口令 in the workspace; audited as ``auth.totp_enable``)."""
    user = request.user
    assert isinstance(user, User)
    if user.totp_enabled:
        raise ValidationError("动态口令已启用。")
    if not account_ops.enable_totp(user, payload.secret, payload.code, request=request):
        raise ValidationError("动态口令不正确，请核对手机时间后重试。")
    return Status(204, None)


@api.post("/me/totp/disable", response={204: None}, tags=["账户"])
def totp_disable(request: HttpRequest, payload: s.TotpCodeIn) -> Any:
    """Turn two-factor login off; needs a current code (audited as ``auth.totp_disable``)."""
    user = request.user
    assert isinstance(user, User)
    if not user.totp_enabled:
        raise ValidationError("动态口令未启用。")
    if not account_ops.disable_totp(user, payload.code, request=request):
        raise ValidationError("动态口令不正确或已使用过。")
    return Status(204, None)


@api.get("/agencies", response=list[s.AgencyOut], tags=["机关"])
def list_agencies(request: HttpRequest) -> list[dict[str, Any]]:
    """Agencies the caller may read (own roles; a supervisor's whole subtree)."""
    return [_agency_out(a) for a in agencies_readable_by(request.user).order_by("path")]


@api.get("/agencies/{agency_id}", response=s.AgencyOut, tags=["机关"])
def get_agency(request: HttpRequest, agency_id: int) -> dict[str, Any]:
    return _agency_out(get_agency_for(request.user, agency_id))


@api.patch("/agencies/{agency_id}", response=s.AgencyOut, tags=["机关"])
def patch_agency(request: HttpRequest, agency_id: int, payload: s.AgencyPatch) -> dict[str, Any]:
    """Change the 工作机构 details (条例第十二条). 管理员 only."""
    agency = get_agency_for(request.user, agency_id)
    changes = payload.dict(exclude_unset=True)
    agency_ops.update_agency_details(request.user, agency, changes, request=request)
    return _agency_out(Agency.objects.get(pk=agency.pk))


@api.post("/agencies/{agency_id}/children", response={201: s.AgencyOut}, tags=["机关"])
def create_child_agency(request: HttpRequest, agency_id: int, payload: s.AgencyIn) -> Any:
    """Add a subordinate agency (管理员 of this agency); the caller administers it too."""
    parent = get_agency_for(request.user, agency_id)
    child = agency_ops.create_agency(request.user, parent, request=request, **payload.dict())
    return Status(201, _agency_out(child))


@api.get("/agencies/{agency_id}/staff", response=list[s.StaffOut], tags=["工作人员"])
def list_staff(request: HttpRequest, agency_id: int) -> list[dict[str, Any]]:
    agency = get_agency_for(request.user, agency_id)
    users = User.objects.filter(memberships__agency=agency).distinct().order_by("username")
    return [_staff_out(u, agency) for u in users]


@api.post(
    "/agencies/{agency_id}/staff",
    response={201: s.OneTimePassword},
    tags=["工作人员"],
)
def create_staff(request: HttpRequest, agency_id: int, payload: s.StaffIn) -> Any:
    """Create a user with roles here (管理员). The one-time password is returned once."""
    agency = get_agency_for(request.user, agency_id)
    require_role(request.user, agency, Role.ADMIN)
    if User.objects.filter(username__iexact=payload.username).exists():
        raise ValidationError("该用户名已被使用。")
    user, password = account_ops.create_staff_user(
        request.user,
        agency,
        username=payload.username,
        full_name=payload.full_name,
        roles=payload.roles,
        request=request,
    )
    return Status(201, {"user": _staff_out(user, agency), "one_time_password": password})


@api.put("/agencies/{agency_id}/staff/{user_id}/roles", response=s.StaffOut, tags=["工作人员"])
def put_roles(request: HttpRequest, agency_id: int, user_id: int, payload: s.RolesIn) -> Any:
    agency = get_agency_for(request.user, agency_id)
    member = _member(agency, user_id)
    account_ops.set_roles(request.user, agency, member, payload.roles, request=request)
    return _staff_out(member, agency)


@api.post(
    "/agencies/{agency_id}/staff/{user_id}/reset-password",
    response=s.OneTimePassword,
    tags=["工作人员"],
)
def reset_password(request: HttpRequest, agency_id: int, user_id: int) -> Any:
    agency = get_agency_for(request.user, agency_id)
    member = _member(agency, user_id)
    password = account_ops.reset_password(request.user, agency, member, request=request)
    return {"user": _staff_out(member, agency), "one_time_password": password}


@api.post("/agencies/{agency_id}/staff/{user_id}/unlock", response=s.StaffOut, tags=["工作人员"])
def unlock(request: HttpRequest, agency_id: int, user_id: int) -> Any:
    agency = get_agency_for(request.user, agency_id)
    member = _member(agency, user_id)
    account_ops.unlock_user(request.user, agency, member, request=request)
    return _staff_out(member, agency)


@api.put("/agencies/{agency_id}/staff/{user_id}/active", response=s.StaffOut, tags=["工作人员"])
def put_active(request: HttpRequest, agency_id: int, user_id: int, payload: s.ActiveIn) -> Any:
    """Deactivate (false) or reactivate (true) an account."""
    agency = get_agency_for(request.user, agency_id)
    member = _member(agency, user_id)
    account_ops.set_active(request.user, agency, member, payload.active, request=request)
    return _staff_out(member, agency)


@api.get("/agencies/{agency_id}/audit", response=list[s.AuditOut], tags=["审计日志"])
def audit_log(
    request: HttpRequest, agency_id: int, action: str = "", limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """The agency's audit log, newest first (管理员). ``action``: a code (``auth.login``), an
    area (``auth.``) or words of the Chinese name (``登录``), as in the workspace."""
    agency = get_agency_for(request.user, agency_id)
    require_role(request.user, agency, Role.ADMIN)
    events = filter_by_action(events_for_agency(agency), action)
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    return [
        {
            "id": e.pk,
            "at": e.at,
            "actor": e.actor_label,
            "action": e.action,
            "action_label": action_label(e.action),
            "target_type": e.target_type,
            "target_id": e.target_id,
            "target": e.target_label,
            "ip_address": e.ip_address,
            "details": e.details,
        }
        for e in events[offset : offset + limit]
    ]


def _token_out(t: ApiToken) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "hint": t.key_hint,
        "created_at": t.created_at,
        "last_used_at": t.last_used_at,
    }


@api.get("/tokens", response=list[s.TokenOut], tags=["账户"])
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _token_out(t) for t in ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    ]


@api.post("/tokens", response={201: s.TokenCreated}, tags=["账户"])
def create_token(request: HttpRequest, payload: s.TokenIn) -> Any:
    """A new token for the caller; the key is returned once and never stored in clear."""
    token, key = account_ops.issue_token(request.user, payload.name, request=request)  # type: ignore[arg-type]
    return Status(201, {**_token_out(token), "key": key})


@api.delete("/tokens/{token_id}", response={204: None}, tags=["账户"])
def delete_token(request: HttpRequest, token_id: int) -> Any:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked_at__isnull=True)
    account_ops.revoke_token(request.user, token, request=request)  # type: ignore[arg-type]
    return Status(204, None)


# --- area routers ---------------------------------------------------------------------------
from xxgk.applications.api import router as applications_router  # noqa: E402

api.add_router("/", applications_router)

from xxgk.ledger.rest import router as ledger_router  # noqa: E402
from xxgk.letters.rest import router as letters_router  # noqa: E402

api.add_router("/", letters_router)
api.add_router("/", ledger_router)
