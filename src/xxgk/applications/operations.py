"""Named operations on applications: the only code that changes their state.

Views, the API, jobs and commands all call these. Each checks permission (after the caller
reached the object through :mod:`xxgk.agencies.scoping`), writes in one transaction and
records the audit log. Audit details never carry personal data.

Roles (docs/applications.md): registering and confirming — 登记员 or 承办人; assigning —
负责人 or 登记员, and the current 承办人 may transfer their own case; reading personal data —
any staff role **at the handling agency** (a supervisor at a parent agency reads cases but
never personal data).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from xxgk import audit
from xxgk.accounts.roles import STAFF_ROLES, Role
from xxgk.agencies.models import Agency
from xxgk.agencies.scoping import has_role, require_role
from xxgk.applications import clock
from xxgk.applications.models import (
    AGENCY_CHANNEL,
    CONFIRMED_CHANNELS,
    SNAPSHOT_FIELDS,
    Applicant,
    ApplicantKind,
    Application,
    Attachment,
    AttachmentKind,
    ChannelChoice,
    IdType,
    Status,
    SubmissionAttempt,
    applicant_details,
)
from xxgk.applications.validation import (
    FILE_TYPES,
    MAX_ATTACHMENTS,
    attachment_error,
    credit_code_error,
    normalise_id,
    phone_error,
    resident_id_error,
    sniff_type,
)

REGISTER_ROLES = (Role.REGISTRAR, Role.HANDLER)
ASSIGN_ROLES = (Role.LEADER, Role.REGISTRAR)

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


# --- keys and codes ----------------------------------------------------------------------


def _key(purpose: str) -> bytes:
    return hashlib.sha256(f"xxgk.applications.{purpose}:{settings.SECRET_KEY}".encode()).digest()


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under a key derived from the secret key and ``purpose``."""
    return hmac.new(_key(purpose), value.encode(), hashlib.sha256).hexdigest()


def applicant_key(kind: str, id_type: str, id_number: str) -> str:
    """The keyed hash that recognises a repeat applicant (empty when there is no number)."""
    number = normalise_id(id_number)
    if not number:
        return ""
    return keyed_hash("applicant", f"{id_type}:{number}")


def new_submission_token() -> str:
    """The one-time token a public form carries (makes a double submit idempotent)."""
    return secrets.token_urlsafe(32)


def query_code_for(token: str) -> str:
    """The query code of an online submission, derived from its form token.

    Derived (not random) so a repeated POST of the same form shows the same code again,
    while only its hash is stored. 10 characters of a 31-letter alphabet (≈ 50 bits).
    """
    digest = hmac.new(_key("query-code"), token.encode(), hashlib.sha256).digest()
    return "".join(_CODE_ALPHABET[b % len(_CODE_ALPHABET)] for b in digest[:10])


def query_code_hash(code: str) -> str:
    return keyed_hash("query-code-hash", code.strip().upper())


def _new_number(day: date) -> str:
    tail = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
    return f"GK{day:%Y%m%d}{tail}"


# --- the Art. 29 content check -----------------------------------------------------------


def content_check(application: Application, applicant: Applicant) -> list[str]:
    """条例第二十九条第二款：the items an application must contain; returns those missing.

    A non-empty result suggests a 补正 notice (条例第三十条, within 7 working days of receipt).
    """
    missing = []
    if not applicant.name.strip():
        missing.append("申请人的姓名或者名称")
    if not applicant.id_number.strip():
        missing.append("申请人的身份证明")
    if not (applicant.phone or applicant.email or applicant.address).strip():
        missing.append("申请人的联系方式")
    if len(application.description.strip()) < 4:
        missing.append("申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述")
    if not (application.medium or application.delivery):
        missing.append("申请公开的政府信息的形式要求（获取信息的方式、途径）")
    return missing


# --- applicant data ----------------------------------------------------------------------


@dataclass
class ApplicantData:
    """What an application says about its applicant (条例第二十九条第二款第（一）项)."""

    kind: str
    name: str
    id_type: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    legal_representative: str = ""
    contact_name: str = ""


def validate_applicant(data: ApplicantData, *, strict: bool) -> dict[str, str]:
    """Field → Chinese message. ``strict`` (the public form) requires every contact item;
    staff may register an incomplete application (the content check then suggests 补正)."""
    errors: dict[str, str] = {}
    if data.kind not in ApplicantKind.values:
        errors["kind"] = "请选择申请人类型。"
        return errors
    organisation = data.kind != ApplicantKind.NATURAL_PERSON
    if strict and not data.name.strip():
        errors["name"] = "请填写申请人名称。" if organisation else "请填写申请人姓名。"
    if data.id_type not in IdType.values:
        errors["id_type"] = "请选择证件类型。"
    elif organisation and data.id_type != IdType.CREDIT_CODE:
        errors["id_type"] = "法人或者其他组织请填写统一社会信用代码。"
    elif not organisation and data.id_type == IdType.CREDIT_CODE:
        errors["id_type"] = "自然人请选择身份证件。"
    if data.id_number.strip() or strict:
        if data.id_type == IdType.RESIDENT_ID:
            message = resident_id_error(data.id_number)
        elif data.id_type == IdType.CREDIT_CODE:
            message = credit_code_error(data.id_number)
        elif not data.id_number.strip():
            message = "请填写证件号码。"
        else:
            message = None if len(data.id_number.strip()) <= 40 else "证件号码过长。"
        if message:
            errors["id_number"] = message
    if organisation and strict:
        if not data.legal_representative.strip():
            errors["legal_representative"] = "请填写法定代表人或者负责人。"
        if not data.contact_name.strip():
            errors["contact_name"] = "请填写联系人。"
    if data.phone.strip() or strict:
        message = phone_error(data.phone)
        if message:
            errors["phone"] = message
    if data.email.strip():
        from django.core.validators import validate_email

        try:
            validate_email(data.email.strip())
        except ValidationError:
            errors["email"] = "电子邮箱格式不正确。"
    if strict and not data.address.strip():
        errors["address"] = "请填写通信地址。"
    if data.postcode.strip() and not re.fullmatch(r"\d{6}", data.postcode.strip()):
        errors["postcode"] = "邮政编码应为6位数字。"
    return errors


def _applicant_for(agency: Agency, data: ApplicantData) -> tuple[Applicant, bool]:
    """The register entry for this applicant: an existing one with the same ID (keyed hash),
    or a new one. Returns (applicant, repeat).

    An existing entry is **never changed** here: anyone can type a known ID number into the
    public form, so the details given on an application live on that case
    (``Application.applicant_snapshot``); staff copy them into the register explicitly with
    :func:`update_register` (audit-logged)."""
    number = normalise_id(data.id_number)
    key = applicant_key(data.kind, data.id_type, number)
    fields = _given_details(data)
    fields.update(id_type=data.id_type, id_number=number)
    if key:
        existing = Applicant.objects.filter(agency=agency, id_key=key).first()
        if existing is not None:
            return existing, True
    try:
        with transaction.atomic():
            return Applicant.objects.create(agency=agency, id_key=key, **fields), False
    except IntegrityError:  # the same applicant registered at this very moment elsewhere
        return Applicant.objects.get(agency=agency, id_key=key), True


def _given_details(data: ApplicantData) -> dict[str, str]:
    return {
        "kind": data.kind,
        "name": data.name.strip(),
        "phone": data.phone.strip(),
        "email": data.email.strip(),
        "address": data.address.strip(),
        "postcode": data.postcode.strip(),
        "legal_representative": data.legal_representative.strip(),
        "contact_name": data.contact_name.strip(),
    }


def _snapshot(entry: Applicant, data: ApplicantData) -> dict[str, str]:
    """The case's applicant details: as given on the application; a blank item is completed
    from the register entry as it stands at filing."""
    given = _given_details(data)
    known = applicant_details(entry)
    return {f: given.get(f) or known[f] for f in SNAPSHOT_FIELDS}


def update_register(
    user: Any, application: Application, *, request: Any = None, via: str = "workspace"
) -> list[str]:
    """Copy the applicant details given on this case into the register entry (staff of the
    handling agency, explicitly). Audit-logged as ``applicant.update_register`` with the names
    of the changed fields (never the values). Returns the changed field names."""
    require_role(user, application.agency, *REGISTER_ROLES)
    with transaction.atomic():
        entry = Applicant.objects.select_for_update().get(pk=application.applicant_id)
        snapshot = application.applicant_snapshot or {}
        changed = [
            f for f in SNAPSHOT_FIELDS if snapshot.get(f) and getattr(entry, f) != snapshot[f]
        ]
        for f in changed:
            setattr(entry, f, snapshot[f])
        if changed:
            entry.save(update_fields=[*changed, "updated_at"])
            audit.record(
                user,
                "applicant.update_register",
                entry,
                request=request,
                fields=changed,
                application_id=application.pk,
                via=via,
            )
    return changed


# --- files -------------------------------------------------------------------------------


@dataclass
class Upload:
    """A file to attach: a name, a binary stream and what it is."""

    name: str
    stream: IO[bytes]
    size: int
    kind: str = AttachmentKind.OTHER


def check_uploads(uploads: Sequence[Upload]) -> list[str]:
    """Chinese messages for files that may not be stored (count, size, type by content)."""
    errors = []
    if len(uploads) > MAX_ATTACHMENTS:
        errors.append(f"最多上传{MAX_ATTACHMENTS}个附件。")
    for up in uploads:
        up.stream.seek(0)
        head = up.stream.read(16)
        up.stream.seek(0)
        message = attachment_error(up.name, up.size, head)
        if message:
            errors.append(message)
        if up.kind not in AttachmentKind.values:
            errors.append(f"附件“{up.name}”的材料类型不正确。")
    return errors


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _write_file(agency: Agency, up: Upload) -> tuple[str, str, int, str]:
    """Write one upload completely (temp file, fsync, rename) and return
    (relative path, sha256, size, file type). A row never points at a partial file."""
    up.stream.seek(0)
    head = up.stream.read(16)
    up.stream.seek(0)
    ftype = sniff_type(head) or "bin"
    now = timezone.localdate()
    rel = f"applications/{agency.pk}/{now:%Y/%m}/{uuid.uuid4().hex}.{ftype}"
    final = _media_root() / rel
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_suffix(".part")
    digest = hashlib.sha256()
    size = 0
    with open(tmp, "wb") as out:
        while chunk := up.stream.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, final)
    _fsync_dir(final.parent)  # the rename itself survives a power cut before the commit
    return rel, digest.hexdigest(), size, ftype


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _store_files(
    application: Application, uploads: Sequence[Upload], user: Any, written: list[Path]
) -> list[Attachment]:
    rows = []
    for up in uploads:
        rel, sha, size, ftype = _write_file(application.agency, up)
        written.append(_media_root() / rel)
        rows.append(
            Attachment(
                agency=application.agency,
                application=application,
                kind=up.kind,
                file=rel,
                original_name=Path(up.name).name[:200] or "附件",
                content_type=FILE_TYPES.get(ftype, ("application/octet-stream", ""))[0],
                size=size,
                sha256=sha,
                uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            )
        )
    Attachment.objects.bulk_create(rows)
    return rows


def _remove(paths: Iterable[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


# --- registration ------------------------------------------------------------------------


def _check_channel(agency: Agency, channel: str) -> None:
    if channel not in ChannelChoice.values:
        raise ValidationError({"channel": "未知的申请渠道。"})
    if AGENCY_CHANNEL[ChannelChoice(channel)] not in agency.accepted_channels():
        raise ValidationError(
            {"channel": "本机关未公布接收该渠道的申请（可在机关信息中设置申请接收渠道）。"}
        )


def _check_date(name: str, value: date | None, today: date, label: str) -> None:
    if value is not None and value > today:
        raise ValidationError({name: f"{label}不能晚于今天。"})


def _check_year_open(agency: Agency, day: date | None) -> None:
    """A receipt dated in a year whose report is published (locked) would change its tables."""
    from xxgk.applications.models import LockedYear

    if day is not None and LockedYear.objects.filter(agency=agency, year=day.year).exists():
        raise ValidationError(
            {
                "submitted_on": f"{day.year}年度已锁定（年度报告已公布），不能再登记该年度收到的申请。"
            }
        )


def _create(
    agency: Agency,
    application: Application,
    applicant_data: ApplicantData,
    uploads: Sequence[Upload],
    user: Any,
) -> tuple[Application, bool, list[Path]]:
    """Inside a transaction: the applicant, the case (with a unique number), the files."""
    applicant, repeat = _applicant_for(agency, applicant_data)
    application.agency = agency
    application.applicant = applicant
    application.applicant_snapshot = _snapshot(applicant, applicant_data)
    application.missing_items = content_check(application, application.applicant)
    application.received_on = (
        clock.receipt_for(application) if application.status == Status.OPEN else None
    )
    _check_year_open(agency, application.received_on)
    clock.apply_clock(application)
    day = timezone.localdate()
    for _ in range(10):
        application.number = _new_number(day)
        try:
            with transaction.atomic():
                application.save(force_insert=True)
            break
        except IntegrityError:
            if (
                application.submission_token
                and Application.objects.filter(
                    submission_token=application.submission_token
                ).exists()
            ):
                raise
            application.pk = None
            continue
    else:  # pragma: no cover - 31**6 numbers a day
        raise RuntimeError("could not allocate an application number")
    written: list[Path] = []
    try:
        _store_files(application, uploads, user, written)
    except BaseException:
        _remove(written)
        raise
    return application, repeat, written


def register_application(
    user: Any,
    agency: Agency,
    *,
    channel: str,
    applicant: ApplicantData,
    description: str,
    purpose: str = "",
    medium: str = "",
    delivery: str = "",
    submitted_on: date | None = None,
    arrived_on: date | None = None,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
    confirmation_method: str = "",
    oral_record: str = "",
    uploads: Sequence[Upload] = (),
    handler: Any = None,
    request: Any = None,
) -> Application:
    """Staff registration of an application from any channel (条例第二十九条、第三十一条).

    * 当面提交 / 口头提出: received on the day submitted (default today); an oral application
      needs the staff's written record (条例第二十九条).
    * 邮寄需签收: received on the signing date (``signed_on``, required).
    * 平常信函, 传真, 电子邮件, 网上申请: received on the confirmation date; without
      ``confirmed_on`` the case waits for :func:`confirm_receipt`.

    The content check (条例第二十九条) is stored in ``missing_items``; items missing suggest a
    补正 notice. Raises ValidationError (Chinese messages) on bad input; nothing is stored then.
    """
    require_role(user, agency, *REGISTER_ROLES)
    _check_channel(agency, channel)
    errors = validate_applicant(applicant, strict=False)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    for name, value, label in (
        ("submitted_on", submitted_on, "提交日期"),
        ("arrived_on", arrived_on, "收到日期"),
        ("signed_on", signed_on, "签收日期"),
        ("confirmed_on", confirmed_on, "确认日期"),
    ):
        _check_date(name, value, today, label)
    if not description.strip() and not oral_record.strip():
        raise ValidationError({"description": "请填写所需政府信息的描述。"})
    ch = ChannelChoice(channel)
    if ch == ChannelChoice.ORAL and not oral_record.strip():
        raise ValidationError(
            {"oral_record": "口头提出的申请，须由工作人员代为填写申请内容（条例第二十九条）。"}
        )
    if ch == ChannelChoice.POST_SIGNED and signed_on is None:
        raise ValidationError({"signed_on": "需签收的邮件，请填写签收日期（条例第三十一条）。"})
    if ch in CONFIRMED_CHANNELS and confirmed_on is not None:
        start = arrived_on or submitted_on
        if start is not None and confirmed_on < start:
            raise ValidationError({"confirmed_on": "确认日期不能早于收到日期。"})
    if handler is not None and not has_role(handler, agency, Role.HANDLER):
        raise ValidationError({"handler": "承办人须为本机关的承办人。"})
    upload_errors = check_uploads(uploads)
    if upload_errors:
        raise ValidationError({"attachments": upload_errors})

    if submitted_on is None:
        # A letter registered days after it arrived was not "submitted" on the registration
        # day: without a stated date, the earliest known arrival date stands for it, so that
        # 申请日期 never falls after 收到申请之日 (the ledger refuses such rows).
        known = [d for d in (arrived_on, signed_on, confirmed_on) if d is not None]
        submitted_on = min(known) if known else None
    tz = timezone.get_current_timezone()
    when = (
        datetime.combine(submitted_on, datetime.min.time(), tzinfo=tz).replace(hour=9)
        if submitted_on is not None and submitted_on != today
        else timezone.now()
    )
    if ch == ChannelChoice.POST_ORDINARY and arrived_on is None and confirmed_on is not None:
        arrived_on = confirmed_on
    pending = ch in CONFIRMED_CHANNELS and confirmed_on is None
    app = Application(
        channel=ch,
        status=Status.PENDING if pending else Status.OPEN,
        description=description.strip() or oral_record.strip(),
        purpose=purpose.strip(),
        medium=medium,
        delivery=delivery,
        oral_record=oral_record.strip(),
        submitted_at=when,
        arrived_on=arrived_on,
        signed_on=signed_on,
        confirmed_on=confirmed_on,
        confirmation_method=confirmation_method.strip()[:40],
        confirmed_by=user if confirmed_on is not None else None,
        registered_by=user,
        handler=handler,
    )
    written: list[Path] = []
    try:
        with transaction.atomic():
            app, repeat, written = _create(agency, app, applicant, uploads, user)
            audit.record(
                user,
                "application.register",
                app,
                request=request,
                channel=ch.value,
                status=app.status,
                received_on=app.received_on.isoformat() if app.received_on else None,
                repeat_applicant=repeat,
                missing_items=len(app.missing_items),
                attachments=len(uploads),
            )
    except BaseException:
        _remove(written)
        raise
    return app


@dataclass
class Submission:
    application: Application
    query_code: str
    created: bool


def _stored_for_token(token: str) -> Application | None:
    return Application.objects.filter(submission_token=token).first()


def submit_online(
    agency: Agency,
    *,
    token: str,
    applicant: ApplicantData,
    description: str,
    purpose: str = "",
    medium: str = "",
    delivery: str = "",
    uploads: Sequence[Upload] = (),
    request: Any = None,
) -> Submission:
    """网上申请 from the public form (条例第二十九条、第三十一条第（三）项).

    The case waits for staff confirmation (``pending``): its receipt date is the day both
    sides confirm. Idempotent on ``token``: the same form submitted again returns the first
    case and the same query code (``created=False``), nothing is stored twice. All or
    nothing: the applicant, the case and every file are committed together or not at all.
    """
    if not _TOKEN_RE.fullmatch(token or ""):
        raise ValidationError({"token": "表单已失效，请刷新页面后重新填写。"})
    code = query_code_for(token)
    existing = _stored_for_token(token)
    if existing is not None:
        if existing.agency_id != agency.pk:
            raise ValidationError({"token": "表单已失效，请刷新页面后重新填写。"})
        return Submission(existing, code, False)
    if "online" not in agency.accepted_channels():
        raise ValidationError({"channel": "本机关暂未开通网上申请。"})
    errors = validate_applicant(applicant, strict=True)
    if len(description.strip()) < 4:
        errors["description"] = "请描述所需政府信息的名称、文号或者其他特征（至少4个字）。"
    if len(description) > 5000:
        errors["description"] = "描述不超过5000字。"
    if not medium:
        errors["medium"] = "请选择信息的提供形式。"
    if not delivery:
        errors["delivery"] = "请选择获取信息的方式。"
    upload_errors = check_uploads(uploads)
    if upload_errors:
        errors["attachments"] = "；".join(upload_errors)
    if errors:
        raise ValidationError(errors)
    app = Application(
        channel=ChannelChoice.ONLINE,
        status=Status.PENDING,
        description=description.strip(),
        purpose=purpose.strip(),
        medium=medium,
        delivery=delivery,
        submitted_at=timezone.now(),
        arrived_on=timezone.localdate(),
        submission_token=token,
        query_code_hash=query_code_hash(code),
    )
    written: list[Path] = []
    try:
        with transaction.atomic():
            app, repeat, written = _create(agency, app, applicant, uploads, None)
            audit.record(
                None,
                "application.submit_online",
                app,
                request=request,
                actor_label="公众（网上申请）",
                repeat_applicant=repeat,
                attachments=len(uploads),
            )
    except IntegrityError:
        _remove(written)
        again = Application.objects.filter(submission_token=token, agency=agency).first()
        if again is None:
            raise
        return Submission(again, code, False)
    except BaseException:
        _remove(written)
        raise
    return Submission(app, code, True)


def confirm_receipt(
    user: Any,
    application: Application,
    *,
    confirmed_on: date,
    method: str,
    note: str = "",
    request: Any = None,
) -> Application:
    """条例第三十一条第（二）项后段、第（三）项：record the confirmation with the applicant; its
    date becomes the receipt date and starts the clock."""
    require_role(user, application.agency, *REGISTER_ROLES)
    if application.status != Status.PENDING or not application.needs_confirmation:
        raise ValidationError("该申请无需确认或已确认。")
    today = timezone.localdate()
    if confirmed_on > today:
        raise ValidationError({"confirmed_on": "确认日期不能晚于今天。"})
    submitted = timezone.localtime(application.submitted_at).date()
    if confirmed_on < (application.arrived_on or submitted):
        raise ValidationError({"confirmed_on": "确认日期不能早于收到申请材料的日期。"})
    if not method.strip():
        raise ValidationError({"method": "请填写确认方式（如电话、电子邮件、短信）。"})
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        if app.status != Status.PENDING:
            raise ValidationError("该申请已确认。")
        app.confirmed_on = confirmed_on
        app.confirmation_method = method.strip()[:40]
        app.confirmation_note = note.strip()[:200]
        app.confirmed_by = user
        if app.channel == ChannelChoice.POST_ORDINARY and app.arrived_on is None:
            app.arrived_on = confirmed_on
        app.status = Status.OPEN
        app.received_on = clock.receipt_for(app)
        _check_year_open(app.agency, app.received_on)
        clock.apply_clock(app)
        app.save(
            update_fields=[
                "confirmed_on",
                "confirmation_method",
                "confirmation_note",
                "confirmed_by",
                "arrived_on",
                "status",
                "received_on",
                *clock.CLOCK_FIELDS,
                "updated_at",
            ]
        )
        audit.record(
            user,
            "application.confirm_receipt",
            app,
            request=request,
            confirmed_on=confirmed_on.isoformat(),
            method=app.confirmation_method,
            answer_due=app.answer_due.isoformat() if app.answer_due else None,
        )
    return app


def assign_handler(
    user: Any, application: Application, handler: Any, *, note: str = "", request: Any = None
) -> Application:
    """Assign the case to a 承办人 of the agency, or transfer it to another (条例第四十五条：
    登记、审核、办理 … 工作制度). 负责人 or 登记员 may assign; the current 承办人 may transfer."""
    agency = application.agency
    is_current = application.handler_id is not None and application.handler_id == user.pk
    if not (
        has_role(user, agency, *ASSIGN_ROLES)
        or (is_current and has_role(user, agency, Role.HANDLER))
    ):
        raise PermissionDenied("您没有分配此案件的权限。")
    if not application.is_open:
        raise ValidationError("已办结的申请不能再分配。")
    if handler is None or not has_role(handler, agency, Role.HANDLER):
        raise ValidationError({"handler": "只能分配给本机关的承办人。"})
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        previous = app.handler_id
        if previous == handler.pk:
            raise ValidationError({"handler": "该案件已由此承办人办理。"})
        app.handler = handler
        app.save(update_fields=["handler", "updated_at"])
        audit.record(
            user,
            "application.transfer" if previous else "application.assign",
            app,
            request=request,
            from_user_id=previous,
            to_user_id=handler.pk,
            note=note.strip()[:200],
        )
    return app


def add_attachments(
    user: Any, application: Application, uploads: Sequence[Upload], *, request: Any = None
) -> list[Attachment]:
    """Scan in material (ID proof, the letter, the envelope). Files and rows all or nothing."""
    require_role(user, application.agency, *REGISTER_ROLES)
    if not uploads:
        raise ValidationError({"attachments": "请选择要上传的文件。"})
    errors = check_uploads(uploads)
    if application.attachments.count() + len(uploads) > MAX_ATTACHMENTS * 4:
        errors.append("附件数量过多。")
    if errors:
        raise ValidationError({"attachments": errors})
    written: list[Path] = []
    try:
        with transaction.atomic():
            rows = _store_files(application, uploads, user, written)
            audit.record(
                user,
                "application.add_attachments",
                application,
                request=request,
                count=len(rows),
                kinds=sorted({r.kind for r in rows}),
            )
    except BaseException:
        _remove(written)
        raise
    return rows


def issue_query_code(user: Any, application: Application, *, request: Any = None) -> str:
    """A new query code for the public status page, e.g. for a case registered from a letter,
    fax or e-mail, to tell the applicant. Only its hash is stored; an earlier code stops
    working. 登记员 or 承办人."""
    require_role(user, application.agency, *REGISTER_ROLES)
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        replaced = bool(app.query_code_hash)
        app.query_code_hash = query_code_hash(code)
        app.save(update_fields=["query_code_hash", "updated_at"])
        audit.record(user, "application.issue_query_code", app, request=request, replaced=replaced)
    return code


def nth_in_month(application: Application) -> int:
    """The rank of this case among its applicant's applications to the agency in the same
    natural month (国办函〔2020〕109号第四条：同一申请人一个自然月内累计申请件数；条例第三十五条).

    Feeds the fee decision (:func:`xxgk.statute.fees.fee_for_nth_item`); charging is the
    agency's decision, not automatic."""
    local = timezone.localtime(application.submitted_at)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    same = Application.objects.filter(
        agency_id=application.agency_id,
        applicant_id=application.applicant_id,
        submitted_at__gte=start,
    )
    earlier = same.filter(submitted_at__lt=application.submitted_at).count()
    # equal timestamps (letters registered afterwards at 09:00) are ranked by registration
    return (
        earlier + same.filter(submitted_at=application.submitted_at, pk__lte=application.pk).count()
    )


def can_see_personal_data(user: Any, agency: Agency) -> bool:
    """Only the handling agency's own staff (any staff role there, not supervision)."""
    return has_role(user, agency, *STAFF_ROLES)


def view_personal_data(
    user: Any, applicant: Applicant, *, request: Any = None, via: str = "workspace"
) -> Applicant:
    """Open an applicant's personal data; audit-logged every time (never the values)."""
    if not can_see_personal_data(user, applicant.agency):
        raise PermissionDenied("只有承办机关的工作人员可以查看申请人个人信息。")
    audit.record(
        user,
        "applicant.view_personal_data",
        applicant,
        request=request,
        fields=["id_number", "phone", "email", "address"],
        via=via,
    )
    return applicant


def open_attachment(user: Any, attachment: Attachment, *, request: Any = None) -> Attachment:
    """Open a stored file (they hold personal data): staff of the agency, audit-logged."""
    if not can_see_personal_data(user, attachment.agency):
        raise PermissionDenied("只有承办机关的工作人员可以查看申请材料。")
    audit.record(
        user,
        "applicant.view_personal_data",
        attachment.application.applicant,
        request=request,
        fields=["attachment"],
        attachment_id=attachment.pk,
        application_id=attachment.application_id,
    )
    return attachment


def lookup_status(number: str, code: str) -> Application | None:
    """The case for a tracking number and its query code, or None (the same for both a
    wrong number and a wrong code, so neither can be probed)."""
    number = (number or "").strip().upper()
    code = (code or "").strip().upper()
    if not number or not code or len(number) > 32 or len(code) > 32:
        return None
    app = Application.objects.filter(number=number).select_related("agency").first()
    expected = app.query_code_hash if app is not None else "0" * 64
    ok = hmac.compare_digest(expected, query_code_hash(code))
    return app if app is not None and ok and app.query_code_hash else None


# --- per-address rate limit --------------------------------------------------------------


def rate_limited(scope: str, address: str | None, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``address`` in ``scope``; True when it is over the limit.

    The address is stored as a keyed hash only. No third-party service: a table."""
    if limit <= 0:
        return False
    key = keyed_hash("address", address or "unknown")
    now = timezone.now()
    since = now - timedelta(seconds=window_seconds)
    used = SubmissionAttempt.objects.filter(scope=scope, address_key=key, at__gte=since).count()
    if used >= limit:
        return True
    SubmissionAttempt.objects.create(scope=scope, address_key=key, at=now)
    return False


def prune_attempts(before: datetime) -> int:
    deleted, _ = SubmissionAttempt.objects.filter(at__lt=before).delete()
    return deleted
