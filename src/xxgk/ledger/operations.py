"""The Excel ledger (台账): export a year or a filtered list; import an agency's own ledger.

* :func:`export_ledger` — one sheet per year of receipt (``2026年``), one row per case, the
  columns of :data:`xxgk.ledger.columns.COLUMNS` in that order. Phone and address are masked
  unless ``personal_data=True`` (the agency's own staff only; audit-logged).
* :func:`import_ledger` — reads every sheet (header in the first row), maps headers to
  columns (export names, known aliases, or the caller's ``mapping``), validates every row
  and returns an :class:`ImportReport` (row-by-row problems, Chinese). With ``dry_run`` (the
  default) nothing is written; otherwise all rows are written in one transaction — or none,
  if any row is invalid.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xxgk import audit
from xxgk.accounts.roles import Role
from xxgk.agencies.scoping import can_read, require_role
from xxgk.ledger.columns import (
    BY_KEY,
    COLUMNS,
    CellError,
    column_for_header,
    parse_date,
    parse_int,
)
from xxgk.statute.outcomes import OUTCOME_ROWS, FormatVersion
from xxgk.statute.taxonomies import AnswerType, answer_row, answer_type_info

__all__ = ["ImportReport", "Problem", "export_ledger", "import_ledger", "ledger_rows"]

IMPORT_ROLES = (Role.ADMIN, Role.REGISTRAR)
_ROW_LABELS = {r.id: "".join(r.path[1:]) for r in OUTCOME_ROWS[FormatVersion.V2021]}
YES, NO = "是", "否"


# ------------------------------------------------------------------------------ choices


def _choices() -> dict[str, dict[str, str]]:
    """Label / value / alias → stored value, per choice column."""
    from xxgk.appeals.models import AppealKind, AppealResult
    from xxgk.applications.models import (
        ApplicantKind,
        ChannelChoice,
        ConsultationKind,
        FeeBasis,
        ServiceMethod,
        Status,
    )

    def table(choices: Any, aliases: Mapping[str, str] = {}) -> dict[str, str]:
        out = {}
        for value, label in choices.choices:
            if value:
                out[str(label)] = value
                out[str(value)] = value
        out.update(aliases)
        return out

    answers = {answer_type_info(a).label: a.value for a in AnswerType}
    answers.update({a.value: a.value for a in AnswerType})
    answers.update(
        {
            "予以公开": "disclosed",
            "公开": "disclosed",
            "部分公开": "partial",
            "信息不存在": "not_held",
            "政府信息不存在": "not_held",
            "本机关不掌握相关政府信息": "not_held",
            "非本机关负责公开": "not_responsible",
            "不属于本机关负责公开": "not_responsible",
            "重复申请": "repeated",
            "撤回": "other",
            "申请人撤回": "other",
        }
    )
    return {
        "channel": table(
            ChannelChoice,
            {
                "当面": "in_person",
                "现场": "in_person",
                "口头": "oral",
                "邮寄": "post_signed",
                "信函": "post_signed",
                "挂号信": "post_signed",
                "平常信函": "post_ordinary",
                "网上": "online",
                "网络": "online",
                "在线": "online",
                "在线申请": "online",
                "互联网": "online",
                "邮件": "email",
                "电子邮件": "email",
            },
        ),
        "applicant_kind": table(
            ApplicantKind,
            {"公民": "natural_person", "个人": "natural_person", "其他": "other_org"},
        ),
        "status": table(
            Status,
            {"已答复": "closed", "办结": "closed", "已撤回": "closed", "已撤销": "closed"},
        ),
        "consultation_kind": table(
            ConsultationKind, {"第三方": "third_party", "其他机关": "agency"}
        ),
        "fee_basis": table(FeeBasis),
        "service_method": table(ServiceMethod),
        "answer_type": answers,
        "appeal_kind": table(AppealKind),
        "appeal_result": table(AppealResult),
    }


def _label(choices: Any, value: str) -> str | None:
    if not value:
        return None
    return str(dict(choices.choices).get(value, value))


# ------------------------------------------------------------------------------ export


def _mask_address(text: str) -> str:
    return text[:6] + "****" if len(text) > 6 else "*" * len(text)


def _appeals_text(appeals: Iterable[Any]) -> str | None:
    from xxgk.appeals.models import AppealKind, AppealResult

    parts = []
    for a in appeals:
        bits = [
            str(_label(AppealKind, a.kind)),
            a.body,
            a.filed_on.isoformat(),
            str(_label(AppealResult, a.result)),
        ]
        if a.decided_on:
            bits.append(a.decided_on.isoformat())
        parts.append("，".join(bits))
    return "；".join(parts) or None


def ledger_rows(cases: Iterable[Any], *, personal_data: bool, today: date) -> list[list[Any]]:
    """The cells of each case in :data:`COLUMNS` order (``None`` = empty cell)."""
    from xxgk.applications.counting import intake_day
    from xxgk.applications.models import (
        ApplicantKind,
        ChannelChoice,
        ConsultationKind,
        FeeBasis,
        ServiceMethod,
        Status,
        mask_middle,
    )
    from xxgk.letters.models import Letter, LetterKind, LetterStatus

    cases = list(cases)
    numbers: dict[int, str] = {}
    for app_id, number in (
        Letter.objects.filter(
            application__in=cases, kind=LetterKind.REPLY, status=LetterStatus.ISSUED
        )
        .order_by("dated", "id")
        .values_list("application_id", "number")
    ):
        numbers[app_id] = number  # the latest issued reply wins
    out = []
    for case in cases:
        a = case.applicant
        cons = list(case.consultations.all())
        c = cons[-1] if cons else None
        answer = AnswerType(case.answer_type) if case.answer_type else None
        intake = intake_day(case.received_on, case.submitted_at)
        reply_day = case.closed_on or case.decided_on
        due = case.effective_due
        if due is None:
            overdue = None
        elif reply_day is not None:
            overdue = YES if reply_day > due else NO
        else:
            overdue = YES if case.is_open and today > due else NO
        end = date(intake.year, 12, 31)
        values = {
            "number": case.number,
            "received_on": case.received_on,
            "submitted_on": timezone.localtime(case.submitted_at).date(),
            "channel": _label(ChannelChoice, case.channel),
            "applicant": a.name if personal_data else a.masked_name,
            "applicant_kind": _label(ApplicantKind, a.kind),
            "phone": (a.phone if personal_data else mask_middle(a.phone, keep_start=3, keep_end=2))
            or None,
            "address": (a.address if personal_data else _mask_address(a.address)) or None,
            "description": case.description,
            "status": _label(Status, case.status),
            "correction_requested_on": case.correction_requested_on,
            "correction_received_on": case.correction_received_on,
            "consultation_kind": _label(ConsultationKind, c.kind) if c else None,
            "consultation_party": c.party_name if c else None,
            "consultation_sent_on": c.sent_on if c else None,
            "consultation_received_on": c.party_received_on if c else None,
            "consultation_deadline": c.deadline if c else None,
            "consultation_replied_on": c.replied_on if c else None,
            "extension_days": case.extension_days,
            "extension_approved_on": case.extension_approved_on,
            "due": due,
            "fee_basis": _label(FeeBasis, case.fee_basis),
            "fee_units": case.fee_units,
            "fee_amount": case.fee_amount,
            "fee_notice_on": case.fee_notice_on,
            "fee_payment_deadline": case.fee_payment_deadline,
            "fee_paid_on": case.fee_paid_on,
            "decided_on": case.decided_on,
            "letter_number": numbers.get(case.pk),
            "answer_type": answer_type_info(answer).label if answer else None,
            "legal_basis": "、".join(case.legal_basis or []) or None,
            "service_method": _label(ServiceMethod, case.service_method),
            "posted_on": case.posted_on,
            "served_on": case.served_on,
            "postal_tracking_number": case.postal_tracking_number or None,
            "overdue": overdue,
            "report_row": _ROW_LABELS[answer_row(answer, FormatVersion.V2021)] if answer else None,
            "carried_over": YES if case.closed_on is None or case.closed_on > end else NO,
            "appeals": _appeals_text(case.appeals.all()),
            "withdrawn_on": case.withdrawn_on,
            "closed_on": case.closed_on,
            "note": case.purpose or None,
        }
        out.append([values[col.key] if values[col.key] != "" else None for col in COLUMNS])
    return out


def export_ledger(
    actor: Any,
    agency: Any,
    *,
    year: int | None = None,
    cases: Any = None,
    personal_data: bool = False,
    today: date | None = None,
    request: Any = None,
) -> bytes:
    """The ledger as an XLSX file: one sheet per year of receipt, one row per case.

    ``cases`` (a queryset of the agency's applications, e.g. a filtered list) or ``year``
    narrows it. By default natural persons' names, phones and addresses are masked (as in
    the case lists); ``personal_data=True`` prints them in clear: staff of the agency
    itself only, and the export is audit-logged as such.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from xxgk.applications.counting import intake_day
    from xxgk.applications.models import Application
    from xxgk.applications.operations import can_see_personal_data

    if not can_read(actor, agency):
        raise PermissionDenied
    if personal_data and not can_see_personal_data(actor, agency):
        raise PermissionDenied
    today = today or timezone.localdate()
    qs = cases if cases is not None else Application.objects.all()
    qs = (
        qs.filter(agency=agency)
        .select_related("applicant")
        .prefetch_related("consultations", "appeals")
        .order_by("received_on", "submitted_at", "number")
    )
    by_year: dict[int, list[Any]] = defaultdict(list)
    for case in qs:
        y = intake_day(case.received_on, case.submitted_at).year
        if year is None or y == year:
            by_year[y].append(case)
    wb = Workbook()
    wb.remove(wb.active)
    for y in sorted(by_year) or [year or today.year]:
        ws = wb.create_sheet(f"{y}年")
        ws.append([c.header for c in COLUMNS])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in ledger_rows(by_year.get(y, []), personal_data=personal_data, today=today):
            ws.append(row)
        for col in ws.iter_cols(min_row=2):
            for cell in col:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "B2"
    out = io.BytesIO()
    wb.save(out)
    audit.record(
        actor,
        "ledger.export",
        None,
        request=request,
        agency=agency,
        years=sorted(by_year),
        cases=sum(len(v) for v in by_year.values()),
        personal_data=personal_data,
    )
    return out.getvalue()


# ------------------------------------------------------------------------------ import


@dataclass
class Problem:
    """One finding of the import, located: sheet, row (1-based, as Excel shows it), column."""

    sheet: str
    row: int
    column: str
    message: str
    blocking: bool = True

    def __str__(self) -> str:
        where = f"{self.sheet} 第{self.row}行"
        if self.column:
            where += f"「{self.column}」"
        return f"{where}：{self.message}"


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    valid_rows: int = 0
    created: int = 0
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)
    unmapped: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocking]

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        """The report as lines of text (Chinese)."""
        head = f"共{self.rows}行，有效{self.valid_rows}行，错误{len(self.errors)}处，" + (
            "试运行，未写入。" if self.dry_run else f"已导入{self.created}件。"
        )
        return [head, *(str(p) for p in self.errors), *(f"提示：{p}" for p in self.notes)]


@dataclass
class _Row:
    sheet: str
    index: int
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def _read(data: bytes) -> list[tuple[str, list[Any], list[tuple[int, list[Any]]]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-XLSX file
        raise ValidationError(
            {"file": f"无法读取该文件（须为 .xlsx 格式的 Excel 工作簿）：{type(exc).__name__}"}
        ) from None
    sheets = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if not rows:
            continue
        header = list(rows[0])
        body = [
            (i, list(r))
            for i, r in enumerate(rows[1:], start=2)
            if any(v not in (None, "") for v in r)
        ]
        sheets.append((ws.title, header, body))
    wb.close()
    return sheets


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_row(row: _Row, agency: Any, choices: dict[str, dict[str, str]], today: date) -> None:
    """Fill ``row.data`` with stored values; record every problem with its column."""
    v, d = row.values, row.data

    def problem(key: str, message: str, *, blocking: bool = True) -> None:
        header = BY_KEY[key].header if key in BY_KEY else key
        row.problems.append(Problem(row.sheet, row.index, header, message, blocking))

    def date_of(key: str) -> date | None:
        try:
            value = parse_date(v.get(key))
        except CellError as exc:
            problem(key, str(exc))
            return None
        if value is not None and value > today:
            problem(key, "日期不能晚于今天")
        return value

    def choice(key: str, table: str | None = None) -> str:
        text = _text(v.get(key))
        if not text:
            return ""
        found = choices[table or key].get(text)
        if found is None:
            problem(key, f"“{text}”无法识别，可填：{'、'.join(_labels(choices[table or key]))}")
            return ""
        return found

    d["number"] = _text(v.get("number"))
    for key, limit in (("number", 32), ("applicant", 100), ("consultation_party", 100),
                       ("postal_tracking_number", 40), ("letter_number", 60)):  # fmt: skip
        if len(_text(v.get(key))) > limit:
            problem(key, f"超过{limit}个字符")
    for key in (
        "received_on",
        "submitted_on",
        "correction_requested_on",
        "correction_received_on",
        "consultation_sent_on",
        "consultation_received_on",
        "extension_approved_on",
        "fee_notice_on",
        "fee_paid_on",
        "decided_on",
        "posted_on",
        "served_on",
        "withdrawn_on",
        "closed_on",
    ):
        d[key] = date_of(key)
    # deadlines may lie in the future
    for key in ("consultation_deadline", "fee_payment_deadline", "consultation_replied_on"):
        try:
            d[key] = parse_date(v.get(key))
        except CellError as exc:
            problem(key, str(exc))
            d[key] = None
    for key in ("extension_days", "fee_units", "fee_amount"):
        try:
            d[key] = parse_int(v.get(key))
        except CellError as exc:
            problem(key, str(exc))
            d[key] = None
    d["channel"] = choice("channel") or ""
    if not _text(v.get("channel")):
        d["channel"] = "in_person"
        problem("channel", "申请方式为空，按“当面提交”导入", blocking=False)
    d["applicant_kind"] = choice("applicant_kind")
    if not _text(v.get("applicant_kind")):
        problem("applicant_kind", "申请人类型不能为空（年度报告表三按申请人类型统计）")
    d["applicant"] = _text(v.get("applicant"))
    if not d["applicant"]:
        problem("applicant", "申请人不能为空")
    elif "*" in d["applicant"]:
        problem("applicant", "为脱敏数据，无法导入（请使用含个人信息的导出）")
    d["description"] = _text(v.get("description"))
    if not d["description"]:
        problem("description", "申请内容不能为空")
    for key, limit in (("phone", 30), ("address", 200)):
        text = _text(v.get(key))
        if "*" in text:
            problem(key, "为脱敏数据，未导入", blocking=False)
            text = ""
        if len(text) > limit:
            problem(key, f"超过{limit}个字符")
        d[key] = text
    d["status"] = choice("status")
    d["consultation_kind"] = choice("consultation_kind")
    d["consultation_party"] = _text(v.get("consultation_party"))
    d["fee_basis"] = choice("fee_basis")
    d["service_method"] = choice("service_method")
    d["answer_type"] = choice("answer_type")
    d["postal_tracking_number"] = _text(v.get("postal_tracking_number"))
    d["letter_number"] = _text(v.get("letter_number"))
    d["note"] = _text(v.get("note"))
    basis_text = _text(v.get("legal_basis"))
    d["legal_basis"] = (
        [p for p in re.split(r"[、，,；;\s]+", basis_text) if p] if basis_text else []
    )
    _parse_appeals(row, v.get("appeals"), choices)

    # consistency
    if d["received_on"] is None and d["status"] != "pending":
        problem("received_on", "收到日期不能为空（条例第三十一条：答复期限自收到申请之日起计算）")
    if d["submitted_on"] is None:
        d["submitted_on"] = d["received_on"]
    if d["submitted_on"] is None and d["status"] == "pending":
        problem("submitted_on", "待确认收到的申请须填写申请日期")
    if d["received_on"] and d["submitted_on"] and d["submitted_on"] > d["received_on"]:
        problem("submitted_on", "申请日期不能晚于收到日期")
    for key in ("decided_on", "closed_on", "withdrawn_on", "correction_received_on"):
        if d[key] and d["received_on"] and d[key] < d["received_on"]:
            problem(key, "不能早于收到日期")
    if d["extension_days"] is not None and not 1 <= d["extension_days"] <= 20:
        problem("extension_days", "延长期限为1至20个工作日（条例第三十三条第二款）")
    if not d["status"]:
        d["status"] = "closed" if (d["closed_on"] or d["decided_on"]) else "open"
    if d["status"] == "closed":
        if not d["answer_type"]:
            if d["withdrawn_on"]:
                d["answer_type"] = AnswerType.OTHER.value
            else:
                problem("answer_type", "已办结的申请须填写答复类型（年度报告按答复类型统计）")
        d["closed_on"] = d["closed_on"] or d["decided_on"] or d["withdrawn_on"]
        if d["closed_on"] is None:
            problem("closed_on", "已办结的申请须填写办结日期或答复日期")
    elif d["closed_on"]:
        problem("closed_on", "未办结的申请不应有办结日期")
    if d["consultation_party"]:
        if not d["consultation_kind"]:
            problem("consultation_kind", "有征求意见对象时须填写类型（第三方或其他机关）")
        for key in ("consultation_sent_on", "consultation_deadline"):
            if d[key] is None:
                problem(key, "有征求意见对象时不能为空")
        d["consultation_received_on"] = d["consultation_received_on"] or d["consultation_sent_on"]
    if d["legal_basis"] and d["answer_type"]:
        from xxgk.letters.citations import check_citations

        for w in check_citations(d["answer_type"], d["legal_basis"]):
            problem("legal_basis", w, blocking=False)
    if d["letter_number"] and not d["answer_type"]:
        problem("letter_number", "有文号但没有答复类型")


def _labels(table: Mapping[str, str]) -> list[str]:
    seen: dict[str, str] = {}
    for k, val in table.items():
        if not re.fullmatch(r"[a-z_]+", k):
            seen.setdefault(val, k)
    return list(seen.values())


def _parse_appeals(row: _Row, value: Any, choices: dict[str, dict[str, str]]) -> None:
    text = _text(value)
    row.data["appeals"] = []
    if not text:
        return
    header = BY_KEY["appeals"].header
    for part in [p for p in re.split(r"[；;]", text) if p.strip()]:
        bits = [b.strip() for b in re.split(r"[，,]", part)]
        problem_text = "格式应为：类型，机关，申请日期，结果[，审结日期]（多项用；分隔）"
        if len(bits) not in (4, 5):
            row.problems.append(Problem(row.sheet, row.index, header, problem_text))
            continue
        kind = choices["appeal_kind"].get(bits[0])
        result = choices["appeal_result"].get(bits[3])
        try:
            filed = parse_date(bits[2])
            decided = parse_date(bits[4]) if len(bits) == 5 else None
        except CellError as exc:
            row.problems.append(Problem(row.sheet, row.index, header, str(exc)))
            continue
        if kind is None or result is None or filed is None or not bits[1]:
            row.problems.append(Problem(row.sheet, row.index, header, problem_text))
            continue
        row.data["appeals"].append(
            {"kind": kind, "body": bits[1][:100], "filed_on": filed, "result": result,
             "decided_on": decided}
        )  # fmt: skip


def import_ledger(
    actor: Any,
    agency: Any,
    data: bytes,
    *,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = True,
    today: date | None = None,
    request: Any = None,
) -> ImportReport:
    """Import an agency's Excel ledger. ``mapping``: header in the file → column key (or ``""``
    to ignore a column); other headers are matched by name and alias. Returns the report;
    writes nothing in a dry run or when any row has an error."""
    from xxgk.applications.counting import intake_day
    from xxgk.applications.models import Application
    from xxgk.applications.workflow import locked_years

    require_role(actor, agency, *IMPORT_ROLES)
    today = today or timezone.localdate()
    mapping = dict(mapping or {})
    bad_keys = sorted({k for k in mapping.values() if k and k not in BY_KEY})
    if bad_keys:
        raise ValidationError({"mapping": f"未知的列：{'、'.join(bad_keys)}"})
    report = ImportReport(dry_run=dry_run)
    choices = _choices()
    rows: list[_Row] = []
    for sheet, header, body in _read(data):
        keys: list[str | None] = []
        report.mapping[sheet] = {}
        report.unmapped[sheet] = []
        for h in header:
            name = _text(h)
            key = mapping[name] if name in mapping else column_for_header(name)
            if key and key in [k for k in keys if k]:
                report.problems.append(Problem(sheet, 1, name, "与另一列对应同一字段，已忽略"))
                key = None
            keys.append(key or None)
            if key:
                report.mapping[sheet][name] = key
            elif name:
                report.unmapped[sheet].append(name)
        present = {k for k in keys if k}
        for required in ("applicant", "description", "applicant_kind"):
            if required not in present and body:
                report.problems.append(
                    Problem(sheet, 1, BY_KEY[required].header, "缺少该列（可用列对应指定）")
                )
        if "received_on" not in present and "submitted_on" not in present and body:
            report.problems.append(Problem(sheet, 1, "收到日期", "缺少收到日期或申请日期列"))
        for index, cells in body:
            values = {k: cells[i] if i < len(cells) else None for i, k in enumerate(keys) if k}
            rows.append(_Row(sheet, index, values))
    report.rows = len(rows)
    if not rows and not report.problems:
        report.problems.append(Problem("", 0, "", "文件中没有数据行"))

    locked = locked_years(agency)
    seen_numbers: dict[str, _Row] = {}
    for row in rows:
        _parse_row(row, agency, choices, today)
        d = row.data
        if not d["number"]:
            d["number"] = f"TZ{agency.pk}-{row.sheet[:8]}-{row.index}"
        if d["number"] in seen_numbers:
            other = seen_numbers[d["number"]]
            row.problems.append(
                Problem(row.sheet, row.index, "受理编号", f"与{other.sheet}第{other.index}行重复")
            )
        seen_numbers.setdefault(d["number"], row)
        start = d["received_on"] or d["submitted_on"]
        for day in (start, d["closed_on"]):
            if day is not None and day.year in locked:
                row.problems.append(
                    Problem(
                        row.sheet,
                        row.index,
                        "",
                        f"{day.year}年度已锁定（年度报告已公布），不能导入",
                    )
                )
                break
        report.problems.extend(row.problems)
    existing = set(
        Application.objects.filter(number__in=list(seen_numbers)).values_list("number", flat=True)
    )
    for row in rows:
        if row.data["number"] in existing:
            p = Problem(
                row.sheet, row.index, "受理编号", f"“{row.data['number']}”已存在，不能重复导入"
            )
            row.problems.append(p)
            report.problems.append(p)
    report.valid_rows = sum(1 for r in rows if not any(p.blocking for p in r.problems))
    report.problems.sort(key=lambda p: (p.sheet, p.row, not p.blocking))
    if dry_run or not report.ok:
        return report
    with transaction.atomic():
        for row in rows:
            _write(actor, agency, row.data)
        report.created = len(rows)
        audit.record(
            actor,
            "ledger.import",
            None,
            request=request,
            agency=agency,
            cases=len(rows),
            years=sorted(
                {
                    intake_day(r.data["received_on"], None).year
                    for r in rows
                    if r.data["received_on"]
                }
            ),
        )
    return report


def _write(actor: Any, agency: Any, d: dict[str, Any]) -> None:
    from xxgk.appeals.models import Appeal, AppealKind
    from xxgk.applications import clock
    from xxgk.applications.models import Applicant, Application, CaseEvent, Consultation
    from xxgk.letters.models import Letter, LetterKind, LetterStatus

    applicant = Applicant.objects.create(
        agency=agency,
        kind=d["applicant_kind"],
        name=d["applicant"],
        id_type="other",
        id_number="",
        id_key="",
        phone=d["phone"],
        address=d["address"],
    )
    tz = timezone.get_current_timezone()
    submitted = d["submitted_on"] or d["received_on"]
    app = Application(
        agency=agency,
        number=d["number"],
        applicant=applicant,
        channel=d["channel"],
        status=d["status"],
        description=d["description"],
        purpose=d["note"],
        submitted_at=datetime.combine(submitted, time(9), tzinfo=tz),
        received_on=d["received_on"],
        registered_by=actor,
        correction_requested_on=d["correction_requested_on"],
        correction_received_on=d["correction_received_on"],
        extension_days=d["extension_days"],
        extension_approved_on=d["extension_approved_on"],
        fee_basis=d["fee_basis"],
        fee_units=d["fee_units"],
        fee_amount=d["fee_amount"],
        fee_notice_on=d["fee_notice_on"],
        fee_payment_deadline=d["fee_payment_deadline"],
        fee_paid_on=d["fee_paid_on"],
        answer_type=d["answer_type"],
        legal_basis=d["legal_basis"],
        decided_on=d["decided_on"],
        service_method=d["service_method"],
        posted_on=d["posted_on"],
        served_on=d["served_on"],
        postal_tracking_number=d["postal_tracking_number"],
        withdrawn_on=d["withdrawn_on"],
        closed_on=d["closed_on"],
    )
    if d["correction_requested_on"] or d["correction_received_on"]:
        app.correction_rounds = 1
    app.save(force_insert=True)
    if d["consultation_party"]:
        Consultation.objects.create(
            agency=agency,
            application=app,
            kind=d["consultation_kind"],
            party_name=d["consultation_party"],
            sent_on=d["consultation_sent_on"],
            party_received_on=d["consultation_received_on"],
            deadline=d["consultation_deadline"],
            replied_on=d["consultation_replied_on"],
            created_by=actor,
        )
    clock.apply_clock(app)
    app.save(update_fields=list(clock.CLOCK_FIELDS))
    CaseEvent.objects.create(
        agency=agency,
        application=app,
        on=timezone.localdate(),
        kind="ledger_import",
        label="由台账导入",
        legal_effect="本案此前的办理过程记录在原台账中，系统仅导入台账所列事项。",
        actor=actor,
    )
    earlier = None
    for a in d["appeals"]:
        obj = Appeal.objects.create(
            agency=agency,
            application=app,
            earlier=earlier if a["kind"] == AppealKind.SUIT_AFTER_REVIEW else None,
            created_by=actor,
            **a,
        )
        if a["kind"] == AppealKind.REVIEW:
            earlier = obj
    if d["letter_number"]:
        Letter.objects.create(
            agency=agency,
            application=app,
            kind=LetterKind.REPLY,
            variant=d["answer_type"],
            status=LetterStatus.ISSUED,
            title="政府信息公开申请答复书（台账导入，原文书未导入）",
            addressee=d["applicant"],
            body="（本记录由台账导入，答复书原件未导入系统。）",
            articles=d["legal_basis"],
            signer=agency.name,
            number=d["letter_number"],
            dated=d["decided_on"],
            created_by=actor,
        )
