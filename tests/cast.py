"""The shared cast for tests: a district government, a subordinate agency under it and an
unrelated agency, each with one user per role.

    cast.district / cast.subordinate / cast.unrelated      Agency
    cast.user("subordinate", Role.HANDLER)                 User "subordinate-handler"

Every cast user has the password ``cast.PASSWORD`` and does not need to change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xxgk.accounts.models import Membership, User
from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency, AgencyKind

PASSWORD = "Cast-Pass-2024!"
AGENCY_KEYS = ("district", "subordinate", "unrelated")


@dataclass
class Cast:
    district: Agency
    subordinate: Agency
    unrelated: Agency
    users: dict[tuple[str, str], User] = field(default_factory=dict)
    PASSWORD: str = PASSWORD

    def agency(self, key: str) -> Agency:
        return {
            "district": self.district,
            "subordinate": self.subordinate,
            "unrelated": self.unrelated,
        }[key]

    def user(self, key: str, role: str) -> User:
        return self.users[(key, str(role))]


def build_cast() -> Cast:
    """Create the cast in the database (one query batch per table)."""
    district = Agency.objects.create(
        name="测试区人民政府",
        short_name="测试区",
        kind=AgencyKind.GOVERNMENT,
        slug="cast-district",
        office_name="测试区政务公开办",
        office_address="测试区一号路1号",
        office_phone="010-1",
    )
    subordinate = Agency.objects.create(
        name="测试区向阳街道办事处",
        kind=AgencyKind.STREET_OFFICE,
        parent=district,
        slug="cast-subordinate",
        office_name="向阳街道党政办",
        office_phone="010-2",
    )
    unrelated = Agency.objects.create(
        name="另一区人民政府",
        kind=AgencyKind.GOVERNMENT,
        slug="cast-unrelated",
        office_name="另一区政务公开办",
        office_phone="010-3",
    )
    cast = Cast(district, subordinate, unrelated)
    from django.contrib.auth.hashers import make_password

    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [
            User(username=f"{key}-{role}", full_name=f"{key} {role}", password=hashed)
            for key in AGENCY_KEYS
            for role in Role.values
        ]
    )
    if users[0].pk is None:  # backends without RETURNING on bulk insert
        users = list(User.objects.filter(username__in=[u.username for u in users]))
    by_name = {u.username: u for u in users}
    memberships = []
    for key in AGENCY_KEYS:
        for role in Role.values:
            user = by_name[f"{key}-{role}"]
            cast.users[(key, role)] = user
            memberships.append(Membership(user=user, agency=cast.agency(key), role=role))
    Membership.objects.bulk_create(memberships)
    return cast
