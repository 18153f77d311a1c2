"""``xxgk manage bootstrap``: the first agency and administrator of a production database."""

import pytest
from django.core.management import CommandError, call_command

from xxgk.accounts.models import User
from xxgk.agencies.management.commands.bootstrap import Command
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import has_role

pytestmark = pytest.mark.django_db


def test_bootstrap_creates_agency_and_admin_with_one_time_password(capsys):
    call_command("bootstrap", "--name", "某某区人民政府", "--slug", "mouqu", "--admin", "admin")
    out = capsys.readouterr().out
    password = out.rsplit("one-time password: ", 1)[1].split()[0]
    user = User.objects.get(username="admin")
    agency = Agency.objects.get(slug="mouqu")
    assert user.check_password(password) and user.must_change_password
    assert has_role(user, agency, "admin")


def test_bootstrap_refuses_duplicates_and_bad_slugs():
    Command.bootstrap(name="甲", slug="jia", kind="government", username="a1", full_name="")
    with pytest.raises(CommandError, match="already exists"):
        Command.bootstrap(name="乙", slug="jia", kind="government", username="a2", full_name="")
    with pytest.raises(CommandError, match="already exists"):
        Command.bootstrap(name="丙", slug="bing", kind="government", username="A1", full_name="")
    with pytest.raises(CommandError, match="小写字母"):
        Command.bootstrap(
            name="丁", slug="Ding Ding", kind="government", username="a3", full_name=""
        )
    assert Agency.objects.count() == 1
