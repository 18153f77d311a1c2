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


def filter_by_action(events: QuerySet[AuditEvent], wanted: str) -> QuerySet[AuditEvent]:
    """Events of one action (``auth.login``, exactly), of an area (``auth.`` or ``auth``), or — for words typed in
    Chinese (``登录``) — of every action whose name contains them (xxgk.audit.labels)."""
    from xxgk.audit.labels import actions_with_label

    wanted = wanted.strip()
    if not wanted:
        return events
    if wanted.endswith("."):
        return events.filter(action__startswith=wanted)
    named = actions_with_label(wanted)
    if named:
        return events.filter(Q(action=wanted) | Q(action__in=named))
    if "." in wanted:
        return events.filter(action=wanted)
    return events.filter(action__startswith=f"{wanted}.")
