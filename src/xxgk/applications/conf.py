"""Settings of the applications area, with embedded defaults.

Each is read from Django settings if set there, else from the environment variable of the
same name, else the default (docs/applications.md lists them). They live here rather than
in ``settings.py`` because that module belongs to the platform; moving them there later
changes nothing for callers.
"""

from __future__ import annotations

import os

from django.conf import settings


def _raw(name: str) -> str | None:
    value = getattr(settings, name, None)
    if value is not None:
        return str(value)
    return os.environ.get(name)


def int_setting(name: str, default: int) -> int:
    raw = _raw(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"{name}: expected a whole number, got {raw!r}") from None


def str_setting(name: str, default: str = "") -> str:
    raw = _raw(name)
    return default if raw is None else raw.strip()
