import pytest

from xxgk import audit
from xxgk.accounts.roles import Role
from xxgk.audit.queries import events_for_agency

pytestmark = pytest.mark.django_db


def test_agency_log_has_its_events_and_its_staffs_account_events(cast):
    mine = audit.record(cast.user("subordinate", Role.ADMIN), "agency.update", cast.subordinate)
    login = audit.record(None, "auth.login_failed", actor_label="subordinate-handler")
    other_login = audit.record(None, "auth.login_failed", actor_label="unrelated-handler")
    other = audit.record(cast.user("unrelated", Role.ADMIN), "agency.update", cast.unrelated)
    parent = audit.record(cast.user("district", Role.ADMIN), "agency.update", cast.district)
    found = set(events_for_agency(cast.subordinate).values_list("pk", flat=True))
    assert mine.pk in found and login.pk in found
    assert not found & {other_login.pk, other.pk, parent.pk}
