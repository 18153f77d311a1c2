"""Outgoing mail configuration from the environment (docs/configuration.md, "Mail").

Read once by ``xxgk.settings`` (``EMAIL_*`` Django settings) while it is being loaded, so
nothing here touches ``django.conf.settings``.

* ``XXGK_EMAIL_URL`` — ``smtp://user:password@host:port`` (STARTTLS with ``smtp+tls://`` or
  ``?tls=1``; implicit TLS with ``smtps://``), or ``file:///path`` / ``console:`` /
  ``dummy:``;
* else ``EMAIL_HOST`` (+ ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
  ``EMAIL_USE_TLS``, ``EMAIL_USE_SSL``) selects SMTP;
* with neither, mail is written as files into ``<data>/mail/`` (Django's file-based
  backend): ``xxgk serve`` "sends" mail a person can read there, and nothing reaches the
  network.

``DEFAULT_FROM_EMAIL`` (default ``xxgk@localhost``) is read in every case.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_TRUE = {"1", "true", "yes", "on"}


class MailConfigError(ImproperlyConfigured):
    """A mail variable that cannot be read; the message names the variable."""


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in _TRUE


def _port(name: str, value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise MailConfigError(f"{name}: expected a port number, got {value!r}") from None
    if not 0 < port < 65536:
        raise MailConfigError(f"{name}: expected a port number, got {value!r}")
    return port


def email_settings(environ: Mapping[str, str], data_dir: Path) -> dict[str, Any]:
    """The Django ``EMAIL_*`` settings for this environment (see the module docstring)."""
    out: dict[str, Any] = {
        "DEFAULT_FROM_EMAIL": environ.get("DEFAULT_FROM_EMAIL", "").strip() or "xxgk@localhost",
        "EMAIL_TIMEOUT": 20,
    }
    out["SERVER_EMAIL"] = out["DEFAULT_FROM_EMAIL"]
    url = environ.get("XXGK_EMAIL_URL", "").strip()
    if url:
        parsed = urlparse(url)
        scheme = parsed.scheme.lower()
        query = parse_qs(parsed.query)
        if scheme in {"smtp", "smtp+tls", "smtps"}:
            if not parsed.hostname:
                raise MailConfigError("XXGK_EMAIL_URL: no host in the address")
            try:
                port_value = parsed.port
            except ValueError:
                raise MailConfigError("XXGK_EMAIL_URL: the port is not a number") from None
            ssl = scheme == "smtps" or _bool(query.get("ssl", [""])[0])
            tls = not ssl and (scheme == "smtp+tls" or _bool(query.get("tls", [""])[0]))
            out.update(
                EMAIL_BACKEND=SMTP_BACKEND,
                EMAIL_HOST=parsed.hostname,
                EMAIL_PORT=port_value or (465 if ssl else 587 if tls else 25),
                EMAIL_HOST_USER=unquote(parsed.username or ""),
                EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
                EMAIL_USE_TLS=tls,
                EMAIL_USE_SSL=ssl,
            )
            return out
        if scheme == "file":
            out.update(EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=unquote(parsed.path))
            return out
        if scheme in {"console", "dummy", "locmem"}:
            out["EMAIL_BACKEND"] = f"django.core.mail.backends.{scheme}.EmailBackend"
            return out
        raise MailConfigError(
            f"XXGK_EMAIL_URL: unsupported scheme {parsed.scheme!r}; "
            "use smtp://, smtp+tls://, smtps://, file://, console: or dummy:"
        )
    host = environ.get("EMAIL_HOST", "").strip()
    if host:
        tls = _bool(environ.get("EMAIL_USE_TLS"))
        ssl = _bool(environ.get("EMAIL_USE_SSL"))
        if tls and ssl:
            raise MailConfigError("EMAIL_USE_TLS and EMAIL_USE_SSL: set only one of them")
        port = environ.get("EMAIL_PORT", "").strip()
        out.update(
            EMAIL_BACKEND=SMTP_BACKEND,
            EMAIL_HOST=host,
            EMAIL_PORT=_port("EMAIL_PORT", port) if port else (465 if ssl else 587 if tls else 25),
            EMAIL_HOST_USER=environ.get("EMAIL_HOST_USER", ""),
            EMAIL_HOST_PASSWORD=environ.get("EMAIL_HOST_PASSWORD", ""),
            EMAIL_USE_TLS=tls,
            EMAIL_USE_SSL=ssl,
        )
        return out
    out.update(EMAIL_BACKEND=FILE_BACKEND, EMAIL_FILE_PATH=str(data_dir / "mail"))
    return out


def writes_to_files(backend: str) -> bool:
    """True when mail is only written into a folder (nothing is sent)."""
    return backend == FILE_BACKEND
