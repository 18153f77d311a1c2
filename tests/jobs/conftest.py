"""Fixtures for the jobs tests."""

from __future__ import annotations

import pytest

from xxgk.jobs import scheduler


@pytest.fixture
def only_daily_jobs(monkeypatch):
    """Run with a registry holding only the daily jobs a test registers (other areas' daily
    jobs need their own data); the real registry is restored afterwards."""
    monkeypatch.setattr(scheduler, "_registry", {})
    return scheduler
