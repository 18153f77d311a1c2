"""Password rules in the spirit of 等保2.0 (GB/T 22239-2019 8.1.4.1 身份鉴别).

口令应具有复杂度要求并定期更换: length (settings), at least three of four character classes,
no reuse of the last ``XXGK_PASSWORD_HISTORY`` passwords, and a maximum age after which the
user must choose a new one (enforced by the middleware).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone


def character_classes(password: str) -> int:
    """How many of: lower-case, upper-case, digits, other characters the password uses."""
    return sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            # Anything but ASCII letters and digits (punctuation, CJK) counts as "other".
            any(not (c.isascii() and c.isalnum()) for c in password),
        ]
    )


class CharacterClassValidator:
    """At least three of four character classes."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字和符号中的至少三类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return "密码须包含大写字母、小写字母、数字和符号中的至少三类。"


class HistoryValidator:
    """The new password must differ from the current one and the last few."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        keep = settings.XXGK_PASSWORD_HISTORY
        hashes = [user.password] if user.password else []
        hashes += list(user.password_history.values_list("password", flat=True)[:keep])
        if any(check_password(password, h) for h in hashes if h):
            raise ValidationError(
                f"新密码不能与最近 {keep} 次使用过的密码相同。", code="password_reused"
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        """Called by Django after a password is set: remember the old hash."""

    def get_help_text(self) -> str:
        return f"不能与最近 {settings.XXGK_PASSWORD_HISTORY} 次使用过的密码相同。"


def remember_password(user: Any, old_hash: str) -> None:
    """Keep a replaced password's hash in the history, trimmed to ``XXGK_PASSWORD_HISTORY``."""
    from xxgk.accounts.models import PasswordHistory

    if not old_hash:
        return
    PasswordHistory.objects.create(user=user, password=old_hash)
    keep = settings.XXGK_PASSWORD_HISTORY
    stale = list(user.password_history.values_list("pk", flat=True)[keep:])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()


# No 0/O, 1/l/I: one-time passwords are read off a screen or a slip of paper.
_ALPHABETS = ("abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "-_.+")


def generate_password(length: int = 14) -> str:
    """A random one-time password that satisfies the policy (all four character classes)."""
    import secrets

    length = max(length, settings.XXGK_PASSWORD_MIN_LENGTH, 8)
    chars = [secrets.choice(a) for a in _ALPHABETS]
    pool = "".join(_ALPHABETS[:3])
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def password_expired(user: Any) -> bool:
    """True when the password is older than ``XXGK_PASSWORD_MAX_AGE_DAYS`` (0 = never)."""
    days = settings.XXGK_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=days)
