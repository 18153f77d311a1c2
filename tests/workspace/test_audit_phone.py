"""The audit log on a phone (390 px wide, in Debian's chromium): no sideways scrolling, each
event a card whose values carry their column's name.

Skips only when chromium is absent and we are not in CI; in CI it must run.
"""

from __future__ import annotations

import os

import pytest

from tests.browser_support import launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_audit_log_fits_a_phone(live_server, tmp_path):
    from django.conf import settings
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from tests.cast import build_cast
    from xxgk import audit
    from xxgk.accounts.roles import Role

    cast = build_cast()
    admin = cast.user("subordinate", Role.ADMIN)
    handler = cast.user("subordinate", Role.HANDLER)
    audit.record(None, "auth.lockout", handler, actor_label=handler.username, minutes=15)
    changes = {"office_address": {"old": "旧地址", "new": "测试区向阳街道向阳路一号院三号楼二层"}}
    audit.record(admin, "agency.update", cast.subordinate, changes=changes)
    client = Client()
    client.force_login(admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    url = f"{live_server.url}/workspace/agencies/{cast.subordinate.pk}/audit/"

    with sync_playwright() as p:
        browser = launch(p)  # skips without chromium, outside CI only
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(url)
            page.screenshot(path=str(tmp_path / "audit-390.png"), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0
            cell = page.locator("td[data-label='操作']", has_text="账户被锁定")
            box = cell.bounding_box()
            assert box is not None and box["width"] > 300  # a full-width line, not a column
            label = cell.evaluate("el => getComputedStyle(el, '::before').content")
            assert label == '"操作"'
            assert page.get_by_text("分钟数：").is_visible()
            assert page.get_by_role("combobox", name="操作").is_visible()
        finally:
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
