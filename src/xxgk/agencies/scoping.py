"""The one door to tenant data.

Every view, API endpoint, job and command reaches agency-owned rows through these helpers:

* :func:`agencies_readable_by` — the agencies a user may read: those where they hold any role,
  plus, for a supervisor role, that agency and every agency under it.
* :func:`scope` — a queryset of tenant rows narrowed to what the user may read.
* :func:`get_object_for` — one tenant row or :class:`~django.http.Http404`; another agency's
  object is a 404 exactly like a missing one, so its existence is not revealed.
* :func:`require_role` — :class:`~django.core.exceptions.PermissionDenied` (403) unless the user
  holds one of the roles at that very agency. Supervision grants reading, never writing.

The supervising office's read access to subordinate agencies is written here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency

M = TypeVar("M", bound=models.Model)

_CACHE_ATTR = "_xxgk_memberships"


@dataclass(frozen=True)
class Grant:
    """One role held at one agency (a cached Membership row)."""

    agency_id: int
    agency_path: str
    role: str


def grants(user: Any) -> tuple[Grant, ...]:
    """The user's roles, cached on the user object for the rest of the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from xxgk.accounts.models import Membership

        rows = Membership.objects.filter(user=user, agency__is_active=True).values_list(
            "agency_id", "agency__path", "role"
        )
        cached = tuple(Grant(a, p, r) for a, p, r in rows)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    """Drop the cached roles (after the user's memberships changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _readable_q(user: Any) -> Q | None:
    held = grants(user)
    if not held:
        return None
    q = Q(pk__in={g.agency_id for g in held})
    for g in held:
        if g.role == Role.SUPERVISOR:
            q |= Q(path__startswith=g.agency_path)
    return q


def agencies_readable_by(user: Any) -> models.QuerySet[Agency]:
    """Agencies the user may read (own roles; a supervisor's whole subtree)."""
    q = _readable_q(user)
    if q is None:
        return Agency.objects.none()
    return Agency.objects.filter(q, is_active=True)


def agencies_where(user: Any, *roles: str) -> models.QuerySet[Agency]:
    """Agencies where the user holds at least one of ``roles`` (exactly there, not inherited)."""
    ids = {g.agency_id for g in grants(user) if not roles or g.role in roles}
    return Agency.objects.filter(pk__in=ids, is_active=True)


def can_read(user: Any, agency: Agency) -> bool:
    """True when the agency's data is visible to the user."""
    for g in grants(user):
        if g.agency_id == agency.pk:
            return True
        if g.role == Role.SUPERVISOR and agency.path.startswith(g.agency_path):
            return True
    return False


def viewing_roles(user: Any, agency: Agency) -> set[str]:
    """The roles that shape what the user sees at this agency: those held there, plus
    ``supervisor`` when a supervisor role at an ancestor (or here) makes it readable."""
    held = roles_at(user, agency)
    for g in grants(user):
        if g.role == Role.SUPERVISOR and agency.path.startswith(g.agency_path):
            held.add(Role.SUPERVISOR.value)
    return held


def roles_at(user: Any, agency: Agency | int) -> set[str]:
    """The roles the user holds at exactly this agency."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return {g.role for g in grants(user) if g.agency_id == agency_id}


def has_role(user: Any, agency: Agency | int, *roles: str) -> bool:
    """True when the user holds one of ``roles`` at exactly this agency."""
    return bool(roles_at(user, agency) & set(roles))


def require_role(user: Any, agency: Agency | int, *roles: str) -> None:
    """403 unless the user holds one of ``roles`` at this agency.

    Call it only after the object was reached through :func:`get_object_for` (or a scoped
    queryset), so that an unreadable object is a 404 first.
    """
    if not has_role(user, agency, *roles):
        raise PermissionDenied("您没有执行此操作的权限。")


def scope(user: Any, queryset: models.QuerySet[M], field: str = "agency") -> models.QuerySet[M]:
    """Narrow a queryset of tenant rows to the agencies the user may read.

    ``field`` is the path to the row's Agency (``"agency"``, or ``"case__agency"``); pass
    ``field=""`` for a queryset of Agency itself.
    """
    q = _readable_q(user)
    if q is None:
        return queryset.none()
    if field:
        prefix = field + "__"
        q = _prefix_q(q, prefix)
        return queryset.filter(q, **{prefix + "is_active": True})
    return queryset.filter(q, is_active=True)


def _prefix_q(q: Q, prefix: str) -> Q:
    clone = Q()
    clone.connector = q.connector
    clone.negated = q.negated
    for child in q.children:
        if isinstance(child, Q):
            clone.children.append(_prefix_q(child, prefix))
        else:
            key, value = child
            clone.children.append((prefix + key, value))
    return clone


def get_object_for(
    user: Any, queryset: models.QuerySet[M], pk: Any, field: str = "agency", lookup: str = "pk"
) -> M:
    """One tenant row the user may read, or Http404 (also for another agency's row)."""
    try:
        return scope(user, queryset, field).get(**{lookup: pk})
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到。") from exc


def get_agency_for(user: Any, pk: Any, lookup: str = "pk") -> Agency:
    """An agency the user may read, or Http404."""
    return get_object_for(user, Agency.objects.all(), pk, field="", lookup=lookup)
