"""The workspace's plug-in point.

A later module (applications, publications, reports …) makes itself reachable from the staff
workspace by registering a section in its ``AppConfig.ready()``::

    from xxgk.accounts.roles import Role
    from xxgk.workspace.registry import Section, register

    register(Section(
        key="applications",
        title="依申请公开",
        url_name="applications:list",     # reversed with kwargs={"agency_id": …}
        roles=(Role.REGISTRAR, Role.HANDLER, Role.REVIEWER, Role.LEADER),
        order=10,
        description="登记、办理、答复政府信息公开申请",
    ))

The workspace shows, for each agency the user can read, the sections whose ``roles`` the user
holds there (a supervisor sees sections listing ``Role.SUPERVISOR``). ``badge`` may count
something for the card (e.g. overdue cases): ``badge(user, agency) -> int | None``; keep it to
one cheap query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    """One card/link in the staff workspace, per agency."""

    key: str
    title: str
    url_name: str
    roles: tuple[str, ...]
    order: int = 100
    description: str = ""
    badge: Callable[[Any, Any], int | None] | None = field(default=None, compare=False)

    def url_for(self, agency: Any) -> str | None:
        try:
            return reverse(self.url_name, kwargs={"agency_id": agency.pk})
        except NoReverseMatch:
            return None


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add (or replace, by key) a workspace section."""
    _SECTIONS[section.key] = section
    return section


def unregister(key: str) -> None:
    _SECTIONS.pop(key, None)


def sections() -> list[Section]:
    """Every registered section, in display order."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def sections_for(roles: Iterable[str]) -> list[Section]:
    """The sections a holder of these roles (at one agency) sees."""
    held = set(roles)
    return [s for s in sections() if held & set(s.roles)]
