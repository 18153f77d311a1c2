"""Workspace views: every URL checked for login, ownership (404), role (403) and method (405)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xxgk.accounts.models import ApiToken, Membership, User
from xxgk.accounts.roles import Role
from xxgk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ANY = None  # any role that can read the agency

# (url name, takes a staff member, allowed methods, role needed)
AGENCY_URLS = [
    ("workspace:agency", False, {"GET"}, ANY),
    ("workspace:agency_edit", False, {"GET", "POST"}, Role.ADMIN),
    ("workspace:agency_new", False, {"GET", "POST"}, Role.ADMIN),
    ("workspace:staff", False, {"GET"}, ANY),
    ("workspace:staff_new", False, {"GET", "POST"}, Role.ADMIN),
    ("workspace:staff_detail", True, {"GET", "POST"}, Role.ADMIN),
    ("workspace:staff_reset_password", True, {"POST"}, Role.ADMIN),
    ("workspace:staff_unlock", True, {"POST"}, Role.ADMIN),
    ("workspace:staff_active", True, {"POST"}, Role.ADMIN),
    ("workspace:audit", False, {"GET"}, Role.ADMIN),
]


def params(rows):
    return [pytest.param(*r, id=r[0].split(":")[1]) for r in rows]


ALL = params(AGENCY_URLS)


def url_for(cast, name, member, key="subordinate", member_key=None):
    agency = cast.agency(key)
    kwargs = {"agency_id": agency.pk}
    if member:
        kwargs["user_id"] = cast.user(member_key or key, Role.HANDLER).pk
    return reverse(name, kwargs=kwargs)


def call(client, method, url):
    return getattr(client, method.lower())(url)


@pytest.mark.parametrize(("name", "member", "methods", "role"), ALL)
def test_anonymous_is_sent_to_login(client, cast, name, member, methods, role):
    method = sorted(methods)[0]
    response = call(client, method, url_for(cast, name, member))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "member", "methods", "role"), ALL)
def test_another_agencys_page_is_404(client, cast, name, member, methods, role):
    """The unrelated agency's administrator cannot even learn the agency exists."""
    client.force_login(cast.user("unrelated", Role.ADMIN))
    for method in methods:
        assert call(client, method, url_for(cast, name, member)).status_code == 404


@pytest.mark.parametrize(
    ("name", "member", "methods", "role"), params([u for u in AGENCY_URLS if u[1]])
)
def test_a_member_of_another_agency_is_404(client, cast, name, member, methods, role):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    url = url_for(cast, name, member, key="subordinate", member_key="unrelated")
    for method in methods:
        assert call(client, method, url).status_code == 404


@pytest.mark.parametrize(
    ("name", "member", "methods", "role"), params([u for u in AGENCY_URLS if u[3]])
)
@pytest.mark.parametrize(
    "who",
    [("subordinate", Role.HANDLER), ("subordinate", Role.LEADER), ("district", Role.SUPERVISOR)],
    ids=["handler", "leader", "supervisor"],
)
def test_without_the_role_is_403(client, cast, name, member, methods, role, who):
    """Supervision reads subordinates but never writes: their admin pages are 403."""
    client.force_login(cast.user(*who))
    for method in methods:
        assert call(client, method, url_for(cast, name, member)).status_code == 403


@pytest.mark.parametrize(("name", "member", "methods", "role"), ALL)
def test_wrong_method_is_405(client, cast, name, member, methods, role):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    for method in {"GET", "POST", "PUT", "DELETE"} - methods:
        assert call(client, method, url_for(cast, name, member)).status_code == 405, method


@pytest.mark.parametrize(
    ("name", "member", "methods", "role"),
    params([u for u in AGENCY_URLS if "GET" in u[2]]),
)
def test_get_pages_render_for_those_allowed(client, cast, name, member, methods, role):
    readers = [("subordinate", Role.ADMIN)]
    if role is ANY:
        readers += [("subordinate", Role.REGISTRAR), ("district", Role.SUPERVISOR)]
    for who in readers:
        client.force_login(cast.user(*who))
        response = client.get(url_for(cast, name, member))
        assert response.status_code == 200, who
        assert cast.subordinate.name in response.content.decode()


def test_home_lists_own_agency_and_supervised_ones(client, cast):
    client.force_login(cast.user("district", Role.SUPERVISOR))
    page = client.get(reverse("workspace:home")).content.decode()
    assert cast.district.name in page and cast.subordinate.name in page
    assert cast.unrelated.name not in page
    client.force_login(cast.user("subordinate", Role.HANDLER))
    page = client.get(reverse("workspace:home")).content.decode()
    assert cast.subordinate.name in page
    assert cast.district.name not in page


def test_home_shows_sections_by_role(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    assert "审计日志" in client.get(reverse("workspace:home")).content.decode()
    client.force_login(cast.user("subordinate", Role.HANDLER))
    assert "审计日志" not in client.get(reverse("workspace:home")).content.decode()


def test_admin_edits_agency_details_and_it_is_audited(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    url = url_for(cast, "workspace:agency_edit", False)
    response = client.post(
        url,
        {
            "short_name": "向阳街道",
            "office_name": "向阳街道党政办",
            "office_address": "向阳路1号",
            "office_postcode": "100010",
            "office_hours": "工作日9:00-17:00",
            "office_phone": "010-2",
            "channels": ["fax"],
        },
    )
    assert response.status_code == 302
    cast.subordinate.refresh_from_db()
    assert cast.subordinate.office_address == "向阳路1号"
    assert cast.subordinate.accepted_channels() == ["in_person", "post", "fax"]
    event = AuditEvent.objects.get(action="agency.update")
    assert event.agency_id == cast.subordinate.pk
    assert event.details["changes"]["office_address"] == {"old": "", "new": "向阳路1号"}


def test_bad_postcode_is_refused_in_chinese_and_nothing_changes(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    response = client.post(
        url_for(cast, "workspace:agency_edit", False),
        {"office_postcode": "12", "office_name": "改了"},
    )
    assert response.status_code == 200
    assert "邮政编码应为6位数字" in response.content.decode()
    cast.subordinate.refresh_from_db()
    assert cast.subordinate.office_name == "向阳街道党政办"
    assert not AuditEvent.objects.filter(action="agency.update").exists()


def test_admin_creates_staff_with_one_time_password(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    response = client.post(
        url_for(cast, "workspace:staff_new", False),
        {"username": "newbie", "full_name": "新同事", "roles": [Role.REGISTRAR, Role.HANDLER]},
    )
    assert response.status_code == 200
    password = response.context["password"]
    user = User.objects.get(username="newbie")
    assert user.must_change_password and user.check_password(password)
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {
        "registrar",
        "handler",
    }
    assert AuditEvent.objects.filter(action="user.create", target_id=str(user.pk)).exists()


def test_duplicate_username_is_refused(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    response = client.post(
        url_for(cast, "workspace:staff_new", False),
        {"username": "district-admin", "full_name": "x", "roles": [Role.HANDLER]},
    )
    assert response.status_code == 200
    assert "该用户名已被使用" in response.content.decode()


def test_admin_changes_roles(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    member = cast.user("subordinate", Role.HANDLER)
    url = url_for(cast, "workspace:staff_detail", True)
    assert client.post(url, {"roles": [Role.REVIEWER]}).status_code == 302
    assert list(Membership.objects.filter(user=member).values_list("role", flat=True)) == [
        "reviewer"
    ]


def test_reset_password_refused_for_a_user_with_roles_elsewhere(client, cast):
    """An office admin must not take over the district supervisor's account."""
    supervisor = cast.user("district", Role.SUPERVISOR)
    Membership.objects.create(user=supervisor, agency=cast.subordinate, role=Role.HANDLER)
    client.force_login(cast.user("subordinate", Role.ADMIN))
    url = reverse(
        "workspace:staff_reset_password",
        kwargs={"agency_id": cast.subordinate.pk, "user_id": supervisor.pk},
    )
    assert client.post(url).status_code == 403
    supervisor.refresh_from_db()
    assert supervisor.check_password(cast.PASSWORD)


def test_reset_password_gives_a_one_time_password(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    response = client.post(url_for(cast, "workspace:staff_reset_password", True))
    assert response.status_code == 200
    member = cast.user("subordinate", Role.HANDLER)
    member.refresh_from_db()
    assert member.must_change_password
    assert member.check_password(response.context["password"])


def test_audit_page_filters_with_htmx(client, cast):
    from xxgk import audit

    admin = cast.user("subordinate", Role.ADMIN)
    audit.record(admin, "agency.update", cast.subordinate)
    audit.record(
        admin, "user.create", cast.user("subordinate", Role.HANDLER), agency=cast.subordinate
    )
    audit.record(admin, "agency.update", cast.unrelated)
    client.force_login(admin)
    url = url_for(cast, "workspace:audit", False)
    full = client.get(url).content.decode()
    assert "<html" in full and "agency.update" in full and "user.create" in full
    part = client.get(url, {"action": "user."}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in part and "user.create" in part and "agency.update" not in part
    assert "共 1 条" in part


ACCOUNT_URLS = [
    ("workspace:home", {"GET"}),
    ("workspace:account", {"GET"}),
    ("workspace:account_totp", {"GET", "POST"}),
    ("workspace:token_create", {"POST"}),
]


@pytest.mark.parametrize(("name", "methods"), [pytest.param(*r, id=r[0]) for r in ACCOUNT_URLS])
def test_account_pages_need_login_and_methods(client, cast, name, methods):
    url = reverse(name)
    assert call(client, sorted(methods)[0], url).status_code == 302
    client.force_login(cast.user("subordinate", Role.HANDLER))
    for method in {"GET", "POST", "PUT", "DELETE"} - methods:
        assert call(client, method, url).status_code == 405


def test_tokens_are_created_shown_once_and_revoked_only_by_owner(client, cast):
    owner = cast.user("subordinate", Role.HANDLER)
    client.force_login(owner)
    response = client.post(reverse("workspace:token_create"), {"name": "脚本"})
    key = response.context["key"]
    token = ApiToken.objects.get(user=owner)
    assert ApiToken.find(key) == token
    assert key not in token.key_hash
    revoke = reverse("workspace:token_revoke", kwargs={"token_id": token.pk})
    client.force_login(cast.user("subordinate", Role.ADMIN))
    assert client.post(revoke).status_code == 404
    assert client.get(revoke).status_code == 405
    client.force_login(owner)
    assert client.post(revoke).status_code == 302
    assert ApiToken.find(key) is None


def test_user_who_must_change_password_is_sent_there(client, cast):
    user = cast.user("subordinate", Role.HANDLER)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    # The public portal stays reachable.
    assert client.get(reverse("portal:home")).status_code == 200


def test_audit_page_shows_logins_of_own_staff_only(client, cast):
    from xxgk import audit

    audit.record(
        cast.user("subordinate", Role.HANDLER), "auth.login", cast.user("subordinate", Role.HANDLER)
    )
    audit.record(
        cast.user("unrelated", Role.HANDLER), "auth.login", cast.user("unrelated", Role.HANDLER)
    )
    client.force_login(cast.user("subordinate", Role.ADMIN))
    page = client.get(url_for(cast, "workspace:audit", False)).content.decode()
    assert "subordinate-handler" in page
    assert "unrelated-handler" not in page


def test_admin_adds_a_subordinate_agency_and_administers_it(client, cast):
    from xxgk.agencies.models import Agency

    admin = cast.user("district", Role.ADMIN)
    client.force_login(admin)
    url = url_for(cast, "workspace:agency_new", False, key="district")
    response = client.post(url, {"name": "测试区民政局", "kind": "department", "slug": "cast-mzj"})
    child = Agency.objects.get(slug="cast-mzj")
    assert response["Location"] == reverse("workspace:agency", kwargs={"agency_id": child.pk})
    assert child.parent == cast.district and child.path.startswith(cast.district.path)
    assert Membership.objects.filter(user=admin, agency=child, role=Role.ADMIN).exists()
    assert AuditEvent.objects.filter(action="agency.create", agency=child).exists()
    # The district supervisor reads it at once.
    client.force_login(cast.user("district", Role.SUPERVISOR))
    assert (
        client.get(reverse("workspace:agency", kwargs={"agency_id": child.pk})).status_code == 200
    )


def test_duplicate_slug_is_refused_in_chinese(client, cast):
    client.force_login(cast.user("district", Role.ADMIN))
    url = url_for(cast, "workspace:agency_new", False, key="district")
    response = client.post(url, {"name": "重复", "kind": "department", "slug": "cast-subordinate"})
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_admin_deactivates_and_reactivates_an_account(client, cast):
    admin = cast.user("subordinate", Role.ADMIN)
    member = cast.user("subordinate", Role.HANDLER)
    client.force_login(admin)
    url = url_for(cast, "workspace:staff_active", True)
    assert client.post(url, {"active": "0"}).status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert AuditEvent.objects.filter(action="user.deactivate", target_id=str(member.pk)).exists()
    client.post(url, {"active": "1"})
    member.refresh_from_db()
    assert member.is_active


def test_admin_cannot_deactivate_themselves(client, cast):
    admin = cast.user("subordinate", Role.ADMIN)
    client.force_login(admin)
    url = reverse(
        "workspace:staff_active", kwargs={"agency_id": cast.subordinate.pk, "user_id": admin.pk}
    )
    response = client.post(url, {"active": "0"}, follow=True)
    assert "不能停用自己的账户" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_audit_page_speaks_chinese_and_filters_by_name(client, cast):
    from xxgk import audit

    admin = cast.user("subordinate", Role.ADMIN)
    handler = cast.user("subordinate", Role.HANDLER)
    audit.record(None, "auth.login_failed", actor_label=handler.username)
    audit.record(None, "auth.lockout", handler, actor_label=handler.username, minutes=15)
    audit.record(handler, "auth.login", handler)
    audit.record(
        admin, "user.set_roles", handler, agency=cast.subordinate, old=["handler"], new=["reviewer"]
    )
    audit.record(admin, "custom.thing", cast.subordinate)
    client.force_login(admin)
    url = url_for(cast, "workspace:audit", False)
    page = client.get(url).content.decode()
    for words in (
        "登录失败",
        "账户被锁定",
        "分钟数：",
        "修改角色",
        "原值：",
        "承办人",
        "custom.thing",
    ):
        assert words in page, words
    assert "{&#x27;minutes&#x27;: 15}" not in page and "{'minutes': 15}" not in page
    assert ">auth.login_failed<" not in page and ">auth.lockout<" not in page
    # The 操作 filter lists names, grouped by area; choosing one is exact.
    assert '<option value="auth.login_failed">登录失败</option>' in page
    only = client.get(url, {"action": "auth.login"}, HTTP_HX_REQUEST="true").content.decode()
    assert "共 2 条" in only and "登录失败" not in only  # the handler's and the admin's login
    # Words typed in Chinese match every action whose name contains them.
    typed = client.get(url, {"action": "登录"}, HTTP_HX_REQUEST="true").content.decode()
    assert "共 3 条" in typed and "登录失败" in typed and "修改角色" not in typed
    area = client.get(url, {"action": "auth."}, HTTP_HX_REQUEST="true").content.decode()
    assert "共 4 条" in area
    # Paging keeps the filter.
    for n in range(51):
        audit.record(admin, "agency.update", cast.subordinate, n=n)
    first = client.get(url, {"action": "agency.update"}, HTTP_HX_REQUEST="true").content.decode()
    assert "page=2&amp;action=agency.update" in first


def test_api_audit_has_names_and_the_same_filter(client, cast):
    from tests.api.test_views import bearer
    from xxgk import audit

    handler = cast.user("subordinate", Role.HANDLER)
    audit.record(None, "auth.login_failed", actor_label=handler.username)
    audit.record(handler, "auth.login", handler)
    auth = bearer(cast.user("subordinate", Role.ADMIN))
    url = f"/api/agencies/{cast.subordinate.pk}/audit"
    rows = client.get(url, {"action": "auth.login"}, **auth).json()
    assert [(r["action"], r["action_label"]) for r in rows] == [("auth.login", "登录")]
    assert {r["action"] for r in client.get(url, {"action": "登录失败"}, **auth).json()} == {
        "auth.login_failed"
    }
