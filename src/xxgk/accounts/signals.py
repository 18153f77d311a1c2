"""Logins, failed logins and logouts go into the audit log."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from xxgk import audit
from xxgk.security.middleware import IDLE_KEY


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(user, "auth.login", user, request=request)
    if request is not None and hasattr(request, "session"):
        # Start the idle clock with the login's own session write, so the first pages after
        # it do not each write the session row (xxgk.security.middleware).
        request.session[IDLE_KEY] = int(time.time())


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, "auth.logout", user, request=request)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # The attempted username is recorded (it identifies the account under attack); the
    # password never is — Django has already masked it in ``credentials``.
    name = str(credentials.get("username", ""))[:150]
    audit.record(None, "auth.login_failed", request=request, actor_label=name)
