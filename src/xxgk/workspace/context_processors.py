"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def workspace(request: HttpRequest) -> dict[str, Any]:
    return {"site_title": settings.XXGK_SITE_TITLE}
