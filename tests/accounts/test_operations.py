"""Every account operation leaves its audit event (who, what, on whom, where)."""

import time

import pyotp
import pytest
from django.test import RequestFactory

from xxgk.accounts import operations
from xxgk.accounts.models import ApiToken
from xxgk.accounts.roles import Role
from xxgk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def request_from(address="10.9.8.7"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def event(action, target):
    found = AuditEvent.objects.filter(action=action, target_id=str(target.pk))
    assert found.count() == 1, action
    return found.get()


def test_set_roles_is_recorded_with_old_and_new(cast):
    admin = cast.user("subordinate", Role.ADMIN)
    member = cast.user("subordinate", Role.HANDLER)
    operations.set_roles(admin, cast.subordinate, member, [Role.REVIEWER], request=request_from())
    e = event("user.set_roles", member)
    assert e.actor_label == admin.username and e.agency_id == cast.subordinate.pk
    assert e.details == {"old": ["handler"], "new": ["reviewer"]}
    assert e.ip_address == "10.9.8.7"
    # Setting the same roles again changes nothing and records nothing.
    operations.set_roles(admin, cast.subordinate, member, [Role.REVIEWER])
    assert AuditEvent.objects.filter(action="user.set_roles").count() == 1


def test_reset_password_and_unlock_are_recorded_without_the_password(cast):
    admin = cast.user("subordinate", Role.ADMIN)
    member = cast.user("subordinate", Role.HANDLER)
    password = operations.reset_password(admin, cast.subordinate, member, request=request_from())
    e = event("user.reset_password", member)
    assert e.actor_label == admin.username and e.agency_id == cast.subordinate.pk
    assert password not in str(e.details) and password not in e.target_label
    operations.unlock_user(admin, cast.subordinate, member, request=request_from("10.0.0.2"))
    e = event("user.unlock", member)
    assert e.actor_label == admin.username and e.ip_address == "10.0.0.2"


def test_token_create_and_revoke_are_recorded_without_the_key(cast):
    user = cast.user("subordinate", Role.HANDLER)
    token, key = operations.issue_token(user, "脚本", request=request_from())
    created = event("token.create", token)
    assert created.actor_label == user.username and created.target_type == "accounts.apitoken"
    assert key not in str(created.details) and key not in created.target_label
    operations.revoke_token(user, token, request=request_from())
    assert event("token.revoke", token).actor_label == user.username
    operations.revoke_token(user, ApiToken.objects.get(pk=token.pk))  # already revoked
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1


def test_totp_enable_and_disable_are_recorded_without_the_secret(cast):
    user = cast.user("subordinate", Role.HANDLER)
    secret = operations.start_totp(user)
    totp = pyotp.TOTP(secret)
    assert not operations.enable_totp(user, secret, "000000" if totp.now() != "000000" else "1")
    assert not AuditEvent.objects.filter(action="auth.totp_enable").exists()
    assert operations.enable_totp(user, secret, totp.now(), request=request_from())
    e = event("auth.totp_enable", user)
    assert e.actor_label == user.username and secret not in str(e.details)
    # A code is accepted once: turning it off takes the next one (one step of clock slack).
    assert operations.disable_totp(user, totp.at(time.time() + 30), request=request_from())
    assert event("auth.totp_disable", user).actor_label == user.username
