"""Named operations on users: permission-checked and audited. Views and the API call these."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyotp
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from xxgk import audit
from xxgk.accounts.models import ApiToken, Membership, User
from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import forget_grants, require_role
from xxgk.security.passwords import generate_password, remember_password


def _clean_roles(roles: Iterable[str]) -> list[str]:
    chosen = sorted(set(roles))
    unknown = [r for r in chosen if r not in Role.values]
    if unknown:
        raise ValidationError(f"未知的角色：{'、'.join(unknown)}")
    return chosen


def create_staff_user(
    actor: Any,
    agency: Agency,
    *,
    username: str,
    full_name: str,
    roles: Iterable[str],
    request: HttpRequest | None = None,
) -> tuple[User, str]:
    """Create a user with roles at ``agency`` (管理员 only). Returns the user and a one-time
    password, which must be changed at first login and is never stored in clear."""
    require_role(actor, agency, Role.ADMIN)
    chosen = _clean_roles(roles)
    if not chosen:
        raise ValidationError("请至少选择一个角色。")
    username = username.strip()
    user = User(username=username, full_name=full_name.strip(), must_change_password=True)
    user.full_clean(exclude=["password"])
    password = generate_password()
    user.set_password(password)
    with transaction.atomic():
        user.save()
        Membership.objects.bulk_create(
            [Membership(user=user, agency=agency, role=r) for r in chosen]
        )
        audit.record(actor, "user.create", user, request=request, agency=agency, roles=chosen)
    return user, password


def set_roles(
    actor: Any,
    agency: Agency,
    user: User,
    roles: Iterable[str],
    *,
    request: HttpRequest | None = None,
) -> list[str]:
    """Replace the roles ``user`` holds at ``agency`` (管理员 only). Returns the new roles.

    An administrator cannot take the 管理员 role away from themselves, so an agency is never
    left without one by accident.
    """
    require_role(actor, agency, Role.ADMIN)
    chosen = _clean_roles(roles)
    if user.pk == actor.pk and Role.ADMIN not in chosen:
        raise ValidationError("不能取消自己的管理员角色。")
    with transaction.atomic():
        current = set(
            Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True)
        )
        if current == set(chosen):
            return chosen
        Membership.objects.filter(user=user, agency=agency).exclude(role__in=chosen).delete()
        Membership.objects.bulk_create(
            [Membership(user=user, agency=agency, role=r) for r in chosen if r not in current]
        )
        audit.record(
            actor,
            "user.set_roles",
            user,
            request=request,
            agency=agency,
            old=sorted(current),
            new=chosen,
        )
    forget_grants(user)
    return chosen


def _require_manages(actor: Any, agency: Agency, user: User) -> None:
    """管理员 at ``agency`` and at every agency where ``user`` holds a role.

    An office's administrator must not take over, by resetting a password, an account that
    also holds roles elsewhere (say, the district's supervisor).
    """
    require_role(actor, agency, Role.ADMIN)
    theirs = set(Membership.objects.filter(user=user).values_list("agency_id", flat=True))
    mine = set(
        Membership.objects.filter(user=actor, role=Role.ADMIN).values_list("agency_id", flat=True)
    )
    if not theirs <= mine:
        raise PermissionDenied("该用户在其他机关也有角色，请由相应机关的管理员处理。")


def reset_password(
    actor: Any, agency: Agency, user: User, *, request: HttpRequest | None = None
) -> str:
    """Give ``user`` a new one-time password (管理员 of every agency where the user works)."""
    _require_manages(actor, agency, user)
    password = generate_password()
    old = user.password
    user.set_password(password)
    user.must_change_password = True
    user.failed_login_count = 0
    user.locked_until = None
    with transaction.atomic():
        user.save(
            update_fields=[
                "password",
                "password_changed_at",
                "must_change_password",
                "failed_login_count",
                "locked_until",
            ]
        )
        remember_password(user, old)
        audit.record(actor, "user.reset_password", user, request=request, agency=agency)
    return password


def unlock_user(
    actor: Any, agency: Agency, user: User, *, request: HttpRequest | None = None
) -> None:
    """Lift a login lockout (管理员 of every agency where the user works)."""
    _require_manages(actor, agency, user)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        audit.record(actor, "user.unlock", user, request=request, agency=agency)
    user.failed_login_count = 0
    user.locked_until = None


def set_active(
    actor: Any, agency: Agency, user: User, active: bool, *, request: HttpRequest | None = None
) -> None:
    """Deactivate (someone left) or reactivate an account; 管理员 of every agency where the
    user works. Accounts are deactivated, never deleted, so history keeps its names."""
    _require_manages(actor, agency, user)
    if user.pk == actor.pk and not active:
        raise ValidationError("不能停用自己的账户。")
    if user.is_active == active:
        return
    user.is_active = active
    with transaction.atomic():
        user.save(update_fields=["is_active"])
        audit.record(
            actor,
            "user.activate" if active else "user.deactivate",
            user,
            request=request,
            agency=agency,
        )


def change_password(user: User, new_password: str, *, request: HttpRequest | None = None) -> None:
    """The user's own password change; validates the policy (等保2.0) and keeps the history."""
    password_validation.validate_password(new_password, user)
    old = user.password
    user.set_password(new_password)
    user.must_change_password = False
    with transaction.atomic():
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        remember_password(user, old)
        audit.record(user, "auth.password_change", user, request=request)


def start_totp(user: User) -> str:
    """A fresh secret for the set-up page (not yet enabled)."""
    return pyotp.random_base32()


def verify_totp(user: User, code: str, secret: str | None = None) -> bool:
    """Check a 6-digit code against the user's secret; each code is accepted once."""
    secret = secret or user.totp_secret
    code = (code or "").strip().replace(" ", "")
    if not secret or not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    step = totp.timecode(now)
    for candidate in (step, step - 1, step + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(candidate), code):
            if user.totp_last_step is not None and candidate <= user.totp_last_step:
                return False
            User.objects.filter(pk=user.pk).update(totp_last_step=candidate)
            user.totp_last_step = candidate
            return True
    return False


def enable_totp(user: User, secret: str, code: str, *, request: HttpRequest | None = None) -> bool:
    """Turn on two-factor login once the user proved their app shows the right code."""
    if not verify_totp(user, code, secret):
        return False
    user.totp_secret = secret
    user.totp_enabled = True
    with transaction.atomic():
        user.save(update_fields=["totp_secret", "totp_enabled"])
        audit.record(user, "auth.totp_enable", user, request=request)
    return True


def disable_totp(user: User, code: str, *, request: HttpRequest | None = None) -> bool:
    """Turn off two-factor login; needs a current code."""
    if not user.totp_enabled or not verify_totp(user, code):
        return False
    user.totp_secret = ""
    user.totp_enabled = False
    with transaction.atomic():
        user.save(update_fields=["totp_secret", "totp_enabled"])
        audit.record(user, "auth.totp_disable", user, request=request)
    return True


def issue_token(
    user: User, name: str, *, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new API token for the user's own use; the key is shown once."""
    name = name.strip()
    if not name:
        raise ValidationError("请填写令牌名称。")
    if len(name) > 60:
        raise ValidationError("令牌名称不能超过60个字。")
    with transaction.atomic():
        token, key = ApiToken.issue(user, name)
        audit.record(user, "token.create", token, request=request)
    return token, key


def revoke_token(user: User, token: ApiToken, *, request: HttpRequest | None = None) -> None:
    """Revoke one of the user's own tokens."""
    if token.user_id != user.pk:
        raise PermissionDenied("只能撤销自己的令牌。")
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    with transaction.atomic():
        token.save(update_fields=["revoked_at"])
        audit.record(user, "token.revoke", token, request=request)
