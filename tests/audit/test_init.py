"""xxgk.audit.record and the append-only guarantee."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from xxgk import audit
from xxgk.accounts.roles import Role
from xxgk.audit.models import AuditEvent, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_when_where(cast, settings):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="test-agent")
    actor = cast.user("subordinate", Role.ADMIN)
    event = audit.record(
        actor, "agency.update", cast.subordinate, request=request, field="office_phone"
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id == actor.pk and event.actor_label == "subordinate-admin"
    assert event.agency_id == cast.subordinate.pk
    assert event.target_type == "agencies.agency" and event.target_id == str(cast.subordinate.pk)
    assert event.ip_address == "192.0.2.7" and event.user_agent == "test-agent"
    assert event.details == {"field": "office_phone"}
    assert event.at is not None


def test_forwarded_address_is_used_only_behind_configured_proxies(cast, settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert audit.client_ip(request) == "10.0.0.1"
    settings.XXGK_TRUSTED_PROXY_COUNT = 1
    assert audit.client_ip(request) == "203.0.113.9"


def test_model_refuses_changes_and_deletion(cast):
    event = audit.record(None, "demo.create", cast.district, actor_label="system")
    event.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "demo.create"


def test_database_refuses_update_behind_the_orms_back(cast):
    event = audit.record(None, "demo.create", cast.district, actor_label="system")
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "demo.create"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite guards UPDATE only")
def test_postgresql_refuses_delete_behind_the_orms_back(cast):
    event = audit.record(None, "demo.create", cast.district, actor_label="system")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_a_user_keeps_their_history(cast):
    from xxgk.accounts.models import User

    user = User.objects.create(username="leaver")
    event = audit.record(user, "auth.login", user)
    user.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "leaver"
