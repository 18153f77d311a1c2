"""Named operations on appeals (行政复议、行政诉讼): record one, record its result.

The case is reached through :mod:`xxgk.agencies.scoping` by the caller; the roles here are
承办人 and 负责人 of the handling agency. Audit-logged; nothing stored on a ValidationError.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xxgk import audit
from xxgk.accounts.roles import Role
from xxgk.agencies.scoping import require_role
from xxgk.appeals.models import Appeal, AppealKind, AppealResult
from xxgk.applications.workflow import check_unlocked

ROLES = (Role.HANDLER, Role.LEADER)


def _not_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({"date": f"{label}不能晚于今天。"})


def record_appeal(
    user: Any,
    application: Any,
    *,
    kind: str,
    filed_on: date,
    body: str,
    reference: str = "",
    earlier: Appeal | None = None,
    request: Any = None,
) -> Appeal:
    """Record a 行政复议 or 行政诉讼 about ``application`` (filed after the case was received).

    A 复议后起诉 names the reconsideration it follows (same case, decided before the suit).
    An appeal filed in a locked year (annual report published) is refused: that year's
    table 四 cannot change silently (the applications workflow's year-lock check)."""
    require_role(user, application.agency, *ROLES)
    if kind not in AppealKind.values:
        raise ValidationError({"kind": "请选择行政复议、直接起诉或复议后起诉。"})
    if not body.strip():
        raise ValidationError({"body": "请填写复议机关或人民法院。"})
    _not_future(filed_on, "申请或起诉日期")
    check_unlocked(application.agency, filed_on)
    start = application.received_on or timezone.localtime(application.submitted_at).date()
    if filed_on < start:
        raise ValidationError({"filed_on": "申请或起诉日期不能早于收到政府信息公开申请之日。"})
    if kind == AppealKind.SUIT_AFTER_REVIEW:
        if earlier is None or earlier.application_id != application.pk:
            raise ValidationError({"earlier": "复议后起诉，请指明本案的行政复议。"})
        if earlier.kind != AppealKind.REVIEW or earlier.decided_on is None:
            raise ValidationError({"earlier": "所依据的须为已审结的行政复议。"})
        if filed_on < earlier.decided_on:
            raise ValidationError({"filed_on": "起诉日期不能早于复议决定日期。"})
    elif earlier is not None:
        raise ValidationError({"earlier": "只有复议后起诉才指明所依据的复议。"})
    with transaction.atomic():
        appeal = Appeal.objects.create(
            agency=application.agency,
            application=application,
            kind=kind,
            filed_on=filed_on,
            body=body.strip()[:100],
            reference=reference.strip()[:60],
            earlier=earlier,
            created_by=user,
        )
        audit.record(
            user, "appeal.record", appeal, request=request, kind=kind,
            filed_on=filed_on.isoformat(), application=application.pk,
        )  # fmt: skip
    return appeal


def record_result(
    user: Any,
    appeal: Appeal,
    *,
    result: str,
    decided_on: date,
    note: str = "",
    request: Any = None,
) -> Appeal:
    """Record the result: 维持, 纠正 or 其他 (``pending`` is the state before a result).

    A result decided in a locked year is refused (the applications workflow's year-lock
    check), so a published table 四 cannot change silently."""
    require_role(user, appeal.agency, *ROLES)
    if result not in AppealResult.values or result == AppealResult.PENDING:
        raise ValidationError({"result": "请选择结果维持、结果纠正或其他结果。"})
    _not_future(decided_on, "审结日期")
    if decided_on < appeal.filed_on:
        raise ValidationError({"decided_on": "审结日期不能早于申请或起诉日期。"})
    check_unlocked(appeal.agency, decided_on)
    with transaction.atomic():
        row = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if row.decided_on is not None:
            raise ValidationError("该案已登记结果。")
        row.result = result
        row.decided_on = decided_on
        row.note = note.strip()
        row.save(update_fields=["result", "decided_on", "note"])
        audit.record(
            user, "appeal.record_result", row, request=request, result=result,
            decided_on=decided_on.isoformat(),
        )  # fmt: skip
    return row
