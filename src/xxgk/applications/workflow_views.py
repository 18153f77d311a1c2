"""Staff views of the part-2 steps: one POST endpoint per step, the case timeline and the
case's letters (drafted and rendered by engineer B's :mod:`xxgk.letters`).

Order as everywhere: agency and case through the scoping helpers (404), the role (403, in the
operations), the method (405). Views never save a case; they call
:mod:`xxgk.applications.workflow` and show its Chinese messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xxgk import audit
from xxgk.accounts.roles import Role
from xxgk.agencies.scoping import get_agency_for, get_object_for, has_role, require_role
from xxgk.appeals import operations as appeals
from xxgk.appeals.models import Appeal, AppealKind
from xxgk.applications import operations, workflow
from xxgk.applications import workflow_forms as wf
from xxgk.applications.models import Application, Consultation, ReplyStage, Status
from xxgk.statute.outcomes import FormatVersion
from xxgk.statute.taxonomies import AnswerType, answer_row, answer_type_info


def _case(request: HttpRequest, agency_id: int, pk: int) -> Application:
    agency = get_agency_for(request.user, agency_id)
    qs = Application.objects.filter(agency=agency).select_related("agency", "applicant")
    return get_object_for(request.user, qs, pk)


@dataclass(frozen=True)
class Step:
    """One step of the case page: its form, who may do it and the operation it calls."""

    title: str
    form: type[forms.Form]
    roles: tuple[Role, ...]
    run: Callable[[Any, Application, forms.Form, HttpRequest], str]
    button: str = "提交"


def _kw(form: forms.Form) -> dict[str, Any]:
    return form.kwargs()  # type: ignore[attr-defined,no-any-return]


def _consultation(case: Application, pk: int) -> Consultation:
    try:
        return case.consultations.get(pk=pk)
    except Consultation.DoesNotExist as exc:
        raise Http404("未找到该征求意见。") from exc


def _appeal(case: Application, pk: int | None) -> Appeal | None:
    if pk is None:
        return None
    try:
        return case.appeals.get(pk=pk)
    except Appeal.DoesNotExist as exc:
        raise Http404("未找到。") from exc


def _run_correction(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    c = workflow.request_correction(u, c, **_kw(f), request=r)
    return f"已告知补正，补正期限至{c.correction_deadline}。"


def _run_correction_received(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    c = workflow.receive_correction(u, c, **_kw(f), request=r)
    return f"已登记补正，答复期限重新计算至{c.effective_due}。"


def _run_correction_lapsed(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    workflow.lapse_correction(u, c, **_kw(f), request=r)
    return "已按逾期不补正办结（视为放弃申请）。"


def _run_consult(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    item = workflow.start_consultation(u, c, **_kw(f), request=r)
    return f"已登记征求意见，对方应于{item.deadline}前提出意见。"


def _run_consult_reply(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    d = f.cleaned_data
    workflow.record_consultation_reply(
        u, _consultation(c, d["consultation"]), opinion=d["opinion"],
        replied_on=d["replied_on"], reply_text=d["reply_text"], request=r,
    )  # fmt: skip
    return "已登记征求意见结果。"


def _run_extend(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    c = workflow.grant_extension(u, c, **_kw(f), request=r)
    return f"已延期，答复期限至{c.effective_due}。"


def _run_fee(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    c = workflow.issue_fee_notice(u, c, **_kw(f), request=r)
    return f"已发出收费通知：{c.fee_amount}元，缴费期限至{c.fee_payment_deadline}。"


def _run_fee_paid(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    workflow.record_fee_payment(u, c, **_kw(f), request=r)
    return "已登记缴费。"


def _run_fee_lapsed(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    workflow.lapse_fee(u, c, **_kw(f), request=r)
    return "已按逾期未缴费办结。"


def _run_decide(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    workflow.record_decision(u, c, **_kw(f), request=r)
    return "已保存拟办答复。"


def _run_submit(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    c = workflow.submit_reply(u, c, **_kw(f), request=r)
    return f"已送审：{c.get_reply_stage_display()}。"


def _run_review(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    c = workflow.review_reply(u, c, **_kw(f), request=r)
    return f"已处理：{c.get_reply_stage_display()}。"


def _run_sign(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    c = workflow.sign_reply(u, c, **_kw(f), request=r)
    return f"已处理：{c.get_reply_stage_display()}。"


def _run_deliver(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    c = workflow.record_delivery(u, c, **_kw(f), request=r)
    return f"已登记送达，本案于{c.closed_on}办结。"


def _run_withdraw(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    workflow.withdraw(u, c, **_kw(f), request=r)
    return "已登记撤回。"


def _run_appeal(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    d = f.cleaned_data
    appeals.record_appeal(
        u, c, kind=d["kind"], filed_on=d["filed_on"], body=d["body"],
        reference=d["reference"], earlier=_appeal(c, d["earlier"]), request=r,
    )  # fmt: skip
    return "已登记。"


def _run_appeal_result(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    d = f.cleaned_data
    appeal = _appeal(c, d["appeal"])
    assert appeal is not None
    appeals.record_result(
        u, appeal, result=d["result"], decided_on=d["decided_on"], note=d["note"], request=r
    )
    return "已登记结果。"


def _run_defer(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    c = workflow.defer_answer(u, c, **_kw(f), request=r)
    return f"已确定延迟答复期限：{c.effective_due}。"


def _run_on_the_spot(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    kwargs = _kw(f)
    kwargs.pop("duplicate_of", None)  # a 重复申请 goes through the normal draft and sign-off
    workflow.answer_on_the_spot(u, c, **kwargs, request=r)
    return "已当场答复，本案办结。"


def _run_served(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    workflow.record_service_date(u, c, **_kw(f), request=r)
    return "已登记送达日期。"


def _run_correct(u: Any, c: Application, f: forms.Form, r: HttpRequest) -> str:
    workflow.correct_reply(u, c, **_kw(f), request=r)
    return "已记录更正；原答复保留。"


DESK = (Role.REGISTRAR, Role.HANDLER)
H = (Role.HANDLER,)
STEPS: dict[str, Step] = {
    "correction": Step("告知补正（条例第三十条）", wf.CorrectionForm, DESK, _run_correction, "告知补正"),
    "correction-received": Step("收到补正的申请", wf.DayForm, DESK, _run_correction_received, "登记补正"),
    "correction-lapsed": Step("逾期不补正", wf.DayForm, DESK, _run_correction_lapsed, "按逾期不补正办结"),
    "consult": Step("征求意见（条例第三十二条、第三十四条）", wf.ConsultationForm, H, _run_consult, "登记征求意见"),
    "consult-reply": Step("征求意见结果", wf.ConsultationReplyForm, H, _run_consult_reply, "登记意见"),
    "extend": Step("延长答复期限（条例第三十三条）", wf.ExtensionForm, (Role.LEADER,), _run_extend, "同意延期"),
    "defer": Step("延迟答复（条例第三十五条）", wf.DeferForm, (Role.LEADER,), _run_defer, "确定延迟答复期限"),
    "fee": Step("收费通知（国办函〔2020〕109号）", wf.FeeForm, H, _run_fee, "发出收费通知"),
    "fee-paid": Step("缴费", wf.FeePaidForm, DESK, _run_fee_paid, "登记缴费"),
    "fee-lapsed": Step("逾期未缴费", wf.DayForm, DESK, _run_fee_lapsed, "按逾期未缴费办结"),
    "decide": Step("拟办答复（条例第三十六条至第三十九条）", wf.DecisionForm, H, _run_decide, "保存拟办"),
    "on-the-spot": Step("当场答复（条例第三十三条第一款）", wf.DecisionForm, H, _run_on_the_spot, "当场答复并办结"),
    "served": Step("邮寄送达的送达日期", wf.ServedForm, DESK, _run_served, "登记送达日期"),
    "submit": Step("送审", wf.CommentForm, H, _run_submit, "送审"),
    "review": Step("审核（保密审查）", wf.ApproveForm, (Role.REVIEWER,), _run_review, "提交审核意见"),
    "sign": Step("负责人签发", wf.SignForm, (Role.LEADER,), _run_sign, "签发"),
    "deliver": Step("送达", wf.DeliveryForm, (*DESK,), _run_deliver, "登记送达"),
    "withdraw": Step("申请人撤回", wf.WithdrawForm, DESK, _run_withdraw, "登记撤回"),
    "correct": Step("更正已送达的答复", wf.CorrectReplyForm, (Role.LEADER,), _run_correct, "记录更正"),
    "appeal": Step("行政复议、行政诉讼", wf.AppealForm, (Role.HANDLER, Role.LEADER), _run_appeal, "登记"),
    "appeal-result": Step("复议、诉讼结果", wf.AppealResultForm, (Role.HANDLER, Role.LEADER), _run_appeal_result, "登记结果"),
}  # fmt: skip


def _form(action: str, case: Application, data: Any = None) -> forms.Form:
    cls = STEPS[action].form
    today = timezone.localdate()
    initial = {
        f: today for f in ("on", "sent_on", "replied_on", "paid_on", "filed_on", "decided_on")
    }
    kwargs: dict[str, Any] = {"prefix": action, "initial": initial}
    if cls is wf.DecisionForm:
        kwargs["duplicates"] = workflow.find_duplicates(case)
        kwargs["initial"] = {
            **initial,
            "answer_type": case.answer_type,
            "legal_basis": "\n".join(case.legal_basis),
            "provided_information": case.provided_information,
            "withheld_reasons": case.withheld_reasons,
            "responsible_agency": case.responsible_agency,
            "duplicate_of": case.duplicate_of_id,
        }
    if cls is wf.ConsultationReplyForm:  # one pending consultation at a time, oldest first
        first = case.consultations.filter(opinion="").order_by("sent_on", "id").first()
        kwargs["initial"]["consultation"] = first.pk if first else None
    if cls is wf.AppealResultForm:
        undecided = case.appeals.filter(decided_on__isnull=True).order_by("filed_on", "id").first()
        kwargs["initial"]["appeal"] = undecided.pk if undecided else None
    if cls is wf.AppealForm:
        kwargs["reviews"] = list(case.appeals.filter(kind=AppealKind.REVIEW))
    return cls(data, **kwargs)


def available(case: Application) -> list[str]:
    """The steps that fit the case's state (roles are checked separately)."""
    s, stage = case.status, case.reply_stage
    out: list[str] = []
    pending = case.consultations.filter(opinion="").exists() if case.pk else False
    if s == Status.OPEN and stage in (ReplyStage.NONE, ReplyStage.DRAFT):
        out += ["correction", "consult"]
        if pending:
            out.append("consult-reply")
        if not case.extension_days:
            out.append("extend")
        if case.deferred_due is None:
            out.append("defer")
        if case.fee_notice_on is None:
            out.append("fee")
        if not pending:
            out.append("decide")
        if stage == ReplyStage.DRAFT:
            out.append("submit")
    elif s == Status.OPEN and not case.extension_days and stage != ReplyStage.SIGNED:
        out.append("extend")
    if s == Status.CORRECTION:
        out += ["correction-received", "correction-lapsed"]
    if s == Status.FEE:
        out += ["fee-paid", "fee-lapsed", *([] if case.extension_days else ["extend"])]
    if stage == ReplyStage.REVIEW:
        out.append("review")
    if stage == ReplyStage.APPROVAL:
        out.append("sign")
    if stage == ReplyStage.SIGNED:
        out.append("deliver")
    if case.is_open and stage not in (ReplyStage.SIGNED, ReplyStage.SENT):
        out.append("withdraw")
    if s == Status.OPEN and stage == ReplyStage.NONE and case.received_on == timezone.localdate():
        out.append("on-the-spot")
    if stage == ReplyStage.SENT and case.service_method == "post" and case.served_on is None:
        out.append("served")
    if stage == ReplyStage.SENT and case.answer_type not in workflow.PROCEDURAL_OUTCOMES:
        out.append("correct")
    if case.received_on is not None:  # also against a failure to answer in time (不作为)
        out.append("appeal")
        if case.appeals.filter(decided_on__isnull=True).exists():
            out.append("appeal-result")
    return out


def workflow_context(user: Any, case: Application) -> dict[str, Any]:
    """What the case page shows of part 2: the steps this user may take now, consultations,
    the decision with its report rows, the letters and the appeals."""
    agency = case.agency
    steps = []
    for action in available(case):
        step = STEPS[action]
        if has_role(user, agency, *step.roles):
            steps.append({"action": action, "step": step, "form": _form(action, case)})
    answer = case.answer
    rows = {v.value: answer_row(answer, v) for v in FormatVersion} if answer is not None else {}
    letters: list[Any] = []
    warnings: list[str] = []
    try:
        from xxgk.letters import api as letters_api

        letters = list(letters_api.Letter.objects.filter(application=case).order_by("id"))
        warnings = workflow.citation_warnings(answer, case.legal_basis) if answer else []
    except ImportError:  # pragma: no cover
        pass
    return {
        "steps": steps,
        "consultations": list(case.consultations.all()),
        "answer_info": answer_type_info(answer) if answer is not None else None,
        "answer_rows": rows,
        "citation_warnings": warnings,
        "letters": letters,
        "letter_kinds": _letter_kinds(case),
        "can_draft_letters": has_role(user, agency, Role.REGISTRAR, Role.HANDLER, Role.LEADER),
        "duplicates": workflow.find_duplicates(case) if case.is_open else [],
        "appeals": list(case.appeals.all()),
        "signoff": list(case.signoff_steps.select_related("actor")),
        "chain": workflow.signoff_chain(agency),
    }


def _letter_kinds(case: Application) -> list[tuple[str, str]]:
    out = []
    if case.answer_type and AnswerType(case.answer_type) not in workflow.PROCEDURAL_OUTCOMES:
        out.append(("reply", "答复书"))
    if case.correction_items:
        out.append(("correction_notice", "补正告知书"))
    if case.extension_days:
        out.append(("extension_notice", "延期答复告知书"))
    if case.pk and case.consultations.exists():
        out.append(("consultation_letter", "征求意见书"))
    if case.fee_amount:
        out.append(("fee_notice", "收费通知书"))
    return out


@login_required
@require_POST
def act(request: HttpRequest, agency_id: int, pk: int, action: str) -> HttpResponse:
    """Run one step of the case (the operation checks role and facts)."""
    case = _case(request, agency_id, pk)
    step = STEPS.get(action)
    if step is None:
        raise Http404("未知的办理步骤。")
    require_role(request.user, case.agency, *step.roles)
    form = _form(action, case, request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}：{e}" if label else e)
    else:
        try:
            text = step.run(request.user, case, form, request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, text)
    return redirect("applications:detail", agency_id=case.agency_id, pk=case.pk)


@login_required
@require_POST
def draft_letter(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """Draft (or rebuild from the case) a letter of the case with ``xxgk.letters``."""
    case = _case(request, agency_id, pk)
    from xxgk.letters import api as letters

    kind = request.POST.get("kind", "")
    if kind not in dict(_letter_kinds(case)):
        messages.error(request, "本案目前不能生成该文书。")
    else:
        try:
            letter = letters.draft_letter(case, kind, actor=request.user, regenerate=True,
                                          request=request)  # fmt: skip
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已生成{letter.title}（草稿，可在签发前修改）。")
    return redirect("applications:detail", agency_id=case.agency_id, pk=case.pk)


@login_required
@require_safe
def letter_file(
    request: HttpRequest, agency_id: int, pk: int, letter_id: int, fmt: str
) -> HttpResponse:
    """A letter of the case as DOCX or PDF: the stored file once issued, else rendered now."""
    case = _case(request, agency_id, pk)
    from xxgk.letters import api as letters

    try:
        letter = letters.Letter.objects.get(application=case, pk=letter_id)
    except letters.Letter.DoesNotExist as exc:
        raise Http404("未找到该文书。") from exc
    if fmt not in ("docx", "pdf"):
        raise Http404("未知的格式。")
    # a letter carries the applicant's name and address: the agency's staff only, audited
    if not operations.can_see_personal_data(request.user, case.agency):
        raise PermissionDenied("只有承办机关的工作人员可以下载文书。")
    audit.record(
        request.user, "applicant.view_personal_data", case.applicant, request=request,
        fields=["letter"], letter_id=letter.pk, application_id=case.pk, format=fmt,
    )  # fmt: skip
    if fmt == "docx":
        data = bytes(letter.docx) if letter.docx else letters.render_docx(letter)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        data = bytes(letter.pdf) if letter.pdf else letters.render_pdf(letter)
        ctype = "application/pdf"
    else:
        raise Http404("未知的格式。")
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="letter-{letter.pk}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def timeline(request: HttpRequest, agency_id: int, pk: int) -> HttpResponse:
    """Every event of the case with its actor and legal effect, on one page."""
    case = _case(request, agency_id, pk)
    rows: list[dict[str, Any]] = [
        {
            "on": timezone.localtime(case.submitted_at).date(),
            "label": f"提交申请（{case.get_channel_display()}）",
            "effect": "",
            "actor": case.registered_by,
        }
    ]
    if case.received_on:
        rows.append(
            {
                "on": case.received_on,
                "label": "收到申请",
                "effect": f"条例第三十一条：收到申请之日；答复期限{case.answer_due}，"
                f"补正告知期限{case.correction_notice_due}。",
                "actor": case.confirmed_by or case.registered_by,
            }
        )
    from xxgk.audit.models import AuditEvent

    part1 = {
        "application.assign": ("分配承办人", "条例第四十五条：登记、审核、办理工作制度。"),
        "application.transfer": ("转办", ""),
        "application.add_attachments": ("扫描上传申请材料", ""),
        "application.issue_query_code": ("生成进度查询码", ""),
    }
    for ev in AuditEvent.objects.filter(
        target_type="applications.application", target_id=str(case.pk), action__in=list(part1)
    ).select_related("actor"):
        label, effect = part1[ev.action]
        rows.append({"on": timezone.localtime(ev.at).date(), "label": label, "effect": effect,
                     "actor": ev.actor})  # fmt: skip
    for e in case.events.select_related("actor"):
        rows.append({"on": e.on, "label": e.label, "effect": e.legal_effect, "actor": e.actor})
    try:
        from xxgk.letters import api as letters

        for letter in letters.Letter.objects.filter(application=case, dated__isnull=False):
            rows.append({"on": letter.dated, "label": f"{letter.title} {letter.number}",
                         "effect": "文书已编号签发，内容固定。", "actor": letter.issued_by})  # fmt: skip
    except ImportError:  # pragma: no cover
        pass
    for a in case.appeals.all():
        rows.append({"on": a.filed_on, "label": f"{a.get_kind_display()}（{a.body}）",
                     "effect": "", "actor": a.created_by})  # fmt: skip
        if a.decided_on:
            rows.append({"on": a.decided_on, "label": f"{a.get_kind_display()}结果：{a.get_result_display()}",
                         "effect": "", "actor": None})  # fmt: skip
    rows.sort(key=lambda r: r["on"] or date.min)
    return render(
        request,
        "applications/timeline.html",
        {"agency": case.agency, "case": case, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    """管理员: the sign-off chain and the 补正 defaults; 负责人/管理员: lock a year."""
    agency = get_agency_for(request.user, agency_id)
    user = request.user
    is_admin = has_role(user, agency, Role.ADMIN)
    can_lock = is_admin or has_role(user, agency, Role.LEADER)
    if not can_lock:
        raise PermissionDenied("只有管理员或负责人可以进入办理设置。")
    row = workflow.workflow_settings(agency)
    form = wf.SettingsForm(
        prefix="settings",
        initial={
            "review": "review" in row.chain,
            "correction_days": row.correction_days,
            "max_correction_rounds": row.max_correction_rounds,
        },
    )
    lock_form = wf.LockYearForm(prefix="lock", initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        try:
            if "do-lock" in request.POST:
                lock_form = wf.LockYearForm(request.POST, prefix="lock")
                if lock_form.is_valid():
                    year = lock_form.cleaned_data["year"]
                    workflow.lock_year(user, agency, year, request=request)
                    messages.success(request, f"{year}年度已锁定。")
                    return redirect("applications:settings", agency_id=agency.pk)
            else:
                require_role(user, agency, Role.ADMIN)
                form = wf.SettingsForm(request.POST, prefix="settings")
                if form.is_valid():
                    d = form.cleaned_data
                    with transaction.atomic():
                        workflow.set_signoff_chain(
                            user, agency, ["review", "approval"] if d["review"] else ["approval"],
                            request=request,
                        )  # fmt: skip
                        workflow.set_correction_defaults(
                            user, agency, days=d["correction_days"],
                            max_rounds=d["max_correction_rounds"], request=request,
                        )  # fmt: skip
                    messages.success(request, "已保存。")
                    return redirect("applications:settings", agency_id=agency.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return render(
        request,
        "applications/settings.html",
        {
            "agency": agency,
            "form": form if is_admin else None,
            "lock_form": lock_form,
            "chain": workflow.signoff_chain(agency),
            "locked": sorted(workflow.locked_years(agency)),
        },
    )
