"""Named operations on agencies: permission-checked and audited. Views and the API call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from xxgk import audit
from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import require_role

#: Fields an agency's 管理员 may change (the 工作机构 block of 条例第十二条 and display names).
EDITABLE_FIELDS = (
    "short_name",
    "office_name",
    "office_address",
    "office_postcode",
    "office_hours",
    "office_phone",
    "office_fax",
    "office_email",
    "office_website",
    "channels",
)


def update_agency_details(
    actor: Any, agency: Agency, changes: dict[str, Any], *, request: HttpRequest | None = None
) -> list[str]:
    """Change the agency's 工作机构 details (条例第十二条: they feed the 指南). 管理员 only.

    Returns the names of the fields that changed. Raises ``ValidationError`` (nothing stored)
    for bad values and ``PermissionDenied`` for a user who is not the agency's 管理员.
    """
    require_role(actor, agency, Role.ADMIN)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
    fresh = Agency.objects.get(pk=agency.pk)
    changed: dict[str, dict[str, Any]] = {}
    for name, value in changes.items():
        if name == "channels":
            value = sorted(set(value or []))
        old = getattr(fresh, name)
        if name == "channels":
            old = sorted(set(old or []))
        if old != value:
            changed[name] = {"old": old, "new": value}
            setattr(fresh, name, value)
    if not changed:
        return []
    fresh.full_clean()
    with transaction.atomic():
        fresh.save(update_fields=[*changed, "updated_at"])
        audit.record(actor, "agency.update", fresh, request=request, changes=changed)
    for name in changed:
        setattr(agency, name, getattr(fresh, name))
    return list(changed)


def create_agency(
    actor: Any,
    parent: Agency,
    *,
    name: str,
    kind: str,
    slug: str,
    short_name: str = "",
    request: HttpRequest | None = None,
) -> Agency:
    """Add an agency under ``parent`` (管理员 of the parent). Its own 管理员 is then created
    from the new agency's staff page by the parent's administrator — see ``create_staff_user``.
    """
    require_role(actor, parent, Role.ADMIN)
    agency = Agency(
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        slug=slug.strip(),
        parent=parent,
    )
    agency.full_clean(exclude=["path"])
    with transaction.atomic():
        agency.save()
        # The parent's administrator administers the new agency until it has its own.
        from xxgk.accounts.models import Membership

        Membership.objects.create(user=actor, agency=agency, role=Role.ADMIN)
        audit.record(actor, "agency.create", agency, request=request, parent=parent.pk)
    from xxgk.agencies.scoping import forget_grants

    forget_grants(actor)
    return agency
