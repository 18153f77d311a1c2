"""Reading the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from xxgk.audit.models import AuditEvent


def events_for_agency(agency: Any) -> QuerySet[AuditEvent]:
    """What an agency's administrator sees: events filed under the agency, plus the account
    events (logins, failed logins, lockouts, password changes) of the agency's own staff,
    which belong to no single agency."""
    from xxgk.accounts.models import User

    staff = list(
        User.objects.filter(memberships__agency=agency).distinct().values_list("pk", "username")
    )
    ids = [str(pk) for pk, _ in staff]
    names = [name for _, name in staff]
    return AuditEvent.objects.filter(
        Q(agency=agency)
        | Q(agency__isnull=True, target_type="accounts.user", target_id__in=ids)
        | Q(agency__isnull=True, target_type="", actor_label__in=names)
    )
