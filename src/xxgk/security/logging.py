"""Logging filters (wired in ``settings.LOGGING``, docs/production.md).

A refused request (403, 404, 405 …) is routine — a stale bookmark, a user without the role —
and is logged as one line. Only server errors (5xx) keep their traceback. Request bodies are
never logged: they carry applicants' personal data.
"""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Drop the traceback from ``django.request`` records of responses below 500."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
