"""Named operations on letters: draft, edit, check, issue (文号), void, render; templates and
settings. Every change is audit-logged; nothing is stored when an operation raises.

The public interface for the workflow is :mod:`xxgk.letters.api`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xxgk import audit
from xxgk.accounts.roles import Role
from xxgk.agencies.scoping import has_role, require_role
from xxgk.letters import citations, remedy
from xxgk.letters.defaults import builtin_template
from xxgk.letters.models import (
    CounterScope,
    IssuedNumber,
    Letter,
    LetterKind,
    LetterSettings,
    LetterStatus,
    LetterTemplate,
    NumberCounter,
)
from xxgk.letters.render import LetterDoc, chinese_date
from xxgk.letters.render import render_docx as _docx
from xxgk.letters.render import render_pdf as _pdf
from xxgk.letters.templating import FIELDS, render_text, template_errors
from xxgk.statute.taxonomies import AnswerType, answer_type_info

DRAFT_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.LEADER)
EDIT_ROLES = (Role.HANDLER, Role.REVIEWER, Role.LEADER)
#: Who allocates the 文号: the reply is signed by the 负责人 (A's sign-off calls issue_number);
#: procedural notices go out from the GI office.
ISSUE_ROLES = {
    LetterKind.REPLY: (Role.LEADER,),
    LetterKind.EXTENSION_NOTICE: (Role.LEADER,),
}
NOTICE_ISSUE_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.LEADER)
EDITABLE_FIELDS = (
    "title",
    "addressee",
    "body",
    "articles",
    "closing",
    "signer",
    "note",
    "attachments",
)
TO_FILL = "【待填写：{}】"
_TO_FILL_RE = re.compile(r"【待填写：([^】]*)】")
_TOKENS = re.compile(r"\{(code|type|yyyy|n)\}")
#: Letters whose kind carries the remedy clause (S-132 art. 3: 补正、延期 are not separately
#: reviewable; the fee notice and the consultation letter are not decisions on the application).
REMEDY_KINDS = frozenset({LetterKind.REPLY})


# ------------------------------------------------------------------------------ settings


def settings_for(agency: Any) -> LetterSettings:
    """The agency's letter settings (created with defaults on first use)."""
    found = LetterSettings.objects.filter(agency=agency).first()
    if found is not None:
        return found
    code = agency.short_name or agency.name
    obj, _ = LetterSettings.objects.get_or_create(agency=agency, defaults={"agency_code": code})
    return obj


def pattern_errors(pattern: str) -> list[str]:
    """Why a 文号 pattern is unusable (Chinese messages)."""
    errors = []
    if "{n}" not in pattern or "{yyyy}" not in pattern:
        errors.append("文号格式须包含年份{yyyy}和序号{n}。")
    rest = _TOKENS.sub("", pattern)
    if "{" in rest or "}" in rest:
        errors.append("文号格式只能使用{code}、{type}、{yyyy}、{n}。")
    return errors


def update_settings(
    actor: Any, agency: Any, changes: dict[str, Any], *, request: Any = None
) -> LetterSettings:
    """管理员: change the 文号 pattern, type codes, remedy body, 复议前置 scope, 附注."""
    require_role(actor, agency, Role.ADMIN)
    obj = settings_for(agency)
    allowed = {
        "agency_code",
        "number_pattern",
        "pad",
        "counter_scope",
        "type_codes",
        "reconsideration_body",
        "court",
        "prior_review_types",
        "contact_note",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({"settings": f"不能修改：{'、'.join(sorted(unknown))}"})
    errors: dict[str, str] = {}
    if "number_pattern" in changes:
        msgs = pattern_errors(str(changes["number_pattern"]))
        if msgs:
            errors["number_pattern"] = " ".join(msgs)
    if "counter_scope" in changes and changes["counter_scope"] not in CounterScope.values:
        errors["counter_scope"] = "编号序列只能是 agency 或 kind。"
    if "pad" in changes:
        pad = changes["pad"]
        try:
            ok = not isinstance(pad, bool) and str(pad).strip().isdigit() and int(pad) <= 6
        except (TypeError, ValueError):
            ok = False
        if ok:
            changes = {**changes, "pad": int(pad)}
        else:
            errors["pad"] = "序号位数应为0至6之间的整数。"
    for name in ("reconsideration_body", "court", "contact_note", "agency_code"):
        if name in changes:
            if not isinstance(changes[name], str):
                errors[name] = "请填写文字。"
                continue
            legacy = remedy.legacy_wording(changes[name])
            if legacy:
                errors[name] = "含有已废止的表述" + "；".join(legacy)
    if "prior_review_types" in changes:
        bad = [t for t in changes["prior_review_types"] if t not in AnswerType._value2member_map_]
        if bad:
            errors["prior_review_types"] = f"未知的答复类型：{'、'.join(bad)}"
        elif msg := prior_review_error(changes["prior_review_types"]):
            errors["prior_review_types"] = msg
    if "type_codes" in changes:
        codes = changes["type_codes"]
        if not isinstance(codes, dict) or set(codes) - set(LetterKind.values):
            errors["type_codes"] = "文书类型代字须按文书种类填写。"
    if errors:
        raise ValidationError(errors)
    old = {k: getattr(obj, k) for k in changes}
    for k, v in changes.items():
        setattr(obj, k, v)
    obj.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor,
        "letters.settings_update",
        obj,
        request=request,
        agency=agency,
        changes={k: {"old": old[k], "new": changes[k]} for k in changes},
    )
    return obj


# ------------------------------------------------------------------------------ remedy


def prior_review_error(types: Iterable[str]) -> str:
    """行政复议法第二十三条第一款第（四）项: the statutory 复议前置 types (部分公开 and every
    不予公开 type) cannot be removed; the setting may only add types. Empty text = fine."""
    missing = sorted(remedy.STATUTORY_PRIOR_REVIEW - set(types))
    if not missing:
        return ""
    labels = "、".join(answer_type_info(AnswerType(t)).label for t in missing)
    return (
        "依照《中华人民共和国行政复议法》第二十三条第一款第（四）项，不予公开（含部分公开）"
        f"必须先申请行政复议，不能取消：{labels}。只能增加其他答复类型。"
    )


def remedy_clause(agency: Any, answer_type: AnswerType | str, on: date) -> str:
    """The remedy clause of a reply of this type by this agency on this date
    (行政复议法第二十条、第二十三条、第二十四条; replies-and-ledger.md §1.5)."""
    s = settings_for(agency)
    body = remedy.reconsideration_body(
        agency.kind, agency.parent.name if agency.parent_id else None, s.reconsideration_body
    )
    return remedy.clause(
        answer_type, on, body, prior_review_types=s.prior_review_types or (), court=s.court
    )


# ------------------------------------------------------------------------------ templates


def template_for(agency: Any, kind: str, variant: str = "") -> tuple[str, str]:
    """(title, body) in force: the agency's saved template, else the built-in one."""
    saved = LetterTemplate.objects.filter(agency=agency, kind=kind, variant=variant).first()
    if saved is not None:
        return saved.title, saved.body
    builtin = builtin_template(kind, variant)
    return builtin.title, builtin.body


def _check_variant(kind: str, variant: str) -> None:
    if kind not in LetterKind.values:
        raise ValidationError({"kind": "未知的文书种类。"})
    if kind == LetterKind.REPLY and variant not in AnswerType._value2member_map_:
        raise ValidationError({"variant": "答复书模板须指定答复类型。"})
    if kind == LetterKind.CONSULTATION_LETTER and variant not in ("third_party", "agency"):
        raise ValidationError({"variant": "征求意见书模板须指定 third_party 或 agency。"})
    if kind not in (LetterKind.REPLY, LetterKind.CONSULTATION_LETTER) and variant:
        raise ValidationError({"variant": "该文书种类没有适用情形。"})


def save_template(
    actor: Any, agency: Any, kind: str, variant: str, *, title: str, body: str, request: Any = None
) -> LetterTemplate:
    """管理员 saves the agency's own wording. Only ``{{字段}}`` placeholders of
    :data:`~xxgk.letters.templating.FIELDS`; legacy wording (§1.8) is refused too."""
    require_role(actor, agency, Role.ADMIN)
    _check_variant(kind, variant)
    errors = template_errors(body)
    if not title.strip():
        errors.append("标题不能为空。")
    legacy = remedy.legacy_wording(title + body)
    errors += [f"模板含有已废止的表述{w}" for w in legacy]
    if errors:
        raise ValidationError({"body": errors})
    obj, created = LetterTemplate.objects.update_or_create(
        agency=agency,
        kind=kind,
        variant=variant,
        defaults={"title": title.strip()[:60], "body": body, "updated_by": actor},
    )
    audit.record(
        actor, "letters.template_save", obj, request=request, agency=agency,
        kind=kind, variant=variant, created=created,
    )  # fmt: skip
    return obj


def reset_template(
    actor: Any, agency: Any, kind: str, variant: str, *, request: Any = None
) -> bool:
    """管理员 returns to the built-in wording. True if a saved template was removed."""
    require_role(actor, agency, Role.ADMIN)
    deleted, _ = LetterTemplate.objects.filter(agency=agency, kind=kind, variant=variant).delete()
    if deleted:
        audit.record(
            actor, "letters.template_reset", None, request=request, agency=agency,
            kind=kind, variant=variant,
        )  # fmt: skip
    return bool(deleted)


# ------------------------------------------------------------------------------ case facts


def _fill(value: Any, label: str) -> str:
    text = "" if value is None else str(value).strip()
    return text or TO_FILL.format(label)


def case_values(case: Any, consultation: Any = None) -> dict[str, str]:
    """What the templates may print, read from the case (A's fields; part-1 fields)."""
    get = lambda name, default=None: getattr(case, name, default)  # noqa: E731
    values: dict[str, str] = {
        "申请人": case.applicant.name,
        "受理编号": get("tracking_number") or case.number,
        "收到日期": chinese_date(case.received_on)
        if case.received_on
        else TO_FILL.format("收到日期"),
        "申请内容": case.description,
        "机关名称": case.agency.name,
        "提供的信息": _fill(get("provided_information"), "提供的信息或获取方式"),
        "不予公开理由": _fill(get("withheld_reasons"), "理由"),
        "负责机关": _fill(get("responsible_agency"), "负责公开的机关及联系方式"),
        "补正说明": "",
    }
    if get("correction_received_on"):
        values["补正说明"] = (
            f"{chinese_date(case.correction_received_on)}，本机关收到你补正后的申请，"
            "答复期限自该日起计算。"
        )
    dup = get("duplicate_of")
    values["原答复"] = _earlier_reply(dup) if dup is not None else TO_FILL.format("原申请受理编号")
    items = get("correction_items") or []
    values["补正事项"] = (
        "\n".join(f"{i}.{item}" for i, item in enumerate(items, 1))
        if items
        else TO_FILL.format("补正事项")
    )
    values["补正告知日期"] = _date_or_fill(get("correction_requested_on"), "补正告知日期")
    values["补正期限"] = _date_or_fill(get("correction_deadline"), "补正期限")
    values["延期天数"] = _fill(get("extension_days"), "延长的工作日数")
    values["延期理由"] = _fill(get("extension_reason"), "延期理由")
    values["原答复期限"] = _date_or_fill(get("answer_due"), "原答复期限")
    values["延期后期限"] = _date_or_fill(
        get("extended_due") if get("extension_days") else None, "延期后期限"
    )
    basis_labels = {"items": "按件计收", "pages": "按量计收"}
    values["收费方式"] = basis_labels.get(get("fee_basis") or "", TO_FILL.format("收费方式"))
    units = get("fee_units")
    unit_word = "件" if get("fee_basis") == "items" else "页"
    values["计费数量"] = f"{units}{unit_word}" if units else TO_FILL.format("计费数量")
    values["收费金额"] = _fill(get("fee_amount"), "收费金额")
    values["缴费期限"] = _date_or_fill(get("fee_payment_deadline"), "缴费期限")
    if consultation is not None:
        values["被征求意见方"] = consultation.party_name
        values["征求意见事项"] = _fill(consultation.matter, "征求意见的信息及理由")
        values["征求意见期限"] = _date_or_fill(consultation.deadline, "征求意见期限")
    else:
        values["被征求意见方"] = TO_FILL.format("被征求意见方")
        values["征求意见事项"] = TO_FILL.format("征求意见的信息及理由")
        values["征求意见期限"] = TO_FILL.format("征求意见期限")
    basis = citations.format_basis(get("legal_basis") or [])
    values["法律依据"] = basis or TO_FILL.format("法律依据")
    assert set(values) <= set(FIELDS)
    return values


def _earlier_reply(case: Any) -> str:
    """条例第三十六条第（六）项: name the earlier answer — its case number and, if it was issued
    here, its 文号 and date (replies-and-ledger.md §1.4)."""
    text = f"受理编号{case.number}"
    reply = (
        Letter.objects.filter(application=case, kind=LetterKind.REPLY, status=LetterStatus.ISSUED)
        .order_by("-dated", "-id")
        .first()
    )
    if reply is not None:
        text += f"，答复文号{reply.number}"
        if reply.dated:
            text += f"，{chinese_date(reply.dated)}"
    return text


def _date_or_fill(value: date | None, label: str) -> str:
    return chinese_date(value) if value else TO_FILL.format(label)


# ------------------------------------------------------------------------------ drafting


def draft_letter(
    case: Any,
    kind: str,
    *,
    actor: Any,
    consultation: Any = None,
    regenerate: bool = False,
    request: Any = None,
) -> Letter:
    """Draft a letter of ``kind`` for the case from the template in force.

    An existing draft of the same kind (and consultation) is returned as it is — edits are
    kept — unless ``regenerate`` rebuilds it from the case. Replies need the decision
    (``answer_type``); their articles are the case's ``legal_basis`` or, if empty, the
    articles the answer type requires (:func:`xxgk.letters.citations.required_articles`).
    """
    agency = case.agency
    require_role(actor, agency, *DRAFT_ROLES)
    kind = LetterKind(kind)
    variant = ""
    answer: AnswerType | None = None
    if kind == LetterKind.REPLY:
        if not getattr(case, "answer_type", ""):
            raise ValidationError(
                {"answer_type": "请先作出答复决定（选择答复类型），再生成答复书。"}
            )
        answer = AnswerType(case.answer_type)
        variant = answer.value
    elif kind == LetterKind.CONSULTATION_LETTER:
        if consultation is None:
            consultation = case.current_consultation
        if consultation is None:
            raise ValidationError({"consultation": "请先登记征求意见（被征求意见方、期限）。"})
        variant = consultation.kind
    elif kind == LetterKind.EXTENSION_NOTICE and not getattr(case, "extension_days", None):
        raise ValidationError({"extension_days": "本案未经批准延期，不能生成延期答复告知书。"})
    elif kind == LetterKind.CORRECTION_NOTICE and not getattr(case, "correction_items", None):
        raise ValidationError({"correction_items": "请先列明需要补正的事项。"})
    elif kind == LetterKind.FEE_NOTICE and not getattr(case, "fee_amount", None):
        raise ValidationError({"fee_amount": "本案未计算信息处理费，不能生成收费通知书。"})

    existing = (
        Letter.objects.filter(
            application=case, kind=kind, status=LetterStatus.DRAFT, consultation=consultation
        )
        .order_by("-id")
        .first()
    )
    if existing is not None and not regenerate:
        return existing

    title, template = template_for(agency, kind, variant)
    values = case_values(case, consultation)
    articles: list[str] = []
    if answer is not None:
        articles = _reply_articles(case, answer)
        values["法律依据"] = citations.format_basis(articles) or TO_FILL.format("法律依据")
    body = render_text(template, values)
    facts = facts_digest(values)
    s = settings_for(agency)
    today = timezone.localdate()
    fields = {
        "variant": variant,
        "title": title,
        "addressee": consultation.party_name if consultation is not None else case.applicant.name,
        "body": body,
        "articles": articles,
        "remedy": remedy_clause(agency, answer, today) if answer is not None else "",
        "closing": "特此告知。" if kind != LetterKind.CONSULTATION_LETTER else "特此函告。",
        "signer": agency.name,
        "note": s.contact_note,
        "facts_sha256": facts,
    }
    with transaction.atomic():
        if existing is not None:
            for k, v in fields.items():
                setattr(existing, k, v)
            existing.save(update_fields=[*fields, "updated_at"])
            letter = existing
        else:
            letter = Letter.objects.create(
                agency=agency,
                application=case,
                consultation=consultation,
                kind=kind,
                created_by=actor,
                **fields,
            )
        audit.record(
            actor, "letters.draft", letter, request=request, agency=agency,
            kind=kind.value, variant=variant, regenerated=existing is not None,
        )  # fmt: skip
    return letter


def facts_digest(values: dict[str, str]) -> str:
    """A fingerprint of the case facts a letter was drafted from."""
    text = "\n".join(f"{k}={values[k]}" for k in sorted(values))
    return hashlib.sha256(text.encode()).hexdigest()


def letter_notes(letter: Letter) -> list[str]:
    """Non-blocking remarks: the case's facts changed since the draft was made (the letter
    may need regenerating or editing)."""
    if letter.status != LetterStatus.DRAFT or not letter.facts_sha256:
        return []
    case = letter.application
    values = case_values(case, letter.consultation)
    if letter.kind == LetterKind.REPLY and getattr(case, "answer_type", ""):
        articles = _reply_articles(case, AnswerType(case.answer_type))
        values["法律依据"] = citations.format_basis(articles) or TO_FILL.format("法律依据")
    if facts_digest(values) != letter.facts_sha256:
        return ["生成草稿后案件信息已有变更，请核对文书内容，必要时重新生成。"]
    return []


def _reply_articles(case: Any, answer: AnswerType) -> list[str]:
    """The case's legal basis (normalised), or the articles the answer type requires."""
    return [str(a) for a in _articles(case.legal_basis or [])] or [
        str(a) for a in citations.required_articles(answer)
    ]


def _articles(texts: Iterable[str]) -> list[Any]:
    out: list[Any] = []
    for t in texts:
        try:
            out.append(citations.parse_article(t))
        except citations.ArticleParseError:
            out.append(t)
    return out


def update_letter(letter: Letter, *, actor: Any, request: Any = None, **changes: Any) -> Letter:
    """Edit a draft (承办人, 审核人, 负责人) before sign-off; an issued letter is refused."""
    require_role(actor, letter.agency, *EDIT_ROLES)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError({"letter": "文书已签发编号，不能修改；如需更正，请作废后重新制作。"})
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({"letter": f"不能修改：{'、'.join(sorted(unknown))}"})
    if "articles" in changes and (
        not isinstance(changes["articles"], list)
        or not all(isinstance(a, str) for a in changes["articles"])
    ):
        raise ValidationError({"articles": "法律依据须为条款列表。"})
    for name in ("title", "addressee", "body", "signer"):
        if name in changes and not str(changes[name]).strip():
            raise ValidationError({name: "不能为空。"})
    if "articles" in changes and "body" not in changes and letter.kind == LetterKind.REPLY:
        # keep the printed citation in step with the list the check reads
        old_basis = citations.format_basis(letter.articles or [])
        new_basis = citations.format_basis(changes["articles"])
        if old_basis and new_basis and old_basis in letter.body:
            changes["body"] = letter.body.replace(old_basis, new_basis)
    for k, v in changes.items():
        setattr(letter, k, v)
    with transaction.atomic():
        letter.save(update_fields=[*changes, "updated_at"])
        audit.record(
            actor, "letters.update", letter, request=request, agency=letter.agency,
            fields=sorted(changes),
        )  # fmt: skip
    return letter


def letter_warnings(letter: Letter, on: date | None = None) -> list[str]:
    """What is wrong with a letter (Chinese): articles that do not fit the answer type,
    legacy wording (§1.8), text still to fill in, a reconsideration body never named, an
    extension notice issued after the original answer due date (条例第三十三条第二款: the
    applicant is told of the extension within the original period). ``on`` is the day it
    would be issued (default: its 成文日期, else today)."""
    warnings: list[str] = []
    if letter.kind == LetterKind.EXTENSION_NOTICE:
        day = on or letter.dated or timezone.localdate()
        due = getattr(letter.application, "answer_due", None)
        if due is not None and day > due:
            warnings.append(
                f"延期答复告知书应在原答复期限（{chinese_date(due)}）届满前发出"
                f"（条例第三十三条第二款），按{chinese_date(day)}签发已逾期。"
            )
    if letter.kind == LetterKind.REPLY and letter.variant:
        warnings += citations.check_citations(letter.variant, letter.articles or [])
        if not letter.remedy:
            warnings.append("答复书缺少救济途径（行政复议、行政诉讼的权利、机关和期限）。")
        basis = citations.format_basis(letter.articles or [])
        if basis and basis not in "".join(letter.body.split()):
            warnings.append(f"正文未按所列条款引用法律依据（应为：{basis}）。")
    text = "\n".join([letter.title, letter.addressee, letter.body, letter.remedy, letter.closing])
    warnings += [f"含有已废止的表述{w}" for w in remedy.legacy_wording(text)]
    for label in dict.fromkeys(_TO_FILL_RE.findall(text)):
        warnings.append(f"尚有内容待填写：{label}。")
    return warnings


# ------------------------------------------------------------------------------ numbering


def format_number(pattern: str, *, code: str, type_code: str, year: int, n: int, pad: int) -> str:
    """Fill a 文号 pattern: ``{code}{type}〔{yyyy}〕{n}号`` → ``测政依复〔2026〕7号``."""
    values = {"code": code, "type": type_code, "yyyy": str(year), "n": str(n).zfill(pad or 1)}
    return _TOKENS.sub(lambda m: values[m.group(1)], pattern)


def _allocate(letter: Letter, year: int) -> tuple[str, str, int]:
    """Inside the caller's transaction: the next number of the series, counter row locked."""
    s = settings_for(letter.agency)
    scope = letter.kind if s.counter_scope == CounterScope.KIND else "all"
    counter, _ = NumberCounter.objects.select_for_update().get_or_create(
        agency=letter.agency, scope=scope, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    codes = {**_default_codes(), **(s.type_codes or {})}
    number = format_number(
        s.number_pattern,
        code=s.agency_code,
        type_code=codes.get(letter.kind, ""),
        year=year,
        n=counter.last,
        pad=s.pad,
    )
    return scope, number, counter.last


def advance_counter(
    actor: Any, agency: Any, *, kind: str, year: int, last: int, request: Any = None
) -> NumberCounter:
    """管理员 moves a series forward to ``last`` (the highest number already used, e.g. by
    letters issued before the agency used xxgk). A counter never moves back: numbers once
    used are never reused."""
    require_role(actor, agency, Role.ADMIN)
    s = settings_for(agency)
    if s.counter_scope == CounterScope.KIND and kind not in LetterKind.values:
        raise ValidationError({"kind": "未知的文书种类。"})
    if not 2000 <= year <= 2100 or last < 0:
        raise ValidationError({"last": "年份或序号无效。"})
    scope = kind if s.counter_scope == CounterScope.KIND else "all"
    with transaction.atomic():
        counter, _ = NumberCounter.objects.select_for_update().get_or_create(
            agency=agency, scope=scope, year=year
        )
        if last < counter.last:
            raise ValidationError(
                {"last": f"{year}年该序列已用到{counter.last}号，序号只能前进，不能回退。"}
            )
        old = counter.last
        counter.last = last
        counter.save(update_fields=["last"])
        audit.record(
            actor, "letters.counter_advance", None, request=request, agency=agency,
            scope=scope, year=year, old=old, new=last,
        )  # fmt: skip
    return counter


def _default_codes() -> dict[str, str]:
    from xxgk.letters.models import DEFAULT_TYPE_CODES

    return dict(DEFAULT_TYPE_CODES)


def _doc(letter: Letter, number: str, dated: date | None) -> LetterDoc:
    return LetterDoc(
        title=letter.title,
        number=number,
        addressee=letter.addressee,
        paragraphs=[p.strip() for p in re.split(r"\n\s*\n", letter.body) if p.strip()],
        remedy=letter.remedy,
        closing=letter.closing,
        signer=letter.signer,
        dated=dated,
        note=letter.note,
        attachments=list(letter.attachments or []),
    )


def issue_number(
    letter: Letter, *, actor: Any, on: date | None = None, request: Any = None
) -> Letter:
    """Sign-off: allocate the 文号 (atomic, yearly counter, never reused), fix the 成文日期,
    render DOCX and PDF once and keep them. After this the letter cannot change.

    The remedy clause of a reply is recomputed for the 成文日期 (复议前置 since 2024-01-01).
    Blocking (replies-and-ledger.md §1.4 rule (e)): articles that do not fit the answer type,
    legacy wording, text still to fill in.
    """
    allowed = ISSUE_ROLES.get(LetterKind(letter.kind), NOTICE_ISSUE_ROLES)
    require_role(actor, letter.agency, *allowed)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.status != LetterStatus.DRAFT:
            raise ValidationError({"letter": f"文书已编号（{locked.number}），不能重复编号。"})
        if locked.kind == LetterKind.REPLY and locked.variant:
            locked.remedy = remedy_clause(locked.agency, locked.variant, on)
        problems = letter_warnings(locked, on)
        if problems:
            raise ValidationError({"letter": problems})
        scope, number, seq = _allocate(locked, on.year)
        doc = _doc(locked, number, on)
        docx_bytes, pdf_bytes = _docx(doc), _pdf(doc)
        locked.number = number
        locked.dated = on
        locked.status = LetterStatus.ISSUED
        locked.issued_at = timezone.now()
        locked.issued_by = actor
        locked.docx, locked.pdf = docx_bytes, pdf_bytes
        locked.docx_sha256 = hashlib.sha256(docx_bytes).hexdigest()
        locked.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        Letter.objects.filter(pk=locked.pk).update(
            remedy=locked.remedy,
            number=number,
            dated=on,
            status=LetterStatus.ISSUED,
            issued_at=locked.issued_at,
            issued_by=actor,
            docx=docx_bytes,
            pdf=pdf_bytes,
            docx_sha256=locked.docx_sha256,
            pdf_sha256=locked.pdf_sha256,
            updated_at=timezone.now(),
        )
        IssuedNumber.objects.create(
            agency=locked.agency,
            scope=scope,
            year=on.year,
            sequence=seq,
            number=number,
            letter=locked,
        )
        audit.record(
            actor, "letters.issue", locked, request=request, agency=locked.agency,
            kind=locked.kind, number=number, docx_sha256=locked.docx_sha256,
            pdf_sha256=locked.pdf_sha256,
        )  # fmt: skip
    letter.refresh_from_db()
    return letter


#: The procedural notices issued from the letter page (replies are issued at the 负责人's
#: sign-off in the applications workflow).
NOTICE_KINDS = frozenset(
    {
        LetterKind.CORRECTION_NOTICE,
        LetterKind.EXTENSION_NOTICE,
        LetterKind.CONSULTATION_LETTER,
        LetterKind.FEE_NOTICE,
    }
)


def can_issue_notice(user: Any, letter: Letter) -> bool:
    """Whether ``user`` may issue this draft notice (the roles of :func:`issue_number`)."""
    if letter.status != LetterStatus.DRAFT or letter.kind not in NOTICE_KINDS:
        return False
    allowed = ISSUE_ROLES.get(LetterKind(letter.kind), NOTICE_ISSUE_ROLES)
    return has_role(user, letter.agency, *allowed)


def issue_notice(
    letter: Letter, *, actor: Any, on: date | None = None, request: Any = None
) -> Letter:
    """签发 a notice (补正告知书、延期答复告知书、征求意见书、收费通知书): :func:`issue_number`
    with the 成文日期 ``on`` (default today) — 文号, files frozen, audit ``letters.issue``.

    Roles as :func:`issue_number` (延期: 负责人, 条例第三十三条第二款; others: 登记员、承办人、
    负责人). Replies are refused here: they are issued at the 负责人's sign-off. The date may
    not be in the future nor before the application was received."""
    if letter.kind not in NOTICE_KINDS:
        raise ValidationError({"letter": "答复书在负责人签批时签发，不能在此签发。"})
    allowed = ISSUE_ROLES.get(LetterKind(letter.kind), NOTICE_ISSUE_ROLES)
    require_role(actor, letter.agency, *allowed)
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"dated": "成文日期不能晚于今天。"})
    received = getattr(letter.application, "received_on", None)
    if received is not None and on < received:
        raise ValidationError({"dated": "成文日期不能早于收到申请之日。"})
    return issue_number(letter, actor=actor, on=on, request=request)


def void_letter(letter: Letter, *, actor: Any, reason: str, request: Any = None) -> Letter:
    """负责人 voids an issued letter: its number stays recorded as voided, never reused."""
    require_role(actor, letter.agency, Role.LEADER)
    if not reason.strip():
        raise ValidationError({"reason": "请说明作废理由。"})
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.status != LetterStatus.ISSUED:
            raise ValidationError({"letter": "只有已编号的文书可以作废。"})
        Letter.objects.filter(pk=locked.pk).update(
            status=LetterStatus.VOID, void_reason=reason.strip(), updated_at=timezone.now()
        )
        IssuedNumber.objects.filter(letter=locked).update(voided=True, void_reason=reason.strip())
        audit.record(
            actor,
            "letters.void",
            locked,
            request=request,
            agency=locked.agency,
            number=locked.number,
        )
    letter.refresh_from_db()
    return letter


# ------------------------------------------------------------------------------ files


def render_docx(letter: Letter) -> bytes:
    """The DOCX: the kept file of an issued letter, else a preview of the draft."""
    if letter.status != LetterStatus.DRAFT and letter.docx:
        return bytes(letter.docx)
    return _docx(_doc(letter, letter.number or "（文号签发时生成）", letter.dated))


def render_pdf(letter: Letter) -> bytes:
    """The PDF: the kept file of an issued letter, else a preview of the draft."""
    if letter.status != LetterStatus.DRAFT and letter.pdf:
        return bytes(letter.pdf)
    return _pdf(_doc(letter, letter.number or "（文号签发时生成）", letter.dated))


def check_citations(answer_type: AnswerType | str, articles: Iterable[str]) -> list[str]:
    """See :func:`xxgk.letters.citations.check_citations`."""
    return citations.check_citations(answer_type, articles)


__all__ = [
    "PermissionDenied",
    "advance_counter",
    "can_issue_notice",
    "case_values",
    "check_citations",
    "draft_letter",
    "issue_notice",
    "issue_number",
    "letter_notes",
    "letter_warnings",
    "prior_review_error",
    "remedy_clause",
    "render_docx",
    "render_pdf",
    "reset_template",
    "save_template",
    "settings_for",
    "update_letter",
    "update_settings",
    "void_letter",
]
