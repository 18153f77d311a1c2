"""Login (with lockout and optional TOTP), logout and password change."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from xxgk.accounts import operations
from xxgk.accounts.forms import CodeForm, LoginForm, PasswordChangeForm
from xxgk.accounts.models import User
from xxgk.security.middleware import IDLE_NOTICE_KEY
from xxgk.security.passwords import password_expired

PENDING_KEY = "xxgk_totp_pending"
PENDING_NEXT_KEY = "xxgk_totp_next"
PENDING_TRIES_KEY = "xxgk_totp_tries"
MAX_TOTP_TRIES = 5


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("workspace:home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """条例 does not govern this; 等保2.0 does: failed attempts lock the account."""
    if request.user.is_authenticated:
        return redirect("workspace:home")
    next_url = request.POST.get("next") or request.GET.get("next")
    notice = None
    if request.session.pop(IDLE_NOTICE_KEY, False):
        notice = f"您已超过 {settings.XXGK_SESSION_IDLE_MINUTES} 分钟未操作，请重新登录。"
    form = LoginForm(request, data=request.POST or None)
    locked_until = None
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            if user.totp_enabled:
                request.session.cycle_key()
                request.session[PENDING_KEY] = user.pk
                request.session[PENDING_NEXT_KEY] = _next_url(request, next_url)
                request.session[PENDING_TRIES_KEY] = 0
                return redirect("accounts:totp")
            login(request, user)
            return redirect(_next_url(request, next_url))
        locked_until = getattr(request, "xxgk_locked_until", None)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": next_url or "",
            "notice": notice,
            "locked_until": timezone.localtime(locked_until) if locked_until else None,
        },
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def totp_view(request: HttpRequest) -> HttpResponse:
    """Second step of login for users who turned on two-factor (TOTP)."""
    pending = request.session.get(PENDING_KEY)
    user = User.objects.filter(pk=pending, is_active=True).first() if pending else None
    if user is None or not user.totp_enabled:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if operations.verify_totp(user, form.cleaned_data["code"]):
            next_url = request.session.get(PENDING_NEXT_KEY) or reverse("workspace:home")
            for key in (PENDING_KEY, PENDING_NEXT_KEY, PENDING_TRIES_KEY):
                request.session.pop(key, None)
            user.backend = "xxgk.security.backends.LockoutBackend"  # type: ignore[attr-defined]
            login(request, user)
            return redirect(next_url)
        tries = int(request.session.get(PENDING_TRIES_KEY, 0)) + 1
        request.session[PENDING_TRIES_KEY] = tries
        from xxgk import audit

        audit.record(None, "auth.totp_failed", user, request=request, actor_label=user.username)
        if tries >= MAX_TOTP_TRIES:
            request.session.flush()
            messages.error(request, "动态口令错误次数过多，请重新登录。")
            return redirect("accounts:login")
        form.add_error("code", "动态口令不正确或已使用过。")
    return render(request, "accounts/totp.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


@sensitive_post_parameters()
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Change one's own password; forced at first login and after expiry (等保2.0)."""
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The form validated the policy and history; the operation stores and audits it.
        operations.change_password(user, form.cleaned_data["new_password1"], request=request)
        backend = request.session.get(BACKEND_SESSION_KEY)
        update_session_auth_hash(request, user)
        if backend:
            request.session[BACKEND_SESSION_KEY] = backend
        messages.success(request, "密码已修改。")
        return redirect("workspace:home")
    reason = None
    if user.must_change_password:
        reason = "这是一次性密码，请先设置您自己的密码。"
    elif password_expired(user):
        reason = f"密码已使用超过 {settings.XXGK_PASSWORD_MAX_AGE_DAYS} 天，请设置新密码。"
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason})
