"""Shared argument handling of the ledger commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError


def agency_and_user(agency_id: int, username: str) -> tuple[Any, Any]:
    """The agency and the acting user (the operations check the user's roles there)."""
    from xxgk.accounts.models import User
    from xxgk.agencies.models import Agency

    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise CommandError(f"没有编号为{agency_id}的机关。", returncode=2)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有用户“{username}”（或已停用）。", returncode=2)
    return agency, user
