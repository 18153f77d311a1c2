"""The one door to tenant data: who reads which agency, 404 for others, 403 without the role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from xxgk.accounts.models import Membership
from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import (
    agencies_readable_by,
    agencies_where,
    can_read,
    get_agency_for,
    get_object_for,
    has_role,
    require_role,
    scope,
    viewing_roles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sibling(cast):
    """A department beside the street office, under the same district."""
    return Agency.objects.create(
        name="测试区教育局", kind="department", parent=cast.district, slug="cast-dept"
    )


def names(qs):
    return {a.slug for a in qs}


def test_staff_read_only_their_own_agency(cast, sibling):
    for role in Role.values:
        if role == Role.SUPERVISOR:
            continue
        assert names(agencies_readable_by(cast.user("subordinate", role))) == {"cast-subordinate"}


def test_supervisor_reads_own_agency_and_every_subordinate(cast, sibling):
    grandchild = Agency.objects.create(
        name="社区", kind="other", parent=cast.subordinate, slug="cast-gc"
    )
    user = cast.user("district", Role.SUPERVISOR)
    assert names(agencies_readable_by(user)) == {
        "cast-district",
        "cast-subordinate",
        "cast-dept",
        "cast-gc",
    }
    assert can_read(user, grandchild) and not can_read(user, cast.unrelated)
    assert viewing_roles(user, sibling) == {"supervisor"}


def test_other_agencies_object_is_404_like_a_missing_one(cast, sibling):
    street = cast.user("subordinate", Role.HANDLER)
    with pytest.raises(Http404):
        get_agency_for(street, sibling.pk)
    with pytest.raises(Http404):
        get_agency_for(street, 999999)
    with pytest.raises(Http404):
        get_agency_for(street, "not-a-number")
    assert get_agency_for(cast.user("district", Role.SUPERVISOR), sibling.pk) == sibling


def test_scope_follows_a_relation_path(cast, sibling):
    """Tenant rows are scoped through their agency field; Membership stands in for one here."""
    rows = Membership.objects.all()
    street = cast.user("subordinate", Role.HANDLER)
    assert {m.agency_id for m in scope(street, rows)} == {cast.subordinate.pk}
    sup = cast.user("district", Role.SUPERVISOR)
    assert {m.agency_id for m in scope(sup, rows)} == {cast.district.pk, cast.subordinate.pk}
    other = Membership.objects.filter(agency=cast.unrelated).first()
    with pytest.raises(Http404):
        get_object_for(street, rows, other.pk)


def test_supervision_grants_no_writing_role(cast):
    sup = cast.user("district", Role.SUPERVISOR)
    assert not has_role(sup, cast.subordinate, Role.ADMIN, Role.HANDLER)
    with pytest.raises(PermissionDenied):
        require_role(sup, cast.subordinate, Role.HANDLER)
    require_role(cast.user("subordinate", Role.HANDLER), cast.subordinate, Role.HANDLER)
    assert names(agencies_where(sup, Role.SUPERVISOR)) == {"cast-district"}


def test_inactive_users_agencies_and_anonymous_read_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not agencies_readable_by(AnonymousUser()).exists()
    user = cast.user("subordinate", Role.HANDLER)
    user.is_active = False
    assert not agencies_readable_by(user).exists()
    sup = cast.user("district", Role.SUPERVISOR)
    Agency.objects.filter(pk=cast.subordinate.pk).update(is_active=False)
    assert names(agencies_readable_by(sup)) == {"cast-district"}
