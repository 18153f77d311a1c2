"""Area settings: Django settings first, then the environment, then the default."""

from __future__ import annotations

import pytest

from xxgk.applications.conf import int_setting, str_setting


def test_environment_then_default(monkeypatch, settings):
    if hasattr(settings, "XXGK_APPLY_RATE_LIMIT"):
        del settings.XXGK_APPLY_RATE_LIMIT
    monkeypatch.delenv("XXGK_APPLY_RATE_LIMIT", raising=False)
    assert int_setting("XXGK_APPLY_RATE_LIMIT", 10) == 10
    monkeypatch.setenv("XXGK_APPLY_RATE_LIMIT", "3")
    assert int_setting("XXGK_APPLY_RATE_LIMIT", 10) == 3
    settings.XXGK_APPLY_RATE_LIMIT = 5
    assert int_setting("XXGK_APPLY_RATE_LIMIT", 10) == 5


def test_a_bad_number_is_a_plain_error(monkeypatch, settings):
    if hasattr(settings, "XXGK_STATUS_RATE_LIMIT"):
        del settings.XXGK_STATUS_RATE_LIMIT
    monkeypatch.setenv("XXGK_STATUS_RATE_LIMIT", "many")
    with pytest.raises(RuntimeError, match="expected a whole number"):
        int_setting("XXGK_STATUS_RATE_LIMIT", 30)


def test_string_setting(monkeypatch, settings):
    if hasattr(settings, "XXGK_SMS_HOOK"):
        del settings.XXGK_SMS_HOOK
    monkeypatch.setenv("XXGK_SMS_HOOK", " pkg.sms.send ")
    assert str_setting("XXGK_SMS_HOOK") == "pkg.sms.send"
