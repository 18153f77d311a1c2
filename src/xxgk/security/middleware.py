"""Security middleware: idle session expiry, forced password change, CSP and other headers."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from xxgk.security.passwords import password_expired

IDLE_KEY = "xxgk_last_seen"
IDLE_NOTICE_KEY = "xxgk_idle_logout"
# Writing the session on every request would cost a database write per page view; a minute of
# slack on a 30-minute idle limit is harmless.
_TOUCH_EVERY_SECONDS = 60

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Swagger UI (served from the ninja package's own static files) sets inline style attributes.
API_DOCS_CSP = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class IdleSessionMiddleware:
    """Log a user out after ``XXGK_SESSION_IDLE_MINUTES`` without a request (等保2.0 会话超时)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(IDLE_KEY)
            idle_limit = settings.XXGK_SESSION_IDLE_MINUTES * 60
            if isinstance(last, int) and idle_limit > 0 and now - last > idle_limit:
                from xxgk import audit

                audit.record(user, "auth.idle_logout", user, request=request)
                logout(request)
                request.session[IDLE_NOTICE_KEY] = True
            elif not isinstance(last, int) or now - last >= _TOUCH_EVERY_SECONDS:
                request.session[IDLE_KEY] = now
        return self.get_response(request)


# URL namespaces a user who must change their password may still reach.
_OPEN_NAMESPACES = {"accounts", "portal"}


class PasswordChangeRequiredMiddleware:
    """Send a user with a one-time or expired password to the change-password page first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not (user.must_change_password or password_expired(user)):
            return None
        match = request.resolver_match
        namespaces = set(match.namespaces) if match else set()
        if namespaces & _OPEN_NAMESPACES:
            return None
        if request.path.startswith("/api/"):
            if request.path == "/api/me/password":
                return None
            return JsonResponse({"detail": "请先修改密码。"}, status=403)
        return redirect("accounts:password_change")


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = API_DOCS_CSP if request.path.startswith("/api/docs") else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
