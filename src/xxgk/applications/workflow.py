"""Part 2 of the case: named operations from the 补正 to the delivery of the reply.

Every function here is a named operation (conventions item 4): it checks the role (after the
caller reached the case through :mod:`xxgk.agencies.scoping`), checks the facts, writes in one
transaction with the case row locked, appends a :class:`~xxgk.applications.models.CaseEvent`
(the timeline: what, who, legal effect) and records the audit log. They raise
``ValidationError`` (Chinese messages) or ``PermissionDenied``; nothing is stored then.

Dates (``on=``) default to today and may be earlier (registering paper facts afterwards) but
never in the future, never before the receipt date, and never in a locked year.

Periods come from :mod:`xxgk.statute.periods` (consultation 15 working days, fee payment 20,
answer 20 + extension ≤ 20), fees from :mod:`xxgk.statute.fees`, answer types and their
report rows from :mod:`xxgk.statute.taxonomies` — never restated here.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xxgk import audit
from xxgk.accounts.roles import Role
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import has_role, require_role
from xxgk.applications import clock
from xxgk.applications.models import (
    Application,
    CaseEvent,
    Consultation,
    ConsultationKind,
    FeeBasis,
    LockedYear,
    Opinion,
    ReplyCorrection,
    ReplyStage,
    ServiceMethod,
    SignOffStep,
    Status,
    WorkflowSettings,
)
from xxgk.statute import fees as statute_fees
from xxgk.statute.errors import StatuteError
from xxgk.statute.periods import (
    MAX_EXTENSION_DAYS,
    consultation_reply_deadline,
    fee_payment_deadline,
)
from xxgk.statute.taxonomies import AnswerType, answer_type_info

HANDLER_ROLES = (Role.HANDLER,)
#: Facts that arrive at the office (corrected application, payment, delivery receipts).
DESK_ROLES = (Role.REGISTRAR, Role.HANDLER)
REVIEW_ROLES = (Role.REVIEWER,)
LEADER_ROLES = (Role.LEADER,)

#: Outcomes that close a case without a decision on the merits (set by their own operation).
PROCEDURAL_OUTCOMES = frozenset(
    {AnswerType.CORRECTION_ABANDONED, AnswerType.FEE_UNPAID, AnswerType.OTHER}
)
#: Answer types that need the information provided (or how to get it).
NEEDS_PROVIDED = frozenset({AnswerType.ALREADY_PUBLIC, AnswerType.DISCLOSED, AnswerType.PARTIAL})
#: Answer types that need the reasons (条例第三十六条第（三）（五）项、第三十七条).
NEEDS_REASONS = frozenset(
    {
        AnswerType.PARTIAL,
        AnswerType.WITHHELD_STATE_SECRET,
        AnswerType.WITHHELD_LAW,
        AnswerType.WITHHELD_THREE_SAFETIES,
        AnswerType.WITHHELD_THIRD_PARTY,
        AnswerType.WITHHELD_INTERNAL,
        AnswerType.WITHHELD_PROCESS,
        AnswerType.WITHHELD_ENFORCEMENT_FILE,
        AnswerType.NOT_RESPONSIBLE,
    }
)
#: Answer types that count as "已作出答复" for the repeat check (条例第三十六条第（六）项).
NOT_AN_ANSWER = frozenset(
    {AnswerType.CORRECTION_ABANDONED, AnswerType.FEE_UNPAID, AnswerType.OTHER}
)
DEFAULT_CHAIN = ["review", "approval"]
DECISION_FIELDS = [
    "answer_type",
    "legal_basis",
    "provided_information",
    "withheld_reasons",
    "responsible_agency",
    "duplicate_of",
]


# ----- helpers --------------------------------------------------------------------------


def workflow_settings(agency: Agency) -> WorkflowSettings:
    """The agency's workflow settings (created with the defaults on first use)."""
    obj, _ = WorkflowSettings.objects.get_or_create(
        agency=agency, defaults={"chain": list(DEFAULT_CHAIN)}
    )
    return obj


def signoff_chain(agency: Agency) -> list[str]:
    """The stages after the 承办人's draft: ``review`` (审核人, 保密审查 条例第十七条) is
    optional per agency; ``approval`` (负责人签发) is always last."""
    chain = [s for s in workflow_settings(agency).chain if s in ("review", "approval")]
    chain = [s for s in chain if s != "approval"] + ["approval"]
    return list(dict.fromkeys(chain))


def set_signoff_chain(
    user: Any, agency: Agency, chain: Sequence[str], *, request: Any = None
) -> list[str]:
    """管理员 sets the chain (``["review", "approval"]`` or ``["approval"]``)."""
    require_role(user, agency, Role.ADMIN)
    bad = [s for s in chain if s not in ("review", "approval")]
    if bad or not chain:
        raise ValidationError({"chain": "签批环节只能为“审核”和“负责人签发”，且须有负责人签发。"})
    settings_row = workflow_settings(agency)
    before = settings_row.chain
    settings_row.chain = list(dict.fromkeys([*[s for s in chain if s != "approval"], "approval"]))
    settings_row.save(update_fields=["chain"])
    audit.record(
        user, "application.set_signoff_chain", agency, request=request, before=before,
        after=settings_row.chain,
    )  # fmt: skip
    return settings_row.chain


def set_correction_defaults(
    user: Any, agency: Agency, *, days: int, max_rounds: int, request: Any = None
) -> WorkflowSettings:
    """管理员 sets the default 补正 period (working days, 1–60; S-JS: 一般不超过15个工作日) and
    how many 补正 notices a case may get (1–3; S-JS: in principle one)."""
    require_role(user, agency, Role.ADMIN)
    errors = {}
    if not isinstance(days, int) or not 1 <= days <= 60:
        errors["correction_days"] = "默认补正期限应为1至60个工作日。"
    if not isinstance(max_rounds, int) or not 1 <= max_rounds <= 3:
        errors["max_correction_rounds"] = "补正次数应为1至3次。"
    if errors:
        raise ValidationError(errors)
    row = workflow_settings(agency)
    before = {"days": row.correction_days, "max_rounds": row.max_correction_rounds}
    row.correction_days, row.max_correction_rounds = days, max_rounds
    row.save(update_fields=["correction_days", "max_correction_rounds"])
    audit.record(
        user, "application.set_correction_defaults", agency, request=request, before=before,
        after={"days": days, "max_rounds": max_rounds},
    )  # fmt: skip
    return row


def locked_years(agency: Agency) -> set[int]:
    return set(LockedYear.objects.filter(agency=agency).values_list("year", flat=True))


def check_unlocked(agency: Agency, *days: date | None) -> None:
    years = locked_years(agency)
    for d in days:
        if d is not None and d.year in years:
            raise ValidationError(
                f"{d.year}年度已锁定（年度报告已公布），不能再登记该年度的办理事项。"
            )


def _day(app: Application, on: date | None, label: str, *, not_before: date | None = None) -> date:
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise ValidationError({"on": f"{label}不能晚于今天。"})
    floor = not_before or app.received_on
    if floor is not None and day < floor:
        raise ValidationError({"on": f"{label}不能早于{floor.isoformat()}。"})
    check_unlocked(app.agency, day)
    return day


def _locked_case(app: Application) -> Application:
    return Application.objects.select_for_update().select_related("agency").get(pk=app.pk)


def _event(
    app: Application,
    user: Any,
    kind: str,
    label: str,
    effect: str,
    on: date,
    *,
    request: Any = None,
    **details: Any,
) -> CaseEvent:
    """One timeline line + the audit event ``application.<kind>`` (no personal data)."""
    actor = user if getattr(user, "is_authenticated", False) else None
    event = CaseEvent.objects.create(
        agency=app.agency,
        application=app,
        on=on,
        kind=kind,
        label=label,
        legal_effect=effect,
        actor=actor,
        details=details,
    )
    extra = {} if actor is not None else {"actor_label": "系统"}
    audit.record(
        user, f"application.{kind}", app, request=request, on=on.isoformat(), **extra, **details
    )
    return event


def _recompute(app: Application) -> None:
    clock.apply_clock(app)
    if app.clock_error:
        raise ValidationError(app.clock_error)


def _require_status(app: Application, *statuses: str, what: str) -> None:
    if app.status not in statuses:
        raise ValidationError(f"当前状态为“{app.get_status_display()}”，不能{what}。")


def _require_not_replying(app: Application, what: str) -> None:
    if app.reply_stage in (ReplyStage.REVIEW, ReplyStage.APPROVAL, ReplyStage.SIGNED):
        raise ValidationError(f"答复已进入签批或已签发，不能{what}。")


def _save(app: Application, fields: Sequence[str]) -> None:
    app.save(update_fields=[*dict.fromkeys([*fields, "updated_at"])])


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# ----- 补正 (条例第三十条) ------------------------------------------------------------------


def request_correction(
    user: Any,
    application: Application,
    *,
    items: Sequence[str],
    period_days: int | None = None,
    on: date | None = None,
    received_on: date | None = None,
    request: Any = None,
) -> Application:
    """条例第三十条：一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限。

    The notice lists every item at once; the period (working days, default the agency's
    setting, 15) runs from the day after the applicant received the notice (``received_on``,
    default the notice day — a notice handed over or sent electronically). The answer period stops and restarts from
    zero on the receipt of the corrected application. A notice after the 7-working-day limit is
    recorded but flagged (the agency's fault, not a reason to refuse the notice).
    """
    require_role(user, application.agency, *HANDLER_ROLES, *DESK_ROLES)
    clean = [i.strip() for i in items if i and i.strip()]
    if not clean:
        raise ValidationError({"items": "请逐项列明需要补正的事项（一次性告知）。"})
    conf = workflow_settings(application.agency)
    days = period_days if period_days is not None else conf.correction_days
    if not 1 <= days <= 60:
        raise ValidationError({"period_days": "补正期限应为1至60个工作日。"})
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, Status.OPEN, what="告知补正")
        _require_not_replying(app, "告知补正")
        if app.correction_rounds >= conf.max_correction_rounds:
            raise ValidationError(
                "本机关设定的补正次数已用完；补正后仍不明确的，应作出“补正后申请内容仍不明确”"
                "的答复（条例第三十条）。"
            )
        day = _day(app, on, "补正告知日期")
        got = received_on or day
        if got < day or got > timezone.localdate():
            raise ValidationError({"received_on": "申请人收到补正告知的日期应在告知日与今天之间。"})
        deadline, fallback = clock.add_workdays(got, days)
        late = app.correction_notice_due is not None and day > app.correction_notice_due
        app.correction_items = clean
        app.correction_requested_on = day
        app.correction_period_days = days
        app.correction_deadline = deadline
        app.correction_received_on = None
        app.correction_rounds += 1
        app.status = Status.CORRECTION
        _recompute(app)
        _save(
            app,
            [
                "correction_items", "correction_requested_on", "correction_period_days",
                "correction_deadline", "correction_received_on", "correction_rounds", "status",
                *clock.CLOCK_FIELDS,
            ],
        )  # fmt: skip
        effect = (
            f"答复期限停止计算；申请人应于{deadline.isoformat()}前补正，答复期限自收到补正申请之日起"
            "重新计算；无正当理由逾期不补正的，视为放弃申请（条例第三十条）。"
        )
        if late:
            effect += f"注意：补正告知晚于法定期限{app.correction_notice_due.isoformat()}。"
        _event(
            app, user, "request_correction", "告知补正", effect, day, request=request,
            items=len(clean), period_days=days, deadline=deadline.isoformat(), late=late,
            weekday_fallback=fallback,
        )  # fmt: skip
    return app


def receive_correction(
    user: Any, application: Application, *, on: date | None = None, request: Any = None
) -> Application:
    """条例第三十条：答复期限自行政机关收到补正的申请之日起计算 (restarts from zero)."""
    require_role(user, application.agency, *DESK_ROLES)
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, Status.CORRECTION, what="登记补正")
        day = _day(app, on, "收到补正申请日期", not_before=app.correction_requested_on)
        app.correction_received_on = day
        app.status = Status.OPEN
        app.missing_items = []
        _recompute(app)
        _save(
            app,
            ["correction_received_on", "status", "missing_items", *clock.CLOCK_FIELDS],
        )
        late = app.correction_deadline is not None and day > app.correction_deadline
        _event(
            app, user, "receive_correction", "收到补正的申请",
            f"答复期限自{day.isoformat()}重新计算，至{app.effective_due.isoformat()}（条例第三十条、"
            "第三十三条）。" + ("补正晚于补正期限，本机关仍予受理。" if late else ""),
            day, request=request, answer_due=_iso(app.effective_due), late=late,
        )  # fmt: skip
    return app


def _close(app: Application, answer: AnswerType, day: date) -> None:
    app.answer_type = answer.value
    app.legal_basis = default_basis(answer)
    app.status = Status.CLOSED
    app.closed_on = day
    app.decided_on = day


def lapse_correction(
    user: Any, application: Application, *, on: date | None = None, request: Any = None
) -> Application:
    """条例第三十条：申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理。

    Counted in table 三 row （六）1 (2021) / （六） (2019). Only after the deadline passed."""
    return _lapse(
        user, application, on=on, request=request,
        status=Status.CORRECTION, what="按逾期不补正办结",
        started="correction_requested_on", deadline="correction_deadline",
        refusal="补正期限至{deadline}，期限届满前不能按逾期不补正办结。",
        answer_type=AnswerType.CORRECTION_ABANDONED,
        action="lapse_correction", title="逾期未补正，视为放弃申请",
        effect="不再处理该申请（条例第三十条）；计入年度报告“（六）其他处理”。",
    )  # fmt: skip


def _lapse(
    user: Any,
    application: Application,
    *,
    on: date | None,
    request: Any,
    status: str,
    what: str,
    started: str,
    deadline: str,
    refusal: str,
    answer_type: str,
    action: str,
    title: str,
    effect: str,
) -> Application:
    """Close a case whose period (``deadline`` field) ran out: 补正 (Art. 30) or fee payment.

    Allowed only after the deadline, by the desk roles or the daily job (``user`` None)."""
    if user is not None:
        require_role(user, application.agency, *DESK_ROLES)
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, status, what=what)
        day = _day(app, on, "办结日期", not_before=getattr(app, started))
        due = getattr(app, deadline)
        if due is None or day <= due:
            raise ValidationError(refusal.format(deadline=_iso(due)))
        _close(app, answer_type, day)
        app.reply_stage = ReplyStage.NONE
        _save(app, ["answer_type", "legal_basis", "status", "closed_on", "decided_on"])
        _event(app, user, action, title, effect, day, request=request, deadline=_iso(due))
    return app


# ----- 征求意见 (条例第三十二条、第三十四条) ---------------------------------------------------


def start_consultation(
    user: Any,
    application: Application,
    *,
    kind: str,
    party_name: str,
    matter: str,
    sent_on: date | None = None,
    party_received_on: date | None = None,
    party_address: str = "",
    party_contact: str = "",
    request: Any = None,
) -> Consultation:
    """条例第三十二条（第三方）、第三十四条（其他机关）：书面征求意见。

    The party has 15 working days from its receipt of the letter
    (:func:`~xxgk.statute.periods.consultation_reply_deadline`); the time is excluded from the
    answer period (第三十三条第三款), provisionally up to that deadline until the reply."""
    require_role(user, application.agency, *HANDLER_ROLES)
    if kind not in ConsultationKind.values:
        raise ValidationError({"kind": "请选择征求意见的对象类型。"})
    if not party_name.strip():
        raise ValidationError({"party_name": "请填写被征求意见方。"})
    if not matter.strip():
        raise ValidationError({"matter": "请说明征求意见的信息及可能影响的理由。"})
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, Status.OPEN, what="征求意见")
        _require_not_replying(app, "征求意见")
        sent = _day(app, sent_on, "发出征求意见书日期")
        received = party_received_on or sent
        if received < sent or received > timezone.localdate():
            raise ValidationError({"party_received_on": "对方收到日期应在发出日与今天之间。"})
        result, fallback = clock.run_with_fallback(consultation_reply_deadline, received)
        item = Consultation.objects.create(
            agency=app.agency,
            application=app,
            kind=kind,
            party_name=party_name.strip()[:100],
            party_address=party_address.strip()[:200],
            party_contact=party_contact.strip()[:100],
            matter=matter.strip(),
            sent_on=sent,
            party_received_on=received,
            deadline=result.due,
            created_by=user,
        )
        _recompute(app)
        _save(app, clock.CLOCK_FIELDS)
        _event(
            app, user, "start_consultation", f"征求意见（{item.article}）",
            f"对方应于{result.due.isoformat()}前提出意见；征求意见时间不计入答复期限（条例第三十三条"
            f"第三款），当前期限{_iso(app.effective_due)}。{item.silence_effect}",
            sent, request=request, consultation_id=item.pk, consultation_kind=kind,
            deadline=result.due.isoformat(), weekday_fallback=fallback,
        )  # fmt: skip
    return item


def record_consultation_reply(
    user: Any,
    consultation: Consultation,
    *,
    opinion: str,
    replied_on: date | None = None,
    reply_text: str = "",
    request: Any = None,
) -> Consultation:
    """Record the party's opinion, or its silence after the deadline (``opinion="silent"``).

    Silence: 第三方 — the agency decides under the Regulation (第三十二条); 其他机关 — deemed
    consent (第三十四条). The excluded period ends on the reply (at the latest the deadline)."""
    require_role(user, consultation.agency, *HANDLER_ROLES)
    if opinion not in Opinion.values:
        raise ValidationError({"opinion": "请选择意见。"})
    with transaction.atomic():
        app = _locked_case(consultation.application)
        item = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if item.opinion:
            raise ValidationError("该征求意见已有结果。")
        day = _day(app, replied_on, "收到意见日期", not_before=item.sent_on)
        if opinion == Opinion.SILENT:
            if day <= item.deadline:
                raise ValidationError(
                    f"提出意见的期限至{item.deadline.isoformat()}，届满后才能登记为逾期未提出意见。"
                )
            item.replied_on = None
            effect = item.silence_effect
        else:
            item.replied_on = day
            if item.kind == ConsultationKind.THIRD_PARTY and opinion == Opinion.DISAGREE:
                effect = (
                    "第三方不同意公开且有合理理由的，不予公开；认为不公开可能对公共利益造成重大影响的，"
                    "可以决定公开并书面告知第三方（条例第三十二条）。"
                )
            else:
                effect = "意见已收到。"
        item.opinion = opinion
        item.reply_text = reply_text.strip()
        item.save(update_fields=["replied_on", "opinion", "reply_text"])
        _recompute(app)
        _save(app, clock.CLOCK_FIELDS)
        _event(
            app, user, "consultation_reply", f"征求意见结果：{item.get_opinion_display()}",
            f"{effect}答复期限为{_iso(app.effective_due)}。", day, request=request,
            consultation_id=item.pk, opinion=opinion, answer_due=_iso(app.effective_due),
        )  # fmt: skip
    return item


# ----- 延期 (条例第三十三条第二款) ----------------------------------------------------------


def grant_extension(
    user: Any,
    application: Application,
    *,
    days: int,
    reason: str,
    on: date | None = None,
    request: Any = None,
) -> Application:
    """条例第三十三条第二款：延长答复期限，经政府信息公开工作机构负责人同意并告知申请人，
    延长的期限最长不得超过20个工作日. Once only; approved before the period in force ends."""
    require_role(user, application.agency, *LEADER_ROLES)
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"days": "延长的期限为1至20个工作日（条例第三十三条）。"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写延期理由。"})
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, Status.OPEN, Status.FEE, what="延期")
        if app.extension_days:
            raise ValidationError("答复期限只能延长一次（条例第三十三条）。")
        day = _day(app, on, "延期批准日期")
        if app.effective_due is not None and day > app.effective_due:
            raise ValidationError(
                f"答复期限已于{app.effective_due.isoformat()}届满，不能再延期（须在期限内告知申请人）。"
            )
        before = app.effective_due
        app.extension_days = days
        app.extension_reason = reason.strip()
        app.extension_approved_by = user
        app.extension_approved_on = day
        _recompute(app)
        _save(
            app,
            [
                "extension_days", "extension_reason", "extension_approved_by",
                "extension_approved_on", *clock.CLOCK_FIELDS,
            ],
        )  # fmt: skip
        _event(
            app, user, "grant_extension", f"负责人同意延期{days}个工作日",
            f"答复期限由{_iso(before)}延长至{_iso(app.effective_due)}；应告知申请人"
            "（条例第三十三条第二款）。", day, request=request, days=days,
            before=_iso(before), after=_iso(app.effective_due),
        )  # fmt: skip
    return app


def defer_answer(
    user: Any,
    application: Application,
    *,
    until: date,
    reason: str,
    on: date | None = None,
    request: Any = None,
) -> Application:
    """条例第三十五条：申请的数量、频次明显超过合理范围，申请理由合理但无法在第三十三条规定的期限内
    答复的，可以确定延迟答复的合理期限并告知申请人. Decided by the 负责人 within the period in
    force; the new date must be later than it. (An unreasonable request is answered with the
    answer type ``mass_unreasonable`` instead.)"""
    require_role(user, application.agency, *LEADER_ROLES)
    if not reason.strip():
        raise ValidationError({"reason": "请写明申请理由合理但无法按期答复的情况。"})
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, Status.OPEN, Status.FEE, what="确定延迟答复期限")
        _require_not_replying(app, "确定延迟答复期限")
        if app.deferred_due is not None:
            raise ValidationError("已确定延迟答复期限。")
        day = _day(app, on, "决定日期")
        if app.effective_due is None or day > app.effective_due:
            raise ValidationError("须在答复期限内确定延迟答复期限并告知申请人。")
        if until <= app.effective_due:
            raise ValidationError(
                {"until": f"延迟答复期限应晚于当前期限{app.effective_due.isoformat()}。"}
            )
        check_unlocked(app.agency, until)
        before = app.effective_due
        app.deferred_due = until
        app.deferral_reason = reason.strip()
        _recompute(app)
        _save(app, ["deferred_due", "deferral_reason", *clock.CLOCK_FIELDS])
        _event(
            app, user, "defer_answer", "确定延迟答复期限（条例第三十五条）",
            f"答复期限由{_iso(before)}延至{until.isoformat()}；应告知申请人。", day,
            request=request, before=_iso(before), after=until.isoformat(),
        )  # fmt: skip
    return app


# ----- 信息处理费 (条例第四十二条；国办函〔2020〕109号) ------------------------------------------


def fee_quote(application: Application, basis: str, units: int) -> statute_fees.FeeResult:
    """The fee of this application by 109号: 按件 = the items of this application counted
    after the applicant's earlier applications of the month (超额累进, 第四条); 按量 = pages
    (第五条). Computed by :mod:`xxgk.statute.fees`."""
    if basis == FeeBasis.PAGES:
        return statute_fees.fee_by_pages(units)
    from xxgk.applications.operations import nth_in_month

    before = nth_in_month(application) - 1
    total = statute_fees.fee_by_items(before + units)
    prior = statute_fees.fee_by_items(before)
    tiers = tuple(
        t for t in total.tiers if t.last > before and t.rate > 0
    )  # the items of this application
    amount = total.fee_yuan - prior.fee_yuan
    steps = (
        f"本月此前已申请{before}件，本申请计{units}件（第{before + 1}至{before + units}件）。",
        *total.steps[:-1],
        f"本月累计{total.fee_yuan}元，减去此前各件{prior.fee_yuan}元，本申请应缴{amount}元。",
    )
    return statute_fees.FeeResult(total.basis, units, "件", amount, tiers, steps)


def issue_fee_notice(
    user: Any,
    application: Application,
    *,
    basis: str,
    units: int,
    on: date | None = None,
    received_on: date | None = None,
    request: Any = None,
) -> Application:
    """国办函〔2020〕109号：收费通知（依据、标准、数额）；申请人收到通知次日起20个工作日内缴纳，
    逾期视为放弃申请. The amount is computed by the statute package; a zero fee is refused."""
    require_role(user, application.agency, *HANDLER_ROLES)
    if basis not in FeeBasis.values:
        raise ValidationError({"basis": "请选择按件或按量计收（不得同时按两种标准计算）。"})
    try:
        quote = fee_quote(application, basis, units)
    except StatuteError as exc:
        raise ValidationError({"units": str(exc)}) from exc
    if quote.fee_yuan <= 0:
        raise ValidationError({"units": "按109号的标准该申请不收费，不能发出收费通知。"})
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, Status.OPEN, what="发出收费通知")
        _require_not_replying(app, "发出收费通知")
        if app.fee_notice_on is not None:
            raise ValidationError("该申请已发出收费通知。")
        day = _day(app, on, "收费通知日期")
        got = received_on or day
        if got < day or got > timezone.localdate():
            raise ValidationError({"received_on": "申请人收到通知的日期应在通知日与今天之间。"})
        result, fallback = clock.run_with_fallback(fee_payment_deadline, got)
        app.fee_basis = basis
        app.fee_units = units
        app.fee_amount = quote.fee_yuan
        app.fee_explanation = list(quote.steps)
        app.fee_notice_on = day
        app.fee_notice_received_on = got
        app.fee_payment_deadline = result.due
        app.status = Status.FEE
        _recompute(app)
        _save(
            app,
            [
                "fee_basis", "fee_units", "fee_amount", "fee_explanation", "fee_notice_on",
                "fee_notice_received_on", "fee_payment_deadline", "status", *clock.CLOCK_FIELDS,
            ],
        )  # fmt: skip
        _event(
            app, user, "issue_fee_notice", f"收费通知：{quote.fee_yuan}元",
            f"申请人应于{result.due.isoformat()}前缴纳；逾期未缴纳的视为放弃申请（国办函〔2020〕109号）。",
            day, request=request, amount=quote.fee_yuan, basis=basis, units=units,
            deadline=result.due.isoformat(), weekday_fallback=fallback,
        )  # fmt: skip
    return app


def record_fee_payment(
    user: Any, application: Application, *, paid_on: date | None = None, request: Any = None
) -> Application:
    """The fee was paid in time: the case continues."""
    require_role(user, application.agency, *DESK_ROLES)
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, Status.FEE, what="登记缴费")
        day = _day(app, paid_on, "缴费日期", not_before=app.fee_notice_on)
        if app.fee_payment_deadline and day > app.fee_payment_deadline:
            raise ValidationError(
                f"缴费期限至{app.fee_payment_deadline.isoformat()}；逾期缴纳的视为放弃申请。"
            )
        app.fee_paid_on = day
        app.status = Status.OPEN
        _recompute(app)
        _save(app, ["fee_paid_on", "status", *clock.CLOCK_FIELDS])
        _event(
            app, user, "record_fee_payment", f"已缴纳信息处理费{app.fee_amount}元",
            f"继续办理，答复期限{_iso(app.effective_due)}。", day, request=request,
        )  # fmt: skip
    return app


def lapse_fee(
    user: Any, application: Application, *, on: date | None = None, request: Any = None
) -> Application:
    """逾期未缴纳信息处理费：视为放弃申请，不再处理 — table 三 （六）2 (2021) / （六） (2019)."""
    return _lapse(
        user, application, on=on, request=request,
        status=Status.FEE, what="按逾期未缴费办结",
        started="fee_notice_on", deadline="fee_payment_deadline",
        refusal="缴费期限至{deadline}，届满前不能按逾期未缴费办结。",
        answer_type=AnswerType.FEE_UNPAID,
        action="lapse_fee", title="逾期未缴费，视为放弃申请",
        effect="不再处理该申请（国办函〔2020〕109号）；计入年度报告“（六）其他处理”。",
    )  # fmt: skip


def close_lapsed(today: date | None = None) -> dict[str, int]:
    """Daily job: close every case whose 补正 or payment period lapsed (by the system,
    audit-logged). Returns the counts. A case in a locked year is left for the staff."""
    today = today or timezone.localdate()
    done = {"correction": 0, "fee": 0}
    for app in Application.objects.filter(
        status=Status.CORRECTION, correction_deadline__lt=today
    ).select_related("agency"):
        try:
            lapse_correction(None, app, on=today)
            done["correction"] += 1
        except ValidationError:
            continue
    for app in Application.objects.filter(
        status=Status.FEE, fee_payment_deadline__lt=today
    ).select_related("agency"):
        try:
            lapse_fee(None, app, on=today)
            done["fee"] += 1
        except ValidationError:
            continue
    return done


# ----- withdrawal, duplicates -------------------------------------------------------------


def withdraw(
    user: Any,
    application: Application,
    *,
    reason: str = "",
    on: date | None = None,
    request: Any = None,
) -> Application:
    """申请人撤回申请 (no article; replies-and-ledger.md §1.7): closes the case, counted in
    （六）3 其他 (2021) / （六） (2019). Refused once the reply is signed."""
    require_role(user, application.agency, *DESK_ROLES)
    with transaction.atomic():
        app = _locked_case(application)
        if not app.is_open:
            raise ValidationError("该申请已办结，不能撤回。")
        if app.reply_stage in (ReplyStage.SIGNED, ReplyStage.SENT):
            raise ValidationError("答复已签发，不能再撤回。")
        day = _day(app, on, "撤回日期", not_before=app.received_on or None)
        _close(app, AnswerType.OTHER, day)
        app.withdrawn_on = day
        app.withdrawal_reason = reason.strip()
        app.reply_stage = ReplyStage.NONE
        _save(
            app,
            [
                "answer_type", "legal_basis", "status", "closed_on", "decided_on",
                "withdrawn_on", "withdrawal_reason", "reply_stage",
            ],
        )  # fmt: skip
        _event(
            app, user, "withdraw", "申请人撤回申请",
            "不再处理；计入年度报告“（六）其他处理”。", day, request=request,
        )  # fmt: skip
    return app


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s，。、；：,.;:！!？?“”\"'（）()《》]", "", text)


def find_duplicates(application: Application, *, threshold: float = 0.9) -> list[Application]:
    """条例第三十六条第（六）项：earlier applications of the same applicant to this agency that
    were already answered and ask for the same information (descriptions equal after
    normalisation, or ≥ ``threshold`` similar). A hint for the handler, never automatic."""
    mine = _normal(application.description)
    out = []
    earlier = (
        Application.objects.filter(
            agency_id=application.agency_id,
            applicant_id=application.applicant_id,
            status=Status.CLOSED,
            submitted_at__lte=application.submitted_at,
        )
        .exclude(pk=application.pk)
        .exclude(answer_type="")
        .exclude(answer_type__in=[a.value for a in NOT_AN_ANSWER])
        .order_by("-submitted_at")
    )
    for other in earlier:
        theirs = _normal(other.description)
        if theirs == mine or difflib.SequenceMatcher(None, mine, theirs).ratio() >= threshold:
            out.append(other)
    return out


# ----- the decision -----------------------------------------------------------------------


def default_basis(answer: AnswerType) -> list[str]:
    """The articles the taxonomy names for an answer type, as a list
    (``条例第三十六条第（三）项、第十六条第二款`` → two articles)."""
    text = answer_type_info(answer).article
    if not text or text == "—":
        return []
    out: list[str] = []
    for part in re.split(r"[、；;]", text):
        part = part.strip()
        if not part or not part.startswith(("条例", "第", "国办函")):
            continue  # e.g. 年度报告格式（三）（五）5: practice, no article to cite
        if part.startswith("第") and out and out[-1].startswith("条例"):
            part = "条例" + part
        out.append(part)
    return out


def _basis_key(text: str) -> str:
    return _normal(text).removeprefix("《中华人民共和国政府信息公开条例》").removeprefix("条例")


def missing_basis(answer: AnswerType, legal_basis: Sequence[str]) -> list[str]:
    """The articles an answer type requires that ``legal_basis`` does not cite
    (replies-and-ledger.md §1.5 (a)(b): the anchor article and, for a refusal, the ground)."""
    have = {_basis_key(a) for a in legal_basis}
    return [a for a in default_basis(answer) if _basis_key(a) not in have]


def basis_errors(answer: AnswerType, legal_basis: Sequence[str]) -> list[str]:
    """replies-and-ledger.md §1.4 rule (e): articles that do not fit the answer type block the
    decision. One rule for the decision and its letter: the letters package's
    ``check_citations`` (anchor article, refusal ground, 条/款/项 precision, no other type's
    anchor); without it, the taxonomy's articles must all be cited."""
    try:
        from xxgk.letters.citations import check_citations
    except ImportError:  # pragma: no cover - the letters app is part of the platform
        missing = missing_basis(answer, legal_basis)
        return ["答复类型要求引用：" + "、".join(missing) + "。"] if missing else []
    return list(check_citations(answer, list(legal_basis)))


def citation_warnings(answer: AnswerType, legal_basis: Sequence[str]) -> list[str]:
    """What the case page shows about the stored basis (same check as :func:`basis_errors`)."""
    return basis_errors(answer, legal_basis)


def record_decision(
    user: Any,
    application: Application,
    *,
    answer_type: str,
    legal_basis: Sequence[str] | None = None,
    provided_information: str = "",
    withheld_reasons: str = "",
    responsible_agency: str = "",
    duplicate_of: Application | None = None,
    request: Any = None,
) -> Application:
    """条例第三十六条至第三十九条、第三十条：the 承办人's draft decision (拟办意见).

    One answer type — hence exactly one table-三 row per format version
    (:func:`xxgk.statute.taxonomies.answer_row`); a 部分公开 counts only there. The legal basis
    (default: the articles the taxonomy names for the type) must fit the type
    (:func:`basis_errors`); 部分公开 needs both the information provided and
    the reasons for the withheld part; a refusal needs its reasons; 非本机关 names the
    responsible agency; a 重复申请 names the earlier, answered case. Editable until the draft
    goes to review."""
    require_role(user, application.agency, *HANDLER_ROLES)
    try:
        answer = AnswerType(answer_type)
    except ValueError:
        raise ValidationError({"answer_type": "请选择答复类型。"}) from None
    if answer in PROCEDURAL_OUTCOMES:
        raise ValidationError(
            {
                "answer_type": "逾期不补正、逾期未缴费和撤回由相应的办理步骤登记，不能作为答复类型选择。"
            }
        )
    basis = [a.strip() for a in (legal_basis or default_basis(answer)) if a and a.strip()]
    errors: dict[str, str] = {}
    problems = basis_errors(answer, basis)
    if problems:
        errors["legal_basis"] = "".join(problems)
    if answer in NEEDS_PROVIDED and not provided_information.strip():
        errors["provided_information"] = "请写明提供的信息或获取的方式、途径。"
    if answer in NEEDS_REASONS and not withheld_reasons.strip():
        errors["withheld_reasons"] = "请写明不予公开（不予提供）的理由。"
    if answer == AnswerType.NOT_RESPONSIBLE and not responsible_agency.strip():
        errors["responsible_agency"] = (
            "请写明负责公开该信息的行政机关的名称、联系方式（条例第三十六条第（五）项）。"
        )
    if answer == AnswerType.UNCLEAR_AFTER_CORRECTION and application.correction_received_on is None:
        errors["answer_type"] = (
            "只有经过补正的申请才能认定“补正后申请内容仍不明确”（条例第三十条）。"
        )
    if answer == AnswerType.REPEATED:
        if duplicate_of is None:
            errors["duplicate_of"] = "请指明已作出答复的原申请（条例第三十六条第（六）项）。"
        elif duplicate_of.pk not in {d.pk for d in find_duplicates(application, threshold=0.0)}:
            errors["duplicate_of"] = "原申请须为同一申请人向本机关提出且已答复的申请。"
    elif duplicate_of is not None:
        errors["duplicate_of"] = "只有重复申请才指明原申请。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, Status.OPEN, what="拟办答复")
        if app.reply_stage not in (ReplyStage.NONE, ReplyStage.DRAFT):
            raise ValidationError("答复已送审，退回后才能修改。")
        if app.received_on is None:
            raise ValidationError("申请尚未确认收到。")
        open_consultations = app.consultations.filter(opinion="").count()
        if open_consultations:
            raise ValidationError("尚有征求意见未有结果，请先登记意见或逾期未提出意见。")
        app.answer_type = answer.value
        app.legal_basis = basis
        app.provided_information = provided_information.strip()
        app.withheld_reasons = withheld_reasons.strip()
        app.responsible_agency = responsible_agency.strip()[:200]
        app.duplicate_of = duplicate_of
        app.reply_stage = ReplyStage.DRAFT
        _save(app, [*DECISION_FIELDS, "reply_stage"])
        _event(
            app, user, "record_decision", f"拟办：{answer_type_info(answer).label}",
            f"依据{'、'.join(basis)}；待签批。", timezone.localdate(), request=request,
            answer_type=answer.value, articles=basis,
        )  # fmt: skip
    return app


def answer_on_the_spot(
    user: Any,
    application: Application,
    *,
    answer_type: str,
    legal_basis: Sequence[str] | None = None,
    provided_information: str = "",
    withheld_reasons: str = "",
    responsible_agency: str = "",
    request: Any = None,
) -> Application:
    """条例第三十三条第一款：能够当场答复的，应当当场予以答复 — on the receipt day only.

    The decision is recorded and the case closes at once (送达方式“当场答复”); the sign-off
    chain is not run (the answer is given at the counter)."""
    if application.received_on != timezone.localdate():
        raise ValidationError("只有收到申请当日才能当场答复（条例第三十三条第一款）。")
    app = record_decision(
        user,
        application,
        answer_type=answer_type,
        legal_basis=legal_basis,
        provided_information=provided_information,
        withheld_reasons=withheld_reasons,
        responsible_agency=responsible_agency,
        request=request,
    )
    today = timezone.localdate()
    with transaction.atomic():
        app = _locked_case(app)
        if app.received_on != today:
            raise ValidationError("只有收到申请当日才能当场答复（条例第三十三条第一款）。")
        app.on_the_spot = True
        app.decided_on = app.closed_on = app.served_on = today
        app.service_method = ServiceMethod.ON_THE_SPOT
        app.status = Status.CLOSED
        app.reply_stage = ReplyStage.SENT
        _save(
            app,
            [
                "on_the_spot", "decided_on", "closed_on", "served_on", "service_method", "status",
                "reply_stage",
            ],
        )  # fmt: skip
        _event(
            app, user, "answer_on_the_spot", "当场答复", "已办结（条例第三十三条第一款）。", today,
            request=request, answer_type=app.answer_type,
        )  # fmt: skip
    return app


# ----- review and sign-off (replies-and-ledger.md §6) ---------------------------------------


def _next_stage(agency: Agency, current: str) -> str:
    chain = signoff_chain(agency)
    order = {"review": ReplyStage.REVIEW, "approval": ReplyStage.APPROVAL}
    stages = [order[s] for s in chain]
    if current == ReplyStage.DRAFT:
        return stages[0]
    if current not in stages:  # the chain changed while the reply was under way
        return ReplyStage.APPROVAL if current != ReplyStage.APPROVAL else ReplyStage.SIGNED
    i = stages.index(ReplyStage(current))
    return stages[i + 1] if i + 1 < len(stages) else ReplyStage.SIGNED


def _step(app: Application, user: Any, stage: str, approved: bool, comment: str) -> None:
    SignOffStep.objects.create(
        agency=app.agency, application=app, stage=stage, approved=approved,
        comment=comment.strip(), actor=user,
    )  # fmt: skip


def submit_reply(
    user: Any, application: Application, *, comment: str = "", request: Any = None
) -> Application:
    """承办人 sends the draft decision up the agency's chain."""
    require_role(user, application.agency, *HANDLER_ROLES)
    with transaction.atomic():
        app = _locked_case(application)
        _require_status(app, Status.OPEN, what="送审")
        if app.reply_stage != ReplyStage.DRAFT or not app.answer_type:
            raise ValidationError("请先拟办答复（选择答复类型）。")
        app.reply_stage = _next_stage(app.agency, ReplyStage.DRAFT)
        _step(app, user, ReplyStage.DRAFT, True, comment)
        _save(app, ["reply_stage"])
        _event(
            app, user, "submit_reply", "承办人送审", f"待{app.get_reply_stage_display()}。",
            timezone.localdate(), request=request, stage=app.reply_stage,
        )  # fmt: skip
    return app


def _issue_reply_number(app: Application, user: Any, day: date) -> str | None:
    """条例第四十五条：制作文书 — sign-off allocates the 文号 of the reply letter through
    ``xxgk.letters.api.issue_number`` (its DOCX and PDF are then fixed). The letter is the
    case's draft reply (created from the template if none; rebuilt if the answer type changed
    since). A letter the letters package refuses (articles not fitting the type, text still
    to fill in) blocks the sign-off with its messages."""
    try:
        from xxgk.letters import api as letters
    except ImportError:  # pragma: no cover - the letters app is part of the platform
        return None
    letter = letters.draft_letter(app, "reply", actor=user)
    if letter.variant != app.answer_type:
        letter = letters.draft_letter(app, "reply", actor=user, regenerate=True)
    letter = letters.issue_number(letter, actor=user, on=day)
    return str(letter.number or "") or None


def review_reply(
    user: Any,
    application: Application,
    *,
    approve: bool,
    comment: str = "",
    request: Any = None,
) -> Application:
    """审核（保密审查，条例第十七条）：pass the draft on, or return it to the 承办人."""
    return _decide(user, application, ReplyStage.REVIEW, REVIEW_ROLES, approve, comment, request)


def sign_reply(
    user: Any,
    application: Application,
    *,
    approve: bool,
    comment: str = "",
    on: date | None = None,
    request: Any = None,
    issue_number: Callable[[Application, Any, date], str | None] | None = None,
) -> Application:
    """负责人签发：the decision is made (``decided_on``) and the reply's 文号 allocated; or the
    draft goes back to the 承办人."""
    return _decide(
        user, application, ReplyStage.APPROVAL, LEADER_ROLES, approve, comment, request,
        on=on, issue_number=issue_number or _issue_reply_number,
    )  # fmt: skip


def _decide(
    user: Any,
    application: Application,
    stage: str,
    roles: tuple[Role, ...],
    approve: bool,
    comment: str,
    request: Any,
    *,
    on: date | None = None,
    issue_number: Callable[[Application, Any, date], str | None] | None = None,
) -> Application:
    require_role(user, application.agency, *roles)
    with transaction.atomic():
        app = _locked_case(application)
        if app.reply_stage != stage:
            raise ValidationError("该答复不在本环节。")
        if approve:
            app.reply_stage = _next_stage(app.agency, stage)
        else:
            if not comment.strip():
                raise ValidationError({"comment": "退回时请写明意见。"})
            app.reply_stage = ReplyStage.DRAFT
        number = None
        day = timezone.localdate()
        if app.reply_stage == ReplyStage.SIGNED:
            day = _day(app, on, "签发日期")
            app.decided_on = day
            if issue_number is not None:
                number = issue_number(app, user, day)
        _step(app, user, stage, approve, comment)
        _save(app, ["reply_stage", "decided_on"])
        label = ReplyStage(stage).label
        if app.reply_stage == ReplyStage.SIGNED:
            text, effect = (
                "负责人签发",
                f"答复已签发，待送达。{('文号' + number) if number else ''}",
            )
        elif approve:
            text, effect = f"{label}通过", f"待{app.get_reply_stage_display()}。"
        else:
            text, effect = f"{label}退回", "退回承办人修改。"
        _event(
            app, user, "sign_reply" if stage == ReplyStage.APPROVAL else "review_reply", text,
            effect, day, request=request, approved=approve, stage=app.reply_stage, number=number,
        )  # fmt: skip
    return app


# ----- 送达 (国办公开办函〔2016〕235号) --------------------------------------------------------


def record_delivery(
    user: Any,
    application: Application,
    *,
    method: str,
    posted_on: date | None = None,
    served_on: date | None = None,
    tracking_number: str = "",
    note: str = "",
    request: Any = None,
) -> Application:
    """235号：直接送达、委托送达或邮寄送达（邮政企业），电子送达 with the applicant's consent.

    The reply counts as made on the 交邮 day for post and on the 送达 day otherwise; that day
    closes the case (its year decides the annual report). Post needs the 交邮 date and the
    mail number; the 送达 date may be added later from the tracking record."""
    require_role(user, application.agency, *DESK_ROLES, *HANDLER_ROLES)
    if method not in ServiceMethod.values or method == ServiceMethod.ON_THE_SPOT:
        raise ValidationError({"method": "请选择送达方式。"})
    tracking = tracking_number.strip()
    if method == ServiceMethod.POST:
        if posted_on is None:
            raise ValidationError({"posted_on": "邮寄送达请填写交邮日期。"})
        if not re.fullmatch(r"[A-Za-z0-9]{8,30}", tracking):
            raise ValidationError({"tracking_number": "请填写邮件号（挂号信或EMS）。"})
    elif served_on is None:
        raise ValidationError({"served_on": "请填写送达日期。"})
    with transaction.atomic():
        app = _locked_case(application)
        if app.reply_stage != ReplyStage.SIGNED:
            raise ValidationError("答复签发后才能登记送达。")
        floor = app.decided_on or app.received_on
        first = _day(app, posted_on if method == ServiceMethod.POST else served_on, "送达日期",
                     not_before=floor)  # fmt: skip
        if served_on is not None:
            _day(app, served_on, "送达日期", not_before=first)
        app.service_method = method
        app.posted_on = posted_on if method == ServiceMethod.POST else None
        app.served_on = served_on
        app.postal_tracking_number = tracking if method == ServiceMethod.POST else ""
        app.service_note = note.strip()[:200]
        app.reply_stage = ReplyStage.SENT
        app.status = Status.CLOSED
        app.closed_on = first
        _save(
            app,
            [
                "service_method", "posted_on", "served_on", "postal_tracking_number",
                "service_note", "reply_stage", "status", "closed_on",
            ],
        )  # fmt: skip
        late = app.effective_due is not None and first > app.effective_due
        _event(
            app, user, "record_delivery", f"送达：{ServiceMethod(method).label}",
            f"答复于{first.isoformat()}作出（{'交邮' if method == ServiceMethod.POST else '送达'}之日），"
            f"已办结。" + (f"注意：晚于答复期限{app.effective_due.isoformat()}。" if late else ""),
            first, request=request, method=method, late=late,
        )  # fmt: skip
    return app


def record_service_date(
    user: Any, application: Application, *, served_on: date, request: Any = None
) -> Application:
    """Add the 送达日期 of a posted reply (from the tracking record or the 回证)."""
    require_role(user, application.agency, *DESK_ROLES, *HANDLER_ROLES)
    with transaction.atomic():
        app = _locked_case(application)
        if app.service_method != ServiceMethod.POST or app.served_on is not None:
            raise ValidationError("只有尚未登记送达日期的邮寄送达才能补登。")
        app.served_on = _day(app, served_on, "送达日期", not_before=app.posted_on)
        _save(app, ["served_on"])
        _event(app, user, "record_service_date", "邮件妥投", "送达日期已登记。", app.served_on,
               request=request)  # fmt: skip
    return app


def correct_reply(
    user: Any,
    application: Application,
    *,
    reason: str,
    changes: dict[str, Any],
    request: Any = None,
) -> ReplyCorrection:
    """A sent reply is never edited: a 负责人 records a correction (更正) that supersedes it,
    keeping the decision as sent (``before``). A case counted in a locked year cannot change
    its answer type (the published table would no longer match)."""
    require_role(user, application.agency, *LEADER_ROLES)
    if not reason.strip():
        raise ValidationError({"reason": "请写明更正理由。"})
    unknown = set(changes) - {f for f in DECISION_FIELDS if f != "duplicate_of"}
    if unknown or not changes:
        raise ValidationError("只能更正答复类型、依据、提供的信息、理由和负责公开的机关。")
    with transaction.atomic():
        app = _locked_case(application)
        if app.reply_stage != ReplyStage.SENT:
            raise ValidationError("只有已送达的答复才以更正记录变更；此前请在签批中修改。")
        before = {f: getattr(app, f) for f in DECISION_FIELDS if f != "duplicate_of"}
        after = {**before, **changes}
        new_answer = AnswerType(after["answer_type"]) if after["answer_type"] else None
        if new_answer is None or new_answer in PROCEDURAL_OUTCOMES:
            raise ValidationError({"answer_type": "请选择答复类型。"})
        if "legal_basis" not in changes and new_answer.value != before["answer_type"]:
            after["legal_basis"] = default_basis(new_answer)
        problems = basis_errors(new_answer, after["legal_basis"])
        if problems:
            raise ValidationError({"legal_basis": "".join(problems)})
        if new_answer.value != before["answer_type"] and app.closed_on is not None:
            check_unlocked(app.agency, app.closed_on)
        for field, value in after.items():
            setattr(app, field, value)
        _save(app, list(after))
        record = ReplyCorrection.objects.create(
            agency=app.agency, application=app, reason=reason.strip(), before=before,
            after=after, actor=user,
        )  # fmt: skip
        _event(
            app, user, "correct_reply", "更正答复",
            "原答复保留，以本更正为准。", timezone.localdate(), request=request,
            correction_id=record.pk, before=before["answer_type"], after=after["answer_type"],
        )  # fmt: skip
    return record


# ----- year-end --------------------------------------------------------------------------


def lock_year(user: Any, agency: Agency, year: int, *, request: Any = None) -> LockedYear:
    """Lock a year once its annual report is published (负责人 or 管理员): no case event can be
    dated in it any more, and answer types of cases closed in it cannot be corrected."""
    if not (has_role(user, agency, Role.LEADER) or has_role(user, agency, Role.ADMIN)):
        raise PermissionDenied("只有负责人或管理员可以锁定年度。")
    today = timezone.localdate()
    if year >= today.year:
        raise ValidationError({"year": "只能锁定已经结束的年度。"})
    lock, created = LockedYear.objects.get_or_create(
        agency=agency, year=year, defaults={"locked_by": user}
    )
    if not created:
        raise ValidationError({"year": f"{year}年度此前已锁定，无需重复锁定。"})
    audit.record(user, "application.lock_year", agency, request=request, year=year)
    return lock
