"""Idle session expiry, security headers and the content security policy."""

import time

import pytest

from xxgk.accounts.roles import Role
from xxgk.audit.models import AuditEvent
from xxgk.security.middleware import IDLE_KEY

pytestmark = pytest.mark.django_db


def test_idle_session_is_logged_out(client, cast, settings):
    settings.XXGK_SESSION_IDLE_MINUTES = 30
    client.force_login(cast.user("subordinate", Role.HANDLER))
    assert client.get("/workspace/").status_code == 200
    session = client.session
    session[IDLE_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/workspace/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "未操作" in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.filter(action="auth.idle_logout").exists()


def test_active_session_stays(client, cast):
    client.force_login(cast.user("subordinate", Role.HANDLER))
    session = client.session
    session[IDLE_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/workspace/").status_code == 200


def test_headers_on_every_page(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_carry_no_inline_script_and_no_remote_assets(client, cast):
    import re

    client.force_login(cast.user("subordinate", Role.ADMIN))
    for url in [
        "/",
        "/accounts/login/",
        "/workspace/",
        f"/workspace/agencies/{cast.subordinate.pk}/audit/",
    ]:
        page = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", page):
            assert 'src="/static/' in tag, (url, tag)
        assert "http://" not in page.replace("http://testserver", "") or url
        assert not re.search(r'(src|href)="https?://', page), url


def test_csrf_is_enforced_on_forms(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_pages_after_login_do_not_write_the_session(client, cast):
    """The idle clock starts at login, so reading pages does not write the session row (one
    UPDATE per request made 50 clients sharing a session queue on SQLite's write lock); it is
    refreshed at most once a minute."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.post(
        "/accounts/login/", {"username": "subordinate-admin", "password": cast.PASSWORD}
    )
    assert response.status_code == 302
    assert isinstance(client.session.get(IDLE_KEY), int)
    url = f"/workspace/agencies/{cast.subordinate.pk}/staff/"
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        writes = [q["sql"] for q in queries if "django_session" in q["sql"]]
        assert not [sql for sql in writes if not sql.lstrip().upper().startswith("SELECT")]
    session = client.session
    session[IDLE_KEY] = int(time.time()) - 61
    session.save()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert any("UPDATE" in q["sql"] and "django_session" in q["sql"] for q in queries)
