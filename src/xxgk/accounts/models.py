"""Users, their roles per agency, API tokens and password history."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from xxgk.accounts.roles import Role


class User(AbstractUser):
    """A person who logs in. Chinese names do not split into first/last: use ``full_name``."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    must_change_password = models.BooleanField("须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    failed_login_count = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    totp_secret = models.CharField("动态口令密钥", max_length=64, blank=True)
    totp_enabled = models.BooleanField("启用动态口令", default=False)
    # The last accepted TOTP time step: a code is never accepted twice.
    totp_last_step = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def is_locked(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.locked_until is not None and self.locked_until > moment

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class Membership(models.Model):
    """One role that one user holds at one agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique")
        ]
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


class PasswordHistory(models.Model):
    """Hashes of earlier passwords, so a password is not reused (等保2.0 口令策略)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the key is shown once."""

    PREFIX = "xxgk_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token; returns it and the plain key, which is never stored."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=_digest(key), key_hint=key[:9])
        return token, key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The active token for this key, or None."""
        if not key.startswith(cls.PREFIX):
            return None
        return (
            cls.objects.select_related("user")
            .filter(key_hash=_digest(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
