"""A real browser (Debian's chromium via Playwright): log in, see the workspace, open the portal.

Skips only when chromium is absent and we are not in CI; in CI it must run.
"""

from __future__ import annotations

import os

import pytest

from tests.browser_support import chromium_path, launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_user():
    from xxgk.accounts.models import Membership, User
    from xxgk.accounts.roles import Role
    from xxgk.agencies.models import Agency

    district = Agency.objects.create(name="浏览器区人民政府", kind="government", slug="browser-qu")
    street = Agency.objects.create(
        name="浏览器区东门街道办事处", kind="street_office", slug="dongmen", parent=district
    )
    user = User(username="liulanqi", full_name="刘浏览", must_change_password=True)
    user.set_password("Once-Only-Pass9")
    user.save()
    Membership.objects.create(user=user, agency=street, role=Role.HANDLER)
    return user


def test_login_change_password_workspace_and_portal(live_server, demo_user, tmp_path):
    chromium_path()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM is not used below.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    errors: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
            page.set_default_timeout(15_000)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("用户名").fill("liulanqi")
            page.get_by_label("密码").fill("Once-Only-Pass9")
            page.get_by_role("button", name="登录").click()
            # A one-time password: the first stop is the change-password page.
            page.wait_for_url("**/accounts/password/")
            page.get_by_label("当前密码").fill("Once-Only-Pass9")
            page.locator("#id_new_password1").fill("Mine-Own-Pass7")
            page.get_by_label("再次输入新密码").fill("Mine-Own-Pass7")
            page.get_by_role("button", name="保存新密码").click()
            page.wait_for_url("**/workspace/")
            assert page.get_by_role("heading", name="工作台").is_visible()
            assert page.get_by_role("link", name="浏览器区东门街道办事处").is_visible()
            assert "承办人" in page.content()
            # Vendored htmx loaded under the content security policy.
            assert page.evaluate("typeof window.htmx") == "object", errors
            page.screenshot(path=str(tmp_path / "workspace.png"), full_page=True)
            page.get_by_role("link", name="门户首页").click()
            page.wait_for_url(f"{live_server.url}/")
            assert page.get_by_role("heading", name="浏览器区人民政府 · 政府信息公开").is_visible()
            page.get_by_role("link", name="浏览器区东门街道办事处").click()
            assert page.get_by_role("heading", name="政府信息公开工作机构").is_visible()
        finally:
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert errors == []
