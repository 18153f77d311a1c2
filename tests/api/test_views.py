"""REST API: the same scoping and roles as the workspace; token and session authentication."""

from __future__ import annotations

import json

import pytest

from xxgk.accounts.models import ApiToken, Membership, User
from xxgk.accounts.roles import Role
from xxgk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def bearer(user):
    _, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(client, method, url, auth, body=None):
    kwargs = dict(auth)
    if body is not None:
        kwargs["data"] = json.dumps(body)
        kwargs["content_type"] = "application/json"
    return getattr(client, method.lower())(url, **kwargs)


# (method, path template, body, role needed or None for any reader)
ENDPOINTS = [
    ("GET", "/api/agencies/{a}", None, None),
    ("PATCH", "/api/agencies/{a}", {"office_phone": "010-9"}, Role.ADMIN),
    ("GET", "/api/agencies/{a}/staff", None, None),
    (
        "POST",
        "/api/agencies/{a}/children",
        {"name": "新机关", "kind": "department", "slug": "api-child"},
        Role.ADMIN,
    ),
    (
        "POST",
        "/api/agencies/{a}/staff",
        {"username": "apinew", "full_name": "新", "roles": ["handler"]},
        Role.ADMIN,
    ),
    ("PUT", "/api/agencies/{a}/staff/{u}/roles", {"roles": ["reviewer"]}, Role.ADMIN),
    ("POST", "/api/agencies/{a}/staff/{u}/reset-password", None, Role.ADMIN),
    ("POST", "/api/agencies/{a}/staff/{u}/unlock", None, Role.ADMIN),
    ("PUT", "/api/agencies/{a}/staff/{u}/active", {"active": False}, Role.ADMIN),
    ("GET", "/api/agencies/{a}/audit", None, Role.ADMIN),
]
PARAMS = [pytest.param(*e, id=f"{e[0]} {e[1]}") for e in ENDPOINTS]


def path(cast, template, agency_key="subordinate", member_key=None):
    agency = cast.agency(agency_key)
    member = cast.user(member_key or agency_key, Role.HANDLER)
    return template.format(a=agency.pk, u=member.pk)


@pytest.mark.parametrize(("method", "template", "body", "role"), PARAMS)
def test_no_credentials_is_401(client, cast, method, template, body, role):
    assert call(client, method, path(cast, template), {}, body).status_code == 401


@pytest.mark.parametrize(("method", "template", "body", "role"), PARAMS)
def test_another_agency_is_404(client, cast, method, template, body, role):
    auth = bearer(cast.user("unrelated", Role.ADMIN))
    response = call(client, method, path(cast, template), auth, body)
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


@pytest.mark.parametrize(
    ("method", "template", "body", "role"), [p for p in PARAMS if "{u}" in p.values[1]]
)
def test_member_of_another_agency_is_404(client, cast, method, template, body, role):
    auth = bearer(cast.user("subordinate", Role.ADMIN))
    url = path(cast, template, member_key="unrelated")
    assert call(client, method, url, auth, body).status_code == 404


@pytest.mark.parametrize(("method", "template", "body", "role"), [p for p in PARAMS if p.values[3]])
@pytest.mark.parametrize("who", [("subordinate", Role.HANDLER), ("district", Role.SUPERVISOR)])
def test_without_the_role_is_403(client, cast, method, template, body, role, who):
    response = call(client, method, path(cast, template), bearer(cast.user(*who)), body)
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "template", "body", "role"), PARAMS)
def test_allowed_caller_succeeds(client, cast, method, template, body, role):
    response = call(
        client, method, path(cast, template), bearer(cast.user("subordinate", Role.ADMIN)), body
    )
    assert response.status_code in {200, 201}, response.content


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("DELETE", "/api/agencies/{a}"),
        ("PUT", "/api/agencies/{a}/staff"),
        ("GET", "/api/agencies/{a}/staff/{u}/unlock"),
        ("POST", "/api/me"),
    ],
)
def test_wrong_method_is_405(client, cast, method, template):
    auth = bearer(cast.user("subordinate", Role.ADMIN))
    assert call(client, method, path(cast, template), auth).status_code == 405


def test_supervisor_reads_subordinate_but_street_user_not_sibling(client, cast):
    """Done-when of issue 3: 404 on a sibling's data, the supervisor reads both."""
    from xxgk.agencies.models import Agency

    sibling = Agency.objects.create(
        name="测试区教育局", kind="department", parent=cast.district, slug="cast-dept"
    )
    street = bearer(cast.user("subordinate", Role.HANDLER))
    assert client.get(f"/api/agencies/{sibling.pk}", **street).status_code == 404
    supervisor = bearer(cast.user("district", Role.SUPERVISOR))
    assert client.get(f"/api/agencies/{sibling.pk}", **supervisor).status_code == 200
    assert client.get(f"/api/agencies/{cast.subordinate.pk}", **supervisor).status_code == 200
    names = {a["name"] for a in client.get("/api/agencies", **supervisor).json()}
    assert names == {cast.district.name, cast.subordinate.name, sibling.name}


def test_me_lists_roles(client, cast):
    body = client.get("/api/me", **bearer(cast.user("district", Role.SUPERVISOR))).json()
    assert body["username"] == "district-supervisor"
    assert [r["role"] for r in body["roles"]] == ["supervisor"]


def test_patch_agency_changes_and_audits(client, cast):
    auth = bearer(cast.user("subordinate", Role.ADMIN))
    response = call(
        client, "PATCH", f"/api/agencies/{cast.subordinate.pk}", auth, {"channels": ["email"]}
    )
    assert response.json()["channels"] == ["in_person", "post", "email"]
    assert AuditEvent.objects.filter(action="agency.update", agency=cast.subordinate).count() == 1


def test_patch_with_bad_value_is_422_and_changes_nothing(client, cast):
    auth = bearer(cast.user("subordinate", Role.ADMIN))
    response = call(
        client, "PATCH", f"/api/agencies/{cast.subordinate.pk}", auth, {"channels": ["pigeon"]}
    )
    assert response.status_code == 422
    assert "未知的申请渠道" in response.json()["detail"]
    cast.subordinate.refresh_from_db()
    assert cast.subordinate.channels == ["in_person", "post"]


def test_create_staff_returns_one_time_password(client, cast):
    auth = bearer(cast.user("subordinate", Role.ADMIN))
    body = {"username": "api-user", "full_name": "接口", "roles": ["registrar"]}
    response = call(client, "POST", f"/api/agencies/{cast.subordinate.pk}/staff", auth, body)
    assert response.status_code == 201
    user = User.objects.get(username="api-user")
    assert user.check_password(response.json()["one_time_password"])
    again = call(client, "POST", f"/api/agencies/{cast.subordinate.pk}/staff", auth, body)
    assert again.status_code == 422


def test_unknown_role_is_422(client, cast):
    auth = bearer(cast.user("subordinate", Role.ADMIN))
    url = path(cast, "/api/agencies/{a}/staff/{u}/roles")
    response = call(client, "PUT", url, auth, {"roles": ["king"]})
    assert response.status_code == 422
    member = cast.user("subordinate", Role.HANDLER)
    assert list(Membership.objects.filter(user=member).values_list("role", flat=True)) == [
        "handler"
    ]


def test_session_auth_needs_csrf_on_unsafe_methods(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.user("subordinate", Role.HANDLER))
    assert client.get("/api/me").status_code == 200
    assert (
        client.post(
            "/api/tokens", data=json.dumps({"name": "x"}), content_type="application/json"
        ).status_code
        == 403
    )
    client.get("/workspace/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/tokens",
        data=json.dumps({"name": "x"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201


def test_tokens_create_list_revoke(client, cast):
    owner = cast.user("subordinate", Role.HANDLER)
    auth = bearer(owner)
    created = call(client, "POST", "/api/tokens", auth, {"name": "第二个"}).json()
    assert created["key"].startswith("xxgk_")
    assert {t["name"] for t in client.get("/api/tokens", **auth).json()} == {"test", "第二个"}
    other = bearer(cast.user("subordinate", Role.ADMIN))
    assert client.delete(f"/api/tokens/{created['id']}", **other).status_code == 404
    assert client.delete(f"/api/tokens/{created['id']}", **auth).status_code == 204
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {created['key']}").status_code == 401


def test_revoked_or_garbage_token_is_401(client, cast):
    assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    user = cast.user("subordinate", Role.HANDLER)
    User.objects.filter(pk=user.pk).update(is_active=False)
    _, key = ApiToken.issue(user, "x")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_openapi_schema_and_docs_are_served_without_cdn(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/agencies/{agency_id}" in schema["paths"]
    docs = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


def test_create_child_agency_validates_kind_and_slug(client, cast):
    auth = bearer(cast.user("subordinate", Role.ADMIN))
    url = f"/api/agencies/{cast.subordinate.pk}/children"
    bad = call(client, "POST", url, auth, {"name": "x", "kind": "empire", "slug": "Bad Slug"})
    assert bad.status_code == 422
    from xxgk.agencies.models import Agency

    assert not Agency.objects.filter(name="x").exists()


def test_password_change_through_the_api(client, cast):
    user = cast.user("subordinate", Role.HANDLER)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)
    assert client.get("/api/me").status_code == 403  # must change first
    url = "/api/me/password"
    wrong = call(
        client, "POST", url, {}, {"old_password": "nope", "new_password": "Xq7#mangoRiver"}
    )
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.json()["detail"]
    weak = call(client, "POST", url, {}, {"old_password": cast.PASSWORD, "new_password": "abc"})
    assert weak.status_code == 422
    ok = call(
        client, "POST", url, {}, {"old_password": cast.PASSWORD, "new_password": "Xq7#mangoRiver"}
    )
    assert ok.status_code == 204
    assert client.get("/api/me").status_code == 200  # session kept, no longer forced
    user.refresh_from_db()
    assert user.check_password("Xq7#mangoRiver") and not user.must_change_password
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/api/me"),
        ("GET", "/api/agencies"),
        ("GET", "/api/tokens"),
        ("POST", "/api/tokens"),
        ("POST", "/api/me/password"),
    ],
)
def test_account_endpoints_need_credentials(client, method, url):
    assert getattr(client, method.lower())(url).status_code == 401


def test_totp_on_and_off_through_the_api(client, cast):
    import time

    import pyotp

    user = cast.user("subordinate", Role.HANDLER)
    auth = bearer(user)
    setup = call(client, "POST", "/api/me/totp/setup", auth).json()
    totp = pyotp.TOTP(setup["secret"])
    assert setup["uri"].startswith("otpauth://totp/") and "subordinate-handler" in setup["uri"]
    wrong = "000000" if totp.now() != "000000" else "111111"
    bad = call(
        client, "POST", "/api/me/totp/enable", auth, {"secret": setup["secret"], "code": wrong}
    )
    assert bad.status_code == 422 and "动态口令不正确" in bad.json()["detail"]
    user.refresh_from_db()
    assert not user.totp_enabled
    body = {"secret": setup["secret"], "code": totp.now()}
    assert call(client, "POST", "/api/me/totp/enable", auth, body).status_code == 204
    user.refresh_from_db()
    assert user.totp_enabled and user.totp_secret == setup["secret"]
    assert call(client, "GET", "/api/me", auth).json()["totp_enabled"] is True
    assert call(client, "POST", "/api/me/totp/setup", auth).status_code == 422
    assert AuditEvent.objects.filter(action="auth.totp_enable", target_id=str(user.pk)).exists()
    # Off: needs a fresh code (the one used to enable is spent).
    again = call(client, "POST", "/api/me/totp/disable", auth, {"code": body["code"]})
    assert again.status_code == 422
    off = call(client, "POST", "/api/me/totp/disable", auth, {"code": totp.at(time.time() + 30)})
    assert off.status_code == 204
    user.refresh_from_db()
    assert not user.totp_enabled and user.totp_secret == ""
    assert AuditEvent.objects.filter(action="auth.totp_disable", target_id=str(user.pk)).exists()
    assert call(client, "GET", "/api/me/totp/setup", auth).status_code == 405


@pytest.mark.parametrize(
    "url", ["/api/me/totp/setup", "/api/me/totp/enable", "/api/me/totp/disable"]
)
def test_totp_endpoints_need_credentials(client, url):
    assert client.post(url).status_code == 401
