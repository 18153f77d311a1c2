"""Shared test set-up.

Every test session gets its own data folder, so tests never touch a developer's real state.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_DATA = Path(tempfile.mkdtemp(prefix="xxgk-test-data-"))
os.environ["XXGK_DATA_DIR"] = str(_DATA)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def in_ci() -> bool:
    """True when running under CI, where no optional-tool test may skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
