"""Login with lockout and TOTP, logout, and the forced password change."""

from __future__ import annotations

import pyotp
import pytest
from django.urls import reverse

from xxgk.accounts.models import PasswordHistory, User
from xxgk.accounts.roles import Role
from xxgk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login(client, username, password, next=None, **meta):
    data = {"username": username, "password": password}
    if next is not None:
        data["next"] = next
    return client.post(LOGIN, data, **meta)


def test_login_succeeds_and_is_audited_with_address(client, cast):
    response = login(client, "subordinate-handler", cast.PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor_label == "subordinate-handler"
    assert event.ip_address == "10.1.2.3"


def test_wrong_password_is_refused_in_chinese_and_audited_without_the_password(client, cast):
    response = login(client, "subordinate-handler", "wrong-Password-1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_label == "subordinate-handler"
    assert "wrong-Password-1" not in str(event.details)


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, cast, settings):
    settings.XXGK_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        login(client, "subordinate-handler", "nope-Nope-1")
    user = User.objects.get(username="subordinate-handler")
    assert user.is_locked()
    response = login(client, "subordinate-handler", cast.PASSWORD)
    assert response.status_code == 200
    assert "已被锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.lockout", target_id=str(user.pk)).exists()


def test_success_resets_the_failure_count(client, cast, settings):
    settings.XXGK_LOGIN_MAX_FAILURES = 3
    login(client, "subordinate-handler", "nope-Nope-1")
    login(client, "subordinate-handler", "nope-Nope-1")
    assert login(client, "subordinate-handler", cast.PASSWORD).status_code == 302
    assert User.objects.get(username="subordinate-handler").failed_login_count == 0


def test_admin_unlocks_a_locked_account(client, cast, settings):
    settings.XXGK_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        login(client, "subordinate-handler", "nope-Nope-1")
    admin = cast.user("subordinate", Role.ADMIN)
    member = cast.user("subordinate", Role.HANDLER)
    client.force_login(admin)
    url = reverse(
        "workspace:staff_unlock", kwargs={"agency_id": cast.subordinate.pk, "user_id": member.pk}
    )
    assert client.post(url).status_code == 302
    client.logout()
    assert login(client, "subordinate-handler", cast.PASSWORD).status_code == 302


def test_unknown_user_gets_the_same_message(client, cast):
    response = login(client, "nobody", "whatever-1A")
    assert "用户名或密码不正确" in response.content.decode()


def test_open_redirect_is_refused(client, cast):
    response = login(client, "subordinate-handler", cast.PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("workspace:home")
    client.logout()
    response = login(client, "subordinate-handler", cast.PASSWORD, next="/workspace/account/")
    assert response["Location"] == "/workspace/account/"


def test_logout_is_post_only_and_audited(client, cast):
    client.force_login(cast.user("subordinate", Role.HANDLER))
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout").exists()
    assert client.get("/workspace/").status_code == 302


def test_login_page_methods(client):
    assert client.get(LOGIN).status_code == 200
    assert client.put(LOGIN).status_code == 405


def test_first_login_forces_password_change_then_workspace(client, cast):
    user = cast.user("subordinate", Role.HANDLER)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    login(client, "subordinate-handler", cast.PASSWORD)
    assert client.get("/workspace/")["Location"] == reverse("accounts:password_change")
    assert client.get("/api/me").status_code == 403
    bad = client.post(
        "/accounts/password/",
        {"old_password": cast.PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert bad.status_code == 200
    assert "至少三类" in bad.content.decode() or "太短" in bad.content.decode()
    same = client.post(
        "/accounts/password/",
        {
            "old_password": cast.PASSWORD,
            "new_password1": cast.PASSWORD,
            "new_password2": cast.PASSWORD,
        },
    )
    assert "不能与最近" in same.content.decode()
    good = client.post(
        "/accounts/password/",
        {
            "old_password": cast.PASSWORD,
            "new_password1": "Xq7#mangoRiver",
            "new_password2": "Xq7#mangoRiver",
        },
    )
    assert good.status_code == 302
    assert client.get("/workspace/").status_code == 200  # still logged in
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Xq7#mangoRiver")
    assert PasswordHistory.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="auth.password_change").exists()


def test_expired_password_must_be_changed(client, cast, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.XXGK_PASSWORD_MAX_AGE_DAYS = 90
    user = cast.user("subordinate", Role.HANDLER)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(user)
    response = client.get("/workspace/")
    assert response["Location"] == reverse("accounts:password_change")
    assert "超过 90 天" in client.get(response["Location"]).content.decode()


def test_totp_setup_then_login_needs_the_code(client, cast):
    user = cast.user("subordinate", Role.HANDLER)
    client.force_login(user)
    page = client.get("/workspace/account/totp/")
    secret = page.context["secret"]
    assert client.post("/workspace/account/totp/", {"code": "000000"}).status_code == 200
    assert (
        client.post("/workspace/account/totp/", {"code": pyotp.TOTP(secret).now()}).status_code
        == 302
    )
    user.refresh_from_db()
    assert user.totp_enabled
    client.logout()
    # Password alone no longer logs in: the second step is asked for.
    response = login(client, "subordinate-handler", cast.PASSWORD)
    assert response["Location"] == reverse("accounts:totp")
    assert client.get("/workspace/").status_code == 302
    wrong = client.post("/accounts/login/totp/", {"code": "123456"})
    assert "不正确" in wrong.content.decode()
    # The code used to enable it cannot be replayed; the next step's code works.
    from django.utils import timezone

    next_code = pyotp.TOTP(secret).at(timezone.now(), counter_offset=1)
    ok = client.post("/accounts/login/totp/", {"code": next_code})
    assert ok.status_code == 302
    assert client.get("/workspace/").status_code == 200


def test_totp_page_without_pending_login_goes_back_to_login(client):
    assert client.get("/accounts/login/totp/")["Location"] == reverse("accounts:login")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/accounts/login/", {"GET", "POST"}),
        ("/accounts/login/totp/", {"GET", "POST"}),
        ("/accounts/logout/", {"POST"}),
        ("/accounts/password/", {"GET", "POST"}),
    ],
)
def test_account_urls_refuse_other_methods(client, cast, url, allowed):
    client.force_login(cast.user("subordinate", Role.HANDLER))
    for method in {"GET", "POST", "PUT", "DELETE"} - allowed:
        assert getattr(client, method.lower())(url).status_code == 405, method


def test_password_page_needs_login(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_lockout_can_be_turned_off(client, cast, settings):
    settings.XXGK_LOGIN_MAX_FAILURES = 0
    for _ in range(3):
        login(client, "subordinate-handler", "nope-Nope-1")
    assert not User.objects.get(username="subordinate-handler").is_locked()
    assert login(client, "subordinate-handler", cast.PASSWORD).status_code == 302
