"""Debian's chromium for browser tests, driven by Playwright; never a downloaded browser.

A browser test may skip when chromium is absent, but never under CI (``CI=true``), where it
must run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_ci

CHROMIUM = "/usr/bin/chromium"

#: Headless flags that keep chromium off the (closed) network and quiet.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """The chromium executable, or a skip (a failure under CI) when it is not installed."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found:
        return found
    if in_ci():
        pytest.fail("chromium is missing in CI: install Debian's chromium package")
    pytest.skip("chromium not installed (allowed outside CI only)")


def launch(playwright: Any) -> Any:
    """Start headless chromium from a ``sync_playwright()`` context.

    Playwright's sync API runs an event loop in the test's thread; Django then refuses ORM
    calls from it unless told that this is deliberate, which is safe in these tests because
    the ORM and the browser never run at the same time.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=ARGS)
