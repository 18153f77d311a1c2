"""The roles a user can hold at an agency.

A user holds roles through :class:`xxgk.accounts.models.Membership` rows, one per (agency,
role). Who may do what is decided in :mod:`xxgk.agencies.scoping` and in the named operations,
never in templates alone.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    """Roles per agency."""

    REGISTRAR = "registrar", "登记员"
    HANDLER = "handler", "承办人"
    REVIEWER = "reviewer", "审核人（保密审查）"
    LEADER = "leader", "负责人"
    ADMIN = "admin", "管理员"
    #: Held at a parent agency: reads that agency and every agency under it, writes nothing.
    SUPERVISOR = "supervisor", "监督（上级机关）"


#: Roles that do the agency's own disclosure work (everything except supervision).
STAFF_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.LEADER, Role.ADMIN)
