"""Staff pages of the ledger, under ``workspace/agencies/<agency_id>/ledger/``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from xxgk.accounts.roles import Role
from xxgk.agencies.scoping import get_agency_for, has_role
from xxgk.ledger.columns import BY_KEY, COLUMNS, column_for_header
from xxgk.ledger.operations import IMPORT_ROLES, export_ledger, import_ledger

MAX_UPLOAD = 10 * 1024 * 1024


class ExportForm(forms.Form):
    year = forms.IntegerField(
        label="年度（空为全部）", min_value=2008, max_value=2100, required=False
    )
    status = forms.ChoiceField(
        label="办理状态",
        required=False,
        choices=[("", "全部"), ("open", "未办结"), ("closed", "已办结")],
    )
    received_from = forms.DateField(label="收到日期自", required=False)
    received_to = forms.DateField(label="收到日期至", required=False)
    personal = forms.BooleanField(label="含联系方式原文（记入审计日志）", required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="台账文件（.xlsx）")
    mapping = forms.CharField(
        label="列对应（可选，每行“文件中的列名=系统列名”，系统列名留空表示忽略该列）",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    commit = forms.BooleanField(label="正式导入（不勾选为试运行，只检查不写入）", required=False)


def _mapping(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if "=" not in line:
            raise ValidationError(f"列对应第{n}行缺少“=”。")
        left, right = (p.strip() for p in line.split("=", 1))
        key = right if right in BY_KEY or not right else column_for_header(right)
        if key is None:
            raise ValidationError(f"列对应第{n}行：系统中没有“{right}”列。")
        out[left] = key
    return out


@login_required
@require_safe
def home(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_agency_for(request.user, agency_id)
    return render(
        request,
        "ledger/home.html",
        {
            "agency": agency,
            "export_form": ExportForm(),
            "import_form": ImportForm() if has_role(request.user, agency, *IMPORT_ROLES) else None,
            "columns": COLUMNS,
        },
    )


@login_required
@require_safe
def export(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The ledger as XLSX: a year, or the list filtered by status and receipt dates."""
    from xxgk.applications.models import OPEN_STATUSES, Application

    agency = get_agency_for(request.user, agency_id)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "ledger/home.html",
            {"agency": agency, "export_form": form, "import_form": None, "columns": COLUMNS},
            status=400,
        )
    f = form.cleaned_data
    cases = Application.objects.filter(agency=agency)
    if f["status"] == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif f["status"] == "closed":
        cases = cases.exclude(status__in=OPEN_STATUSES)
    if f["received_from"]:
        cases = cases.filter(received_on__gte=f["received_from"])
    if f["received_to"]:
        cases = cases.filter(received_on__lte=f["received_to"])
    data = export_ledger(
        request.user,
        agency,
        year=f["year"],
        cases=cases,
        personal_data=f["personal"],
        request=request,
    )
    today: date = timezone.localdate()
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ledger-{agency.pk}-{f["year"] or "all"}-{today:%Y%m%d}.xlsx"'
    )
    return response


@login_required
@require_POST
def import_view(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Check (dry run) or import an Excel ledger; the report lists every problem by row."""
    agency = get_agency_for(request.user, agency_id)
    if not has_role(request.user, agency, *IMPORT_ROLES):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    report: Any = None
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_UPLOAD:
                raise ValidationError("文件超过10MB。")
            mapping = _mapping(form.cleaned_data["mapping"])
            report = import_ledger(
                request.user,
                agency,
                upload.read(),
                mapping=mapping,
                dry_run=not form.cleaned_data["commit"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            status = 200 if report.ok else 400
    return render(
        request,
        "ledger/home.html",
        {
            "agency": agency,
            "export_form": ExportForm(),
            "import_form": form,
            "report": report,
            "columns": COLUMNS,
            "is_admin": has_role(request.user, agency, Role.ADMIN),
        },
        status=status,
    )
