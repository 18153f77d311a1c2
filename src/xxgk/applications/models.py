"""Disclosure applications (依申请公开): the applicant register, the case and its clock.

Every row is tenant data (``agency``) reached only through :mod:`xxgk.agencies.scoping`.
State changes go through :mod:`xxgk.applications.operations`; the model methods here only
answer questions about one object (conventions item 4).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from xxgk.statute.taxonomies import ApplicantType
from xxgk.statute.taxonomies import Channel as StatuteChannel


class ApplicantKind(models.TextChoices):
    """条例第二十七条 applicants, as the columns of table 三 count them (values = column ids)."""

    NATURAL_PERSON = ApplicantType.NATURAL_PERSON.value, "自然人"
    BUSINESS = ApplicantType.BUSINESS.value, "商业企业"
    RESEARCH = ApplicantType.RESEARCH.value, "科研机构"
    PUBLIC_INTEREST = ApplicantType.PUBLIC_INTEREST.value, "社会公益组织"
    LEGAL_SERVICES = ApplicantType.LEGAL_SERVICES.value, "法律服务机构"
    OTHER_ORG = ApplicantType.OTHER_ORG.value, "其他组织"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_TW = "hmt", "港澳台居民证件"
    OTHER = "other", "其他身份证明"
    CREDIT_CODE = "credit_code", "统一社会信用代码"


class Applicant(models.Model):
    """One applicant in an agency's register (natural person or organisation).

    Personal data (ID number, phone, e-mail, address) is shown only to the agency's staff,
    masked in lists, and every full view is audit-logged (``applicant.view_personal_data``).
    ``id_key`` is a keyed hash (HMAC-SHA256 with the secret key) of the normalised ID number
    or credit code: it recognises a repeat applicant (fees, 条例第三十五条) without comparing
    clear ID numbers.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("申请人类型", max_length=20, choices=ApplicantKind.choices)
    name = models.CharField("姓名或名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=40)
    id_key = models.CharField(max_length=64, db_index=True, editable=False)
    legal_representative = models.CharField("法定代表人或负责人", max_length=50, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "申请人"
        verbose_name_plural = "申请人"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "id_key"],
                condition=~Q(id_key=""),
                name="applications_applicant_once_per_agency",
            )
        ]

    def __str__(self) -> str:
        # Used by the audit log's target label: never personal data beyond the masked name.
        return f"申请人#{self.pk}"

    @property
    def is_organisation(self) -> bool:
        return self.kind != ApplicantKind.NATURAL_PERSON

    @property
    def masked_name(self) -> str:
        """The name as lists show it: 张** for persons; organisations in full (not personal)."""
        if self.is_organisation:
            return self.name
        return mask_name(self.name)

    @property
    def masked_id(self) -> str:
        return mask_middle(self.id_number, keep_start=3, keep_end=2)

    @property
    def masked_phone(self) -> str:
        return mask_middle(self.phone, keep_start=3, keep_end=2)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_middle(value: str, *, keep_start: int, keep_end: int) -> str:
    """110101199003071234 → 110*************34; short values are fully masked."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


class ChannelChoice(models.TextChoices):
    """Intake channels; each maps to the statute's :class:`~xxgk.statute.taxonomies.Channel`."""

    IN_PERSON = "in_person", "当面提交"
    ORAL = "oral", "口头提出（工作人员代为填写）"
    POST_SIGNED = "post_signed", "邮寄（挂号信、EMS等需签收）"
    POST_ORDINARY = "post_ordinary", "平常信函"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上申请"


STATUTE_CHANNEL = {
    ChannelChoice.IN_PERSON: StatuteChannel.IN_PERSON,
    ChannelChoice.ORAL: StatuteChannel.ORAL,
    ChannelChoice.POST_SIGNED: StatuteChannel.POST_SIGNED,
    ChannelChoice.POST_ORDINARY: StatuteChannel.POST_ORDINARY,
    ChannelChoice.FAX: StatuteChannel.FAX,
    ChannelChoice.EMAIL: StatuteChannel.EMAIL,
    ChannelChoice.ONLINE: StatuteChannel.ONLINE,
}

#: The agency channel (``Agency.channels``) each intake channel belongs to.
AGENCY_CHANNEL = {
    ChannelChoice.IN_PERSON: "in_person",
    ChannelChoice.ORAL: "in_person",
    ChannelChoice.POST_SIGNED: "post",
    ChannelChoice.POST_ORDINARY: "post",
    ChannelChoice.FAX: "fax",
    ChannelChoice.EMAIL: "email",
    ChannelChoice.ONLINE: "online",
}

#: Channels whose receipt date is a confirmation (条例第三十一条第（二）项后段、第（三）项).
CONFIRMED_CHANNELS = frozenset(
    {ChannelChoice.POST_ORDINARY, ChannelChoice.FAX, ChannelChoice.EMAIL, ChannelChoice.ONLINE}
)


class Status(models.TextChoices):
    PENDING = "pending", "待确认收到"
    OPEN = "open", "办理中"
    CLOSED = "closed", "已办结"


class DeliveryMethod(models.TextChoices):
    """条例第二十九条第（三）项：获取信息的方式、途径."""

    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "网上查看"


class MediumChoice(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"


#: Statuses in which the clock runs (a pending case has no due date yet, so date filters skip
#: it). Part 2 adds its open states (补正中, 征求意见中 …) here.
OPEN_STATUSES = (Status.PENDING, Status.OPEN)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: date | None = None, agency: Any = None) -> ApplicationQuerySet:
        """Open cases whose answer due date has passed (uses the indexed ``effective_due``)."""
        today = today or timezone.localdate()
        qs = self.filter(status__in=OPEN_STATUSES, effective_due__lt=today)
        return qs.filter(agency=agency) if agency is not None else qs

    def due_between(self, first: date, last: date) -> ApplicationQuerySet:
        return self.filter(
            status__in=OPEN_STATUSES, effective_due__gte=first, effective_due__lte=last
        )


class Application(models.Model):
    """One 政府信息公开申请 and its clock (条例第二十九条至第三十三条).

    The clock fields are stored (and indexed) so lists and the daily job read them without a
    calendar; :func:`xxgk.applications.clock.apply_clock` fills them from the statute package,
    and :func:`xxgk.applications.clock.recompute_open_cases` refreshes every open case when the
    holiday calendar changes (``calendar_fingerprint`` records the calendar used).
    """

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="applications"
    )
    number = models.CharField("受理编号", max_length=32, unique=True)
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    channel = models.CharField("申请渠道", max_length=20, choices=ChannelChoice.choices)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )

    # 条例第二十九条第（二）（三）项
    description = models.TextField("所需政府信息的名称、文号或者特征性描述")
    purpose = models.TextField("备注", blank=True)
    medium = models.CharField(
        "信息的提供形式", max_length=12, choices=MediumChoice.choices, blank=True
    )
    delivery = models.CharField(
        "获取信息的方式", max_length=12, choices=DeliveryMethod.choices, blank=True
    )
    oral_record = models.TextField(
        "口头申请笔录",
        blank=True,
        help_text="条例第二十九条：采用书面形式确有困难的，由工作机构代为填写。",
    )
    missing_items = models.JSONField(
        "缺少的第二十九条内容", default=list, blank=True, editable=False
    )

    # 条例第三十一条: the facts that fix the receipt date
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    arrived_on = models.DateField("收到（到达）日期", null=True, blank=True)
    signed_on = models.DateField("签收日期", null=True, blank=True)
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    confirmation_method = models.CharField("确认方式", max_length=40, blank=True)
    confirmation_note = models.CharField("确认说明", max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The clock (stored; see the class docstring)
    received_on = models.DateField("收到申请之日", null=True, blank=True, db_index=True)
    correction_notice_due = models.DateField("补正告知期限", null=True, blank=True, db_index=True)
    answer_due = models.DateField("答复期限", null=True, blank=True, db_index=True)
    #: The due date in force (answer_due, or a later extended/paused date set by part 2).
    effective_due = models.DateField("当前期限", null=True, blank=True, db_index=True)
    clock_flags = models.JSONField(default=list, blank=True, editable=False)
    calendar_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    clock_error = models.CharField(max_length=200, blank=True, editable=False)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_applications",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Online submissions: the form's one-time token (idempotent double submit) and the hashed
    # query code for the public status page.
    submission_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    query_code_hash = models.CharField(max_length=64, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["agency", "status", "effective_due"])]

    def __str__(self) -> str:
        return self.number

    @property
    def statute_channel(self) -> StatuteChannel:
        return STATUTE_CHANNEL[ChannelChoice(self.channel)]

    @property
    def needs_confirmation(self) -> bool:
        """条例第三十一条：平常信函、互联网渠道、传真 — the receipt date is the confirmation date."""
        return self.channel in CONFIRMED_CHANNELS and self.confirmed_on is None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def due_on(self) -> date | None:
        """The answer due date in force."""
        return self.effective_due

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.is_open and self.effective_due and self.effective_due < today)


class AttachmentKind(models.TextChoices):
    ID_PROOF = "id_proof", "身份证明"
    LETTER = "letter", "申请书（信函）"
    SCAN = "scan", "扫描件"
    ENVELOPE = "envelope", "信封、签收单"
    OTHER = "other", "其他材料"


class Attachment(models.Model):
    """A file of an application (ID proof, the letter, envelope): stored under MEDIA_ROOT,
    type checked by content, written completely before the row commits."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("材料类型", max_length=12, choices=AttachmentKind.choices)
    file = models.FileField(max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"材料#{self.pk}"


class SubmissionAttempt(models.Model):
    """One public request counted by the per-address rate limit (address stored as a keyed
    hash, never in clear). Old rows are pruned daily."""

    scope = models.CharField(max_length=20)
    address_key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "address_key", "at"])]


class CalendarState(models.Model):
    """The fingerprint of the holiday calendar the stored clocks were computed with (one row)."""

    key = models.CharField(max_length=20, unique=True, default="default")
    fingerprint = models.CharField(max_length=64)
    recomputed_at = models.DateTimeField(default=timezone.now)
    cases = models.PositiveIntegerField(default=0)
