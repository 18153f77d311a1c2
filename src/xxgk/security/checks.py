"""Start-up checks of the platform's security set-up (ids xxgk.W101…; the jobs area uses
xxgk.E001–E003 and W001). Run by ``xxgk manage check`` and at every start."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register("xxgk", checks.Tags.security)
def check_platform_security(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The registered check: reads the settings."""
    return platform_security_findings(
        production=getattr(settings, "PRODUCTION", False),
        engine=str(settings.DATABASES["default"]["ENGINE"]),
        idle_minutes=settings.XXGK_SESSION_IDLE_MINUTES,
        max_failures=settings.XXGK_LOGIN_MAX_FAILURES,
        min_length=settings.XXGK_PASSWORD_MIN_LENGTH,
    )


def platform_security_findings(
    *, production: bool, engine: str, idle_minutes: int, max_failures: int, min_length: int
) -> list[checks.CheckMessage]:
    """Production mode on SQLite, or with the 等保2.0 protections turned off, is a warning."""
    found: list[checks.CheckMessage] = []
    if production and engine.endswith("sqlite3"):
        found.append(
            checks.Warning(
                "生产模式（XXGK_PRODUCTION）下仍在使用 SQLite。",
                hint="设置 DATABASE_URL 指向 PostgreSQL，见 docs/production.md。",
                id="xxgk.W101",
            )
        )
    if production and idle_minutes <= 0:
        found.append(
            checks.Warning(
                "生产模式下关闭了会话超时（XXGK_SESSION_IDLE_MINUTES=0）。",
                hint="等保2.0要求登录会话在闲置一段时间后自动退出，建议设为30。",
                id="xxgk.W102",
            )
        )
    if production and max_failures <= 0:
        found.append(
            checks.Warning(
                "生产模式下关闭了登录失败锁定（XXGK_LOGIN_MAX_FAILURES=0）。",
                hint="等保2.0要求限制连续登录失败次数，建议设为5。",
                id="xxgk.W103",
            )
        )
    if min_length < 8:
        found.append(
            checks.Warning(
                f"密码最短长度为 {min_length}，低于8位。",
                hint="设置 XXGK_PASSWORD_MIN_LENGTH 为8或更大（默认10）。",
                id="xxgk.W104",
            )
        )
    return found
