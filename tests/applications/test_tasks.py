"""Daily jobs: deadline reminders (mail backend + SMS hook), calendar check, housekeeping;
the management command; the stale-calendar check when a process builds its calendar."""

from __future__ import annotations

import io
import os
import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.applications.conftest import PDF, VALID_ID, person
from xxgk.accounts.roles import Role
from xxgk.applications import clock, operations, tasks
from xxgk.applications.models import Application, CalendarState, SubmissionAttempt

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str]] = []


def fake_sms(user, text):
    SENT.append((user.username, text))


def register(cast, **kw):
    kw.setdefault("channel", "in_person")
    kw.setdefault("applicant", person())
    kw.setdefault("description", "某年度预算")
    return operations.register_application(
        cast.user("subordinate", Role.REGISTRAR), cast.subordinate, **kw
    )


def test_reminders_go_to_handlers_and_to_registrars_for_unassigned(cast, settings):
    settings.XXGK_SMS_HOOK = "tests.applications.test_tasks.fake_sms"
    SENT.clear()
    handler = cast.user("subordinate", Role.HANDLER)
    handler.email = "handler@example.gov.cn"
    handler.save(update_fields=["email"])
    registrar = cast.user("subordinate", Role.REGISTRAR)
    registrar.email = "registrar@example.gov.cn"
    registrar.save(update_fields=["email"])
    overdue = register(cast, channel="post_signed", signed_on=date(2026, 9, 1))
    operations.assign_handler(cast.user("subordinate", Role.LEADER), overdue, handler)
    unassigned = register(cast, channel="post_signed", signed_on=date(2026, 9, 2))
    far = register(cast)  # due in 20 working days: no reminder
    today = timezone.localdate()
    counts = tasks.send_reminders(today)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert overdue.number in by_to["handler@example.gov.cn"].body
    assert unassigned.number not in by_to["handler@example.gov.cn"].body
    assert unassigned.number in by_to["registrar@example.gov.cn"].body
    assert all(far.number not in m.body for m in mail.outbox)
    assert all(VALID_ID not in m.body and "张三" not in m.body for m in mail.outbox)
    assert "逾期1件" in by_to["handler@example.gov.cn"].subject
    assert counts["mails"] == 2 and counts["cases"] == 2
    assert (
        "subordinate-handler",
        by_to["handler@example.gov.cn"].subject + "。请登录工作台办理。",
    ) in SENT


def test_due_soon_is_counted_in_working_days(cast):
    today = timezone.localdate()
    limit = tasks.due_soon_limit(today)
    cals = clock.calendars()
    cal = cals.strict if cals.strict.has_year(limit.year) else cals.fallback
    assert cal.workdays_between(today, limit) == 3 and cal.is_workday(limit)


def test_a_failing_sms_hook_does_not_stop_the_mails(cast, settings):
    settings.XXGK_SMS_HOOK = "tests.applications.test_tasks.no_such_function_but_import_fails"
    with pytest.raises(ImportError):
        tasks.sms_hook()
    settings.XXGK_SMS_HOOK = "tests.applications.test_tasks.broken_sms"
    handler = cast.user("subordinate", Role.REGISTRAR)
    handler.email = "r@example.gov.cn"
    handler.save(update_fields=["email"])
    register(cast, channel="post_signed", signed_on=date(2026, 9, 1))
    counts = tasks.send_reminders(timezone.localdate())
    assert counts["mails"] == 1 and counts["sms"] == 0


def broken_sms(user, text):
    raise ConnectionError("gateway down")


def test_daily_jobs_are_registered():
    from xxgk.jobs.scheduler import daily_jobs

    names = {job.name for job in daily_jobs()}
    assert {
        "applications-calendar-check",
        "applications-deadline-reminders",
        "applications-housekeeping",
        "applications-lapses",
    } <= names


def test_housekeeping_removes_orphans_and_old_attempts(cast, settings):
    register(cast, uploads=[operations.Upload("a.pdf", io.BytesIO(PDF), len(PDF), "scan")])
    root = settings.MEDIA_ROOT / "applications"
    orphan = root / "1" / "orphan.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(PDF)
    old = time.time() - 3 * 24 * 3600
    for p in root.rglob("*.*"):
        os.utime(p, (old, old))
    SubmissionAttempt.objects.create(
        scope="submit", address_key="x", at=timezone.now() - timedelta(days=3)
    )
    SubmissionAttempt.objects.create(scope="submit", address_key="y")
    result = tasks.housekeeping.call(timezone.localdate().isoformat())
    assert result == {"attempts": 1, "files": 1}
    assert not orphan.exists() and len(list(root.rglob("*.*"))) == 1


def test_management_command_and_calendar_check(cast):
    register(cast)
    out = io.StringIO()
    call_command("recompute_deadlines", "--force", stdout=out)
    assert "重新计算 1 件" in out.getvalue()
    assert CalendarState.objects.get().fingerprint == clock.calendars().fingerprint
    from xxgk.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="application.recompute_clocks")
    assert event.actor is None and event.details["via"] == "command"
    assert event.details["cases"] == 1
    out = io.StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert "无需重新计算" in out.getvalue()
    assert tasks.calendar_check.call(timezone.localdate().isoformat()) is None


def test_building_the_calendar_enqueues_a_recomputation_when_stale(cast):
    from django_tasks_db.models import DBTaskResult

    CalendarState.objects.create(fingerprint="stale")
    clock.reset_cache()
    before = DBTaskResult.objects.filter(task_path__endswith="recompute_clocks").count()
    clock.calendars()
    after = DBTaskResult.objects.filter(task_path__endswith="recompute_clocks").count()
    assert after == before + 1
    clock.calendars()  # cached: no second check
    assert DBTaskResult.objects.filter(task_path__endswith="recompute_clocks").count() == after
    assert Application.objects.count() == 0


def test_registrars_are_reminded_of_applications_waiting_for_confirmation(cast):
    """条例第三十一条: a letter/fax/online application waits for confirmation; remind."""
    registrar = cast.user("subordinate", Role.REGISTRAR)
    registrar.email = "r@example.gov.cn"
    registrar.save(update_fields=["email"])
    old = register(cast, channel="fax", arrived_on=date(2026, 11, 2))
    Application.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    fresh = register(cast, channel="fax")  # arrived today: not yet a reminder
    counts = tasks.send_reminders(timezone.localdate())
    assert counts["pending"] == 1
    (message,) = mail.outbox
    assert old.number in message.body and fresh.number not in message.body
    assert "待确认1件" in message.subject


def test_a_failing_mailbox_does_not_stop_the_others(cast, settings, monkeypatch, caplog):
    """A refused recipient is logged in one line (no address) and the job carries on: the
    other handlers get their mail and everyone still gets the SMS."""
    settings.XXGK_SMS_HOOK = "tests.applications.test_tasks.fake_sms"
    SENT.clear()
    handler = cast.user("subordinate", Role.HANDLER)
    handler.email = "broken@example.gov.cn"
    handler.save(update_fields=["email"])
    registrar = cast.user("subordinate", Role.REGISTRAR)
    registrar.email = "registrar@example.gov.cn"
    registrar.save(update_fields=["email"])
    mine = register(cast, channel="post_signed", signed_on=date(2026, 9, 1))
    operations.assign_handler(cast.user("subordinate", Role.LEADER), mine, handler)
    register(cast, channel="post_signed", signed_on=date(2026, 9, 2))
    real = tasks.send_mail

    def refuse_one(subject, body, sender, to, **kw):
        if to == ["broken@example.gov.cn"]:
            raise ConnectionRefusedError("smtp down")
        return real(subject, body, sender, to, **kw)

    monkeypatch.setattr(tasks, "send_mail", refuse_one)
    with caplog.at_level("WARNING", logger="xxgk.applications.tasks"):
        counts = tasks.send_reminders(timezone.localdate())
    assert [m.to for m in mail.outbox] == [["registrar@example.gov.cn"]]
    assert counts["mails"] == 1 and counts["mail_failures"] == 1
    assert {name for name, _ in SENT} >= {"subordinate-handler", "subordinate-registrar"}
    lines = [r.getMessage() for r in caplog.records if "reminder e-mail" in r.getMessage()]
    assert len(lines) == 1 and "ConnectionRefusedError" in lines[0]
    assert "broken@" not in lines[0] and "\n" not in lines[0]
