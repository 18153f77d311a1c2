"""Background jobs of the applications area (docs/jobs.md, docs/applications.md).

* ``applications-calendar-check`` (daily 00:20): recompute every open case's clock if the
  holiday calendar changed.
* ``applications-deadline-reminders`` (daily 07:30): one e-mail per handler (Django's mail
  backend) listing their cases due soon and overdue, and the pluggable SMS hook
  (``XXGK_SMS_HOOK`` = dotted path of ``callable(user, text)``).
* ``applications-housekeeping`` (daily 03:30): prune rate-limit rows, remove files left by a
  process killed between writing a file and committing its row.
* ``applications-lapses`` (daily 00:40): close the cases whose 补正 period (条例第三十条) or
  fee payment period (国办函〔2020〕109号) ended before that day — 视为放弃申请.

Arguments are ids and ISO dates only; messages carry tracking numbers and dates, never an
applicant's personal data.
"""

from __future__ import annotations

import logging
import time as _time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from xxgk.jobs.scheduler import daily

log = logging.getLogger(__name__)

#: Working days before the due date at which a case counts as "due soon".
DUE_SOON_WORKING_DAYS = 3


@task()
def recompute_clocks(force: bool = False) -> int | None:
    """Recompute every open case if the calendar changed (or ``force``)."""
    from xxgk.applications.clock import ensure_clocks_current

    return ensure_clocks_current(force=force)


@daily("applications-calendar-check", at=time(0, 20))
def calendar_check(day: str) -> int | None:
    """Daily: the loaded holiday calendar against the one the stored clocks used."""
    from xxgk.applications.clock import ensure_clocks_current

    return ensure_clocks_current()


@daily("applications-lapses", at=time(0, 40))
def lapses(day: str) -> dict[str, int]:
    """Daily 00:40: 逾期不补正 and 逾期未缴费 cases are closed (audit-logged as the system)."""
    from xxgk.applications.workflow import close_lapsed

    return close_lapsed(date.fromisoformat(day))


def due_soon_limit(today: date) -> date:
    """The last due date that counts as due soon: today + 3 working days."""
    from xxgk.applications.clock import calendars
    from xxgk.statute.errors import CalendarYearMissing

    cals = calendars()
    try:
        return cals.strict.add_workdays(today, DUE_SOON_WORKING_DAYS)
    except CalendarYearMissing:
        return cals.fallback.add_workdays(today, DUE_SOON_WORKING_DAYS)


def sms_hook() -> Callable[[Any, str], Any] | None:
    """The SMS sender plugged in through ``XXGK_SMS_HOOK`` (dotted path), or None."""
    from xxgk.applications.conf import str_setting

    path = str_setting("XXGK_SMS_HOOK")
    return import_string(path) if path else None


def send_reminders(today: date) -> dict[str, int]:
    """Remind each handler (or, for unassigned cases, the agency's 登记员 and 负责人) of open
    cases overdue or due within three working days, and the 登记员 of applications still
    waiting for confirmation from before today (条例第三十一条: confirm on the day received).
    Returns counts."""
    from xxgk.accounts.models import Membership
    from xxgk.accounts.roles import Role
    from xxgk.applications.models import Application, Status

    last = due_soon_limit(today)
    cases = list(
        Application.objects.open()
        .filter(effective_due__lte=last)
        .select_related("agency", "handler")
        .order_by("effective_due", "pk")
    )
    tz = timezone.get_current_timezone()
    day_start = datetime.combine(today, time.min, tzinfo=tz)
    waiting = list(
        Application.objects.filter(status=Status.PENDING, submitted_at__lt=day_start)
        .select_related("agency")
        .order_by("submitted_at", "pk")
    )
    users: dict[int, Any] = {}
    due: dict[int, list[Application]] = defaultdict(list)
    pending: dict[int, list[Application]] = defaultdict(list)
    unassigned: dict[int, list[Application]] = defaultdict(list)
    for case in cases:
        if case.handler_id and case.handler.is_active:
            users[case.handler_id] = case.handler
            due[case.handler_id].append(case)
        else:
            unassigned[case.agency_id].append(case)
    waiting_by_agency: dict[int, list[Application]] = defaultdict(list)
    for case in waiting:
        waiting_by_agency[case.agency_id].append(case)
    agencies = set(unassigned) | set(waiting_by_agency)
    if agencies:
        for m in Membership.objects.filter(
            agency_id__in=list(agencies), role__in=[Role.REGISTRAR, Role.LEADER]
        ).select_related("user"):
            if not m.user.is_active:
                continue
            users[m.user_id] = m.user
            due[m.user_id].extend(c for c in unassigned[m.agency_id] if c not in due[m.user_id])
            if m.role == Role.REGISTRAR:
                pending[m.user_id].extend(
                    c for c in waiting_by_agency[m.agency_id] if c not in pending[m.user_id]
                )
    hook = sms_hook()
    mails = sms = failed = 0
    for user_id, user in users.items():
        items = due[user_id]
        overdue = [c for c in items if c.effective_due < today]
        soon = [c for c in items if c.effective_due >= today]
        unconfirmed = pending[user_id]
        if not (overdue or soon or unconfirmed):
            continue
        lines = [f"{user.display_name}：您好。"]
        if overdue:
            lines.append(f"已逾期 {len(overdue)} 件：")
            lines += [
                f"  {c.number}（{c.agency.display_name}）答复期限 {c.effective_due:%Y-%m-%d}"
                for c in overdue
            ]
        if soon:
            lines.append(f"{DUE_SOON_WORKING_DAYS}个工作日内到期 {len(soon)} 件：")
            lines += [
                f"  {c.number}（{c.agency.display_name}）答复期限 {c.effective_due:%Y-%m-%d}"
                for c in soon
            ]
        if unconfirmed:
            lines.append(
                f"待确认收到 {len(unconfirmed)} 件（条例第三十一条：以确认之日为收到申请之日，"
                "平常信函应于收到当日确认）："
            )
            lines += [
                f"  {c.number}（{c.agency.display_name}）提交于 "
                f"{timezone.localtime(c.submitted_at):%Y-%m-%d}"
                for c in unconfirmed
            ]
        lines.append("请登录工作台办理。")
        text = "\n".join(lines)
        subject = f"政府信息公开申请期限提醒：逾期{len(overdue)}件，即将到期{len(soon)}件"
        if unconfirmed:
            subject += f"，待确认{len(unconfirmed)}件"
        if user.email:
            try:
                send_mail(subject, text, None, [user.email])
                mails += 1
            except Exception as exc:  # one unreachable mailbox must not stop the others
                failed += 1
                log.warning(
                    "applications: reminder e-mail to user #%s failed (%s)",
                    user_id,
                    exc.__class__.__name__,
                )
        if hook is not None:
            try:
                hook(user, f"{subject}。请登录工作台办理。")
                sms += 1
            except Exception as exc:  # a broken SMS gateway must not stop the e-mails
                log.warning("applications: SMS hook failed (%s)", exc.__class__.__name__)
    return {
        "cases": len(cases),
        "pending": len(waiting),
        "users": len(users),
        "mails": mails,
        "mail_failures": failed,
        "sms": sms,
    }


@daily("applications-deadline-reminders", at=time(7, 30))
def deadline_reminders(day: str) -> dict[str, int]:
    """Daily 07:30: reminders of cases overdue or due within three working days."""
    return send_reminders(date.fromisoformat(day))


def remove_orphan_files(older_than_seconds: int = 24 * 3600) -> int:
    """Delete files under MEDIA_ROOT/applications that no row refers to (a process killed
    after writing a file and before committing), and stale ``.part`` files."""
    from xxgk.applications.models import Attachment

    root = Path(settings.MEDIA_ROOT) / "applications"
    if not root.exists():
        return 0
    cutoff = _time.time() - older_than_seconds
    known = set(Attachment.objects.values_list("file", flat=True))
    removed = 0
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(Path(settings.MEDIA_ROOT)).as_posix()
        try:
            old = path.stat().st_mtime < cutoff
        except OSError:
            continue
        if old and (path.suffix == ".part" or rel not in known):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


@daily("applications-housekeeping", at=time(3, 30))
def housekeeping(day: str) -> dict[str, int]:
    """Daily 03:30: old rate-limit rows and orphaned upload files."""
    from xxgk.applications.operations import prune_attempts

    pruned = prune_attempts(timezone.now() - timedelta(days=2))
    return {"attempts": pruned, "files": remove_orphan_files()}
