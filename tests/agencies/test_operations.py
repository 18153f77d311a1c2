import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xxgk.accounts.roles import Role
from xxgk.agencies.operations import update_agency_details
from xxgk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_only_the_agencys_admin_may_update(cast):
    for who in [
        ("subordinate", Role.HANDLER),
        ("district", Role.SUPERVISOR),
        ("district", Role.ADMIN),
    ]:
        with pytest.raises(PermissionDenied):
            update_agency_details(cast.user(*who), cast.subordinate, {"office_phone": "1"})
    assert not AuditEvent.objects.exists()


def test_unchanged_values_record_nothing(cast):
    admin = cast.user("subordinate", Role.ADMIN)
    assert update_agency_details(admin, cast.subordinate, {"office_phone": "010-2"}) == []
    assert not AuditEvent.objects.exists()


def test_fields_outside_the_list_are_refused(cast):
    with pytest.raises(ValidationError):
        update_agency_details(
            cast.user("subordinate", Role.ADMIN), cast.subordinate, {"parent": None}
        )
