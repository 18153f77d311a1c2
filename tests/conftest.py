"""Shared test set-up.

Every test session gets its own data folder, so tests never touch a developer's real state.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# An xdist worker inherits the controller's folder: pytest-django loads the settings (which
# read XXGK_DATA_DIR) in the worker before this file runs, so both must name the same folder.
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("XXGK_DATA_DIR"):
    _DATA = Path(os.environ["XXGK_DATA_DIR"])
else:
    _DATA = Path(tempfile.mkdtemp(prefix="xxgk-test-data-"))
os.environ["XXGK_DATA_DIR"] = str(_DATA)
# Only now may Django load the settings (pytest-django sets Django up after conftests load).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xxgk.settings")
# ...and load them now: pytest-django's pytest_configure calls django.setup() only for
# settings already loaded, and test modules import models at their top.
from django.conf import settings as _settings

_settings.INSTALLED_APPS  # noqa: B018

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def in_ci() -> bool:
    """True when running under CI, where no optional-tool test may skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# --- Platform fixtures (core) ---------------------------------------------------------------

import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """MD5 in tests only: real hashing would dominate the suite's time."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def cast(db):
    """A district, a subordinate agency and an unrelated agency, each with a user per role."""
    from tests.cast import build_cast

    return build_cast()
