"""Login with lockout: after repeated failures an account is locked for a while (等保2.0 登录失败处理)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone


class AccountLocked(PermissionDenied):
    """The account is locked after too many failed logins."""

    def __init__(self, until: Any) -> None:
        super().__init__("账户已锁定")
        self.until = until


class LockoutBackend(ModelBackend):
    """ModelBackend that counts failures per account and refuses locked accounts.

    A locked account is refused even with the right password, so guessing cannot go on. The
    count resets on a successful login; the lock lifts by itself after
    ``XXGK_LOGIN_LOCKOUT_MINUTES``, or when an administrator unlocks the account.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = User._default_manager.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        now = timezone.now()
        if user.is_locked(now):
            if request is not None:
                request.xxgk_locked_until = user.locked_until  # type: ignore[attr-defined]
            raise AccountLocked(user.locked_until)
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_login_count or user.locked_until:
                User._default_manager.filter(pk=user.pk).update(
                    failed_login_count=0, locked_until=None
                )
                user.failed_login_count = 0
                user.locked_until = None
            return user
        self._count_failure(user, now, request)
        return None

    def _count_failure(self, user: Any, now: Any, request: HttpRequest | None) -> None:
        from xxgk import audit

        User = type(user)
        User._default_manager.filter(pk=user.pk).update(
            failed_login_count=F("failed_login_count") + 1
        )
        user.refresh_from_db(fields=["failed_login_count"])
        limit = settings.XXGK_LOGIN_MAX_FAILURES
        if limit > 0 and user.failed_login_count >= limit:
            until = now + timedelta(minutes=settings.XXGK_LOGIN_LOCKOUT_MINUTES)
            User._default_manager.filter(pk=user.pk).update(
                locked_until=until, failed_login_count=0
            )
            audit.record(
                None,
                "auth.lockout",
                user,
                request=request,
                actor_label=user.get_username(),
                minutes=settings.XXGK_LOGIN_LOCKOUT_MINUTES,
            )
