"""The append-only audit log: one function to write it, :func:`record`.

Record every state change and every view of an applicant's personal data::

    from xxgk import audit
    audit.record(request.user, "application.register", application, request=request,
                 agency=application.agency, channel="post")

Never pass personal data (ID numbers, phones, addresses) in ``details``: name the field that
was viewed, not its value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from xxgk.audit.models import AuditEvent

__all__ = ["client_ip", "record"]


def client_ip(request: HttpRequest) -> str | None:
    """Where a request came from.

    ``REMOTE_ADDR``, unless ``XXGK_TRUSTED_PROXY_COUNT`` says how many reverse proxies stand in
    front: then the address those proxies appended to ``X-Forwarded-For``.
    """
    from django.conf import settings

    hops = int(getattr(settings, "XXGK_TRUSTED_PROXY_COUNT", 0) or 0)
    if hops > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return _valid_ip(forwarded[-hops])
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def _valid_ip(value: str) -> str | None:
    import ipaddress

    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def record(
    actor: Any,
    action: str,
    target: Any = None,
    *,
    request: HttpRequest | None = None,
    agency: Any = None,
    **details: Any,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``actor`` is a user (or None / AnonymousUser for the system or the public); ``action`` a
    dotted verb such as ``"agency.update"``; ``target`` any model instance (or None).
    ``agency`` defaults to ``target.agency`` or, for an Agency target, the target itself.
    ``details`` must be JSON-serialisable and must not contain personal data.
    """
    from django.utils import timezone

    from xxgk.audit.models import AuditEvent

    user = actor if getattr(actor, "is_authenticated", False) else None
    if agency is None and target is not None:
        if target.__class__.__name__ == "Agency" and target._meta.app_label == "agencies":
            agency = target
        else:
            agency = getattr(target, "agency", None)
    event = AuditEvent(
        at=timezone.now(),
        actor=user,
        actor_label=(
            user.get_username() if user is not None else str(details.pop("actor_label", ""))
        ),
        action=action,
        agency=agency,
        details=details,
    )
    if target is not None:
        event.target_type = f"{target._meta.app_label}.{target._meta.model_name}"
        event.target_id = str(target.pk)
        event.target_label = str(target)[:200]
    if request is not None:
        event.ip_address = client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    event.save()
    return event
