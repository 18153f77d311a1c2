"""The demo created by ``xxgk serve`` on first run: a district, two subordinates, a user per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from xxgk import audit
from xxgk.accounts.models import Membership, User
from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency, AgencyKind
from xxgk.security.passwords import generate_password


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role_label: str
    agency_name: str
    password: str


HOURS = "工作日 上午9:00—12:00，下午13:30—17:30（法定节假日除外）"

# (username, 姓名, agency key, role)
_ACCOUNTS = [
    ("dengji", "李登记", "street", Role.REGISTRAR),
    ("chengban", "王承办", "street", Role.HANDLER),
    ("shenhe", "赵审核", "street", Role.REVIEWER),
    ("fuze", "陈负责", "street", Role.LEADER),
    ("guanli", "周管理", "street", Role.ADMIN),
    ("jiaoyu", "孙承办", "department", Role.HANDLER),
    ("jiandu", "吴监督", "district", Role.SUPERVISOR),
    ("quguanli", "郑管理", "district", Role.ADMIN),
]


def demo_exists() -> bool:
    return Agency.objects.exists()


@transaction.atomic
def create_demo() -> list[DemoAccount]:
    """Create the demo agencies and one user per role, each with a one-time password."""
    district = Agency.objects.create(
        name="示范区人民政府",
        short_name="示范区",
        kind=AgencyKind.GOVERNMENT,
        slug="shifanqu",
        office_name="示范区人民政府办公室（政务公开办）",
        office_address="示范区人民路1号",
        office_postcode="100001",
        office_hours=HOURS,
        office_phone="010-00000001",
        office_fax="010-00000002",
        office_email="gongkai@shifanqu.example.cn",
        channels=["in_person", "post", "fax", "online"],
    )
    street = Agency.objects.create(
        name="示范区东风街道办事处",
        short_name="东风街道",
        kind=AgencyKind.STREET_OFFICE,
        parent=district,
        slug="dongfeng-jiedao",
        office_name="东风街道党政综合办公室",
        office_address="示范区东风路18号",
        office_postcode="100002",
        office_hours=HOURS,
        office_phone="010-00000011",
        channels=["in_person", "post", "online"],
    )
    department = Agency.objects.create(
        name="示范区教育局",
        short_name="区教育局",
        kind=AgencyKind.DEPARTMENT,
        parent=district,
        slug="jiaoyu-ju",
        office_name="区教育局办公室",
        office_address="示范区文化路6号",
        office_postcode="100003",
        office_hours=HOURS,
        office_phone="010-00000021",
        channels=["in_person", "post", "email"],
        office_email="gongkai@jyj.shifanqu.example.cn",
    )
    agencies = {"district": district, "street": street, "department": department}
    accounts = []
    for username, full_name, key, role in _ACCOUNTS:
        password = generate_password()
        user = User(username=username, full_name=full_name, must_change_password=True)
        user.set_password(password)
        user.save()
        Membership.objects.create(user=user, agency=agencies[key], role=role)
        accounts.append(
            DemoAccount(username, full_name, str(role.label), agencies[key].name, password)
        )
    audit.record(None, "demo.create", district, actor_label="xxgk serve")
    return accounts
