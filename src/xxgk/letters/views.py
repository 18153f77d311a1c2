"""Staff pages of the letters area, under ``workspace/agencies/<agency_id>/letters/``.

Order in every view: the agency/letter through scoping (404), the role inside the operation
(403), the method by decorator (405). Views never save; they call :mod:`operations`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xxgk.accounts.roles import Role
from xxgk.agencies.scoping import get_agency_for, get_object_for, has_role
from xxgk.letters import operations
from xxgk.letters.defaults import builtin_template
from xxgk.letters.models import CounterScope, Letter, LetterKind, LetterTemplate
from xxgk.letters.templating import FIELDS
from xxgk.statute.taxonomies import AnswerType, answer_type_info

_NONE = "-"  # URL stand-in for an empty variant


def _variants() -> list[tuple[str, str, str]]:
    """(kind, variant, label) of every template an agency can edit."""
    out = [("reply", a.value, f"答复书：{answer_type_info(a).label}") for a in AnswerType]
    out += [
        ("correction_notice", "", LetterKind.CORRECTION_NOTICE.label),
        ("extension_notice", "", LetterKind.EXTENSION_NOTICE.label),
        ("consultation_letter", "third_party", "征求意见书（第三方，条例第三十二条）"),
        ("consultation_letter", "agency", "征求意见函（其他机关，条例第三十四条）"),
        ("fee_notice", "", LetterKind.FEE_NOTICE.label),
    ]
    return out


class SettingsForm(forms.Form):
    agency_code = forms.CharField(label="机关代字", max_length=20, required=False)
    number_pattern = forms.CharField(
        label="文号格式",
        max_length=60,
        help_text="可用：{code} 机关代字，{type} 文书类型代字，{yyyy} 年份，{n} 序号。"
        "GB/T 9704：〔2026〕7号，序号不加“第”、不补零。",
    )
    pad = forms.IntegerField(label="序号位数（补零，0为不补）", min_value=0, max_value=6)
    counter_scope = forms.ChoiceField(label="编号序列", choices=CounterScope.choices)
    reconsideration_body = forms.CharField(
        label="行政复议机关",
        max_length=100,
        required=False,
        help_text="空则按行政复议法第二十四条推定为上级人民政府。",
    )
    court = forms.CharField(label="管辖法院", max_length=100, required=False)
    prior_review_types = forms.MultipleChoiceField(
        label="复议前置的答复类型（行政复议法第二十三条，2024年1月1日起）",
        choices=[(a.value, answer_type_info(a).label) for a in AnswerType],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact_note = forms.CharField(label="附注（联系人、电话）", max_length=120, required=False)

    def clean_prior_review_types(self) -> list[str]:
        """行政复议法第二十三条第一款第（四）项: the statutory types stay checked."""
        types = list(self.cleaned_data.get("prior_review_types") or [])
        msg = operations.prior_review_error(types)
        if msg:
            raise forms.ValidationError(msg)
        return types


class IssueForm(forms.Form):
    dated = forms.DateField(
        label="成文日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CounterForm(forms.Form):
    kind = forms.ChoiceField(label="文书种类", choices=LetterKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    last = forms.IntegerField(label="已使用的最大序号", min_value=0)


class TemplateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=60)
    body = forms.CharField(
        label="正文模板",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="段落之间空一行。只能使用下列{{字段}}；救济途径由系统按答复类型自动附加。",
    )


class LetterForm(forms.Form):
    title = forms.CharField(label="标题", max_length=60)
    addressee = forms.CharField(label="主送（称呼）", max_length=120)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 18}))
    articles = forms.CharField(
        label="法律依据（每行一条）",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="如：第三十六条第（三）项",
    )
    closing = forms.CharField(label="结束语", max_length=40, required=False)
    signer = forms.CharField(label="发文机关署名", max_length=100)
    note = forms.CharField(label="附注", max_length=120, required=False)


def _errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errs in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_safe
def overview(request: HttpRequest, agency_id: int) -> HttpResponse:
    """文书设置 and the list of templates (built-in or the agency's own)."""
    agency = get_agency_for(request.user, agency_id)
    s = operations.settings_for(agency)
    saved = {(t.kind, t.variant): t for t in LetterTemplate.objects.filter(agency=agency)}
    rows = [
        {"kind": k, "variant": v or _NONE, "label": label, "saved": saved.get((k, v))}
        for k, v, label in _variants()
    ]
    form = SettingsForm(
        initial={
            **{f: getattr(s, f) for f in SettingsForm.base_fields},
        }
    )
    return render(
        request,
        "letters/overview.html",
        {
            "agency": agency,
            "settings": s,
            "rows": rows,
            "form": form,
            "counter_form": CounterForm(initial={"year": timezone.localdate().year}),
            "is_admin": has_role(request.user, agency, Role.ADMIN),
        },
    )


@login_required
@require_POST
def counter_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    """管理员: continue a series begun on paper (the counter only moves forward)."""
    agency = get_agency_for(request.user, agency_id)
    if not has_role(request.user, agency, Role.ADMIN):
        raise PermissionDenied
    form = CounterForm(request.POST)
    if form.is_valid():
        try:
            operations.advance_counter(request.user, agency, request=request, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "编号序列已调整。")
    else:
        messages.error(request, "请填写文书种类、年度和序号。")
    return redirect("letters:overview", agency_id=agency.pk)


@login_required
@require_POST
def settings_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_agency_for(request.user, agency_id)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            operations.update_settings(
                request.user, agency, dict(form.cleaned_data), request=request
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, "文书设置已保存。")
            return redirect("letters:overview", agency_id=agency.pk)
    elif not has_role(request.user, agency, Role.ADMIN):
        raise PermissionDenied
    s = operations.settings_for(agency)
    return render(
        request,
        "letters/overview.html",
        {"agency": agency, "settings": s, "rows": [], "form": form, "is_admin": True},
        status=400,
    )


def _kind_variant(kind: str, variant: str) -> tuple[str, str]:
    variant = "" if variant == _NONE else variant
    if (kind, variant) not in {(k, v) for k, v, _ in _variants()}:
        raise Http404("未知的文书模板。")
    return kind, variant


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_edit(request: HttpRequest, agency_id: int, kind: str, variant: str) -> HttpResponse:
    """管理员 edits one template (the built-in wording is the starting point)."""
    agency = get_agency_for(request.user, agency_id)
    kind, variant = _kind_variant(kind, variant)
    if not has_role(request.user, agency, Role.ADMIN):
        raise PermissionDenied
    title, body = operations.template_for(agency, kind, variant)
    builtin = builtin_template(kind, variant)
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                operations.save_template(
                    request.user, agency, kind, variant, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, "模板已保存。")
                return redirect("letters:overview", agency_id=agency.pk)
        status = 400
    else:
        form = TemplateForm(initial={"title": title, "body": body})
    label = next(lbl for k, v, lbl in _variants() if (k, v) == (kind, variant))
    return render(
        request,
        "letters/template_edit.html",
        {
            "agency": agency,
            "form": form,
            "label": label,
            "kind": kind,
            "variant": variant or _NONE,
            "fields": FIELDS,
            "builtin": builtin,
        },
        status=status,
    )


@login_required
@require_POST
def template_reset(request: HttpRequest, agency_id: int, kind: str, variant: str) -> HttpResponse:
    agency = get_agency_for(request.user, agency_id)
    kind, variant = _kind_variant(kind, variant)
    if operations.reset_template(request.user, agency, kind, variant, request=request):
        messages.success(request, "已恢复为系统默认模板。")
    return redirect("letters:overview", agency_id=agency.pk)


def _letter(request: HttpRequest, agency_id: int, letter_id: int) -> Letter:
    agency = get_agency_for(request.user, agency_id)
    return get_object_for(
        request.user, Letter.objects.filter(agency=agency).select_related("application"), letter_id
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def letter_edit(request: HttpRequest, agency_id: int, letter_id: int) -> HttpResponse:
    """A letter: read it, its warnings; edit it while it is a draft (before sign-off)."""
    letter = _letter(request, agency_id, letter_id)
    can_edit = letter.is_draft and has_role(request.user, letter.agency, *operations.EDIT_ROLES)
    status = 200
    issue_form = IssueForm(initial={"dated": timezone.localdate()})
    if request.method == "POST" and request.POST.get("action") == "issue":
        return _issue(request, letter)
    if request.method == "POST":
        if not has_role(request.user, letter.agency, *operations.EDIT_ROLES):
            raise PermissionDenied
        form = LetterForm(request.POST)
        if form.is_valid():
            data: dict[str, Any] = dict(form.cleaned_data)
            data["articles"] = [a.strip() for a in data["articles"].splitlines() if a.strip()]
            try:
                operations.update_letter(letter, actor=request.user, request=request, **data)
            except ValidationError as exc:
                _errors(form, exc)
                if not letter.is_draft:
                    for message in exc.messages:
                        messages.error(request, message)
            else:
                messages.success(request, "文书已保存。")
                return redirect("letters:letter", agency_id=letter.agency_id, letter_id=letter.pk)
        status = 400
    else:
        form = LetterForm(
            initial={
                "title": letter.title,
                "addressee": letter.addressee,
                "body": letter.body,
                "articles": "\n".join(letter.articles or []),
                "closing": letter.closing,
                "signer": letter.signer,
                "note": letter.note,
            }
        )
    return render(
        request,
        "letters/letter.html",
        {
            "agency": letter.agency,
            "letter": letter,
            "case": letter.application,
            "form": form if can_edit else None,
            "issue_form": issue_form if operations.can_issue_notice(request.user, letter) else None,
            "warnings": operations.letter_warnings(letter),
            "notes": operations.letter_notes(letter),
        },
        status=status,
    )


def _issue(request: HttpRequest, letter: Letter) -> HttpResponse:
    """签发 a notice from its page (roles of ``issue_number``; replies: 403 here)."""
    if letter.kind not in operations.NOTICE_KINDS:
        raise PermissionDenied
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            operations.issue_notice(
                letter, actor=request.user, on=form.cleaned_data["dated"], request=request
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已签发，文号 {letter.number}。")
    else:
        messages.error(request, "请填写成文日期（年-月-日）。")
    return redirect("letters:letter", agency_id=letter.agency_id, letter_id=letter.pk)


@login_required
@require_safe
def letter_file(request: HttpRequest, agency_id: int, letter_id: int, fmt: str) -> HttpResponse:
    """DOCX or PDF: the kept file of an issued letter, else a preview of the draft."""
    letter = _letter(request, agency_id, letter_id)
    if fmt == "docx":
        data = operations.render_docx(letter)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        data = operations.render_pdf(letter)
        ctype = "application/pdf"
    else:
        raise Http404("未知的格式。")
    response = HttpResponse(data, content_type=ctype)
    name = f"{letter.number or '草稿'}-{letter.title}.{fmt}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"letter-{letter.pk}.{fmt}\"; filename*=UTF-8''" + quote(name)
    )
    return response
