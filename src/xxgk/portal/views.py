"""The public portal: the district home page and a page per agency with 指南 and 目录.

Public pages show agencies and their published details only — never applicants' data.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from xxgk.agencies.models import Agency, AgencyKind


def _public_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The district home page: the top-level government(s) and the agencies under them."""
    agencies = list(_public_agencies().order_by("path", "sort_order"))
    roots = [a for a in agencies if a.parent_id is None]
    groups = []
    for root in roots:
        below = [a for a in agencies if a.parent_id == root.pk]
        by_kind = [
            (label, [a for a in below if a.kind == kind])
            for kind, label in AgencyKind.choices
            if any(a.kind == kind for a in below)
        ]
        groups.append({"root": root, "by_kind": by_kind})
    return render(request, "portal/home.html", {"groups": groups})


@require_safe
def agency(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(_public_agencies().select_related("parent"), slug=slug)
    children = _public_agencies().filter(parent=item).order_by("sort_order", "name")
    return render(request, "portal/agency.html", {"agency": item, "children": children})


@require_safe
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开指南（条例第十二条）: the 工作机构 block is live; the rest is a placeholder
    until the publications module fills it."""
    item = get_object_or_404(_public_agencies(), slug=slug)
    return render(request, "portal/guide.html", {"agency": item})


@require_safe
def catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开目录（条例第十二条）: placeholder until the publications module fills it."""
    item = get_object_or_404(_public_agencies(), slug=slug)
    return render(request, "portal/catalogue.html", {"agency": item})
