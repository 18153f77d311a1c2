import pytest

from xxgk.accounts.models import User
from xxgk.agencies.demo import create_demo, demo_exists
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import agencies_readable_by

pytestmark = pytest.mark.django_db


def test_demo_has_district_two_subordinates_and_a_user_per_role():
    assert not demo_exists()
    accounts = create_demo()
    assert demo_exists()
    district = Agency.objects.get(name="示范区人民政府")
    assert {a.name for a in district.children.all()} == {"示范区东风街道办事处", "示范区教育局"}
    labels = {a.role_label for a in accounts}
    assert {
        "登记员",
        "承办人",
        "审核人（保密审查）",
        "负责人",
        "管理员",
        "监督（上级机关）",
    } <= labels
    for account in accounts:
        user = User.objects.get(username=account.username)
        assert user.must_change_password and user.check_password(account.password)
    street = User.objects.get(username="dengji")
    supervisor = User.objects.get(username="jiandu")
    assert {a.slug for a in agencies_readable_by(street)} == {"dongfeng-jiedao"}
    assert {a.slug for a in agencies_readable_by(supervisor)} == {
        "shifanqu",
        "dongfeng-jiedao",
        "jiaoyu-ju",
    }
