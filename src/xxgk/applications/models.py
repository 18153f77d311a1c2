"""Disclosure applications (依申请公开): the applicant register, the case and its clock.

Every row is tenant data (``agency``) reached only through :mod:`xxgk.agencies.scoping`.
State changes go through :mod:`xxgk.applications.operations`; the model methods here only
answer questions about one object (conventions item 4).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.utils import timezone

from xxgk.statute.taxonomies import AnswerType, ApplicantType, answer_type_info
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "_as_filed_on", None) is not None:
            # ``case.applicant`` is the register entry overlaid with one case's snapshot:
            # saving it would write that case's details into the register.
            raise RuntimeError(
                "case.applicant shows the details as filed on that case; update the register "
                "with xxgk.applications.operations.update_register"
            )
        super().save(*args, **kwargs)

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
    def list_name(self) -> str:
        """The name in a list: masked for persons; an organisation's cut to
        ``LIST_NAME_MAX`` characters with "…" (the full name is on the case page)."""
        name = self.masked_name
        if len(name) > LIST_NAME_MAX:
            return name[: LIST_NAME_MAX - 1] + "…"
        return name

    @property
    def masked_id(self) -> str:
        return mask_middle(self.id_number, keep_start=3, keep_end=2)

    @property
    def masked_phone(self) -> str:
        return mask_middle(self.phone, keep_start=3, keep_end=2)


#: At most this many stars: a long name's mask does not give away its length.
MASK_MAX_STARS = 2
#: Lists cut an organisation's name here (a phone's narrow column).
LIST_NAME_MAX = 12


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**, any longer name → its first character and two stars."""
    if not name:
        return ""
    return name[0] + "*" * min(MASK_MAX_STARS, max(1, len(name) - 1))


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
    #: 条例第三十条: a 补正 notice was sent; the answer period restarts on the corrected application.
    CORRECTION = "correction", "待补正"
    #: 国办函〔2020〕109号: a 收费通知 was sent; the case waits for the payment.
    FEE = "fee", "待缴费"
    CLOSED = "closed", "已办结"


#: Answer types of 条例第三十条、第三十五条至第三十九条 (values = ``AnswerType`` values; labels
#: from :mod:`xxgk.statute.taxonomies`). The report row is derived, never stored.
AnswerTypeChoice = models.TextChoices(  # type: ignore[misc]
    "AnswerTypeChoice",
    [(a.name, (a.value, answer_type_info(a).label)) for a in AnswerType],
)


class ReplyStage(models.TextChoices):
    """The sign-off chain of the reply (replies-and-ledger.md §6): 承办 → 审核 → 负责人."""

    NONE = "", "未拟办"
    DRAFT = "draft", "承办人拟办"
    REVIEW = "review", "待审核（保密审查）"
    APPROVAL = "approval", "待负责人签发"
    SIGNED = "signed", "已签发"
    SENT = "sent", "已送达"


class ServiceMethod(models.TextChoices):
    """国办公开办函〔2016〕235号: how the decision is served (送达)."""

    DIRECT = "direct", "直接送达"
    ENTRUSTED = "entrusted", "委托送达"
    POST = "post", "邮寄送达（邮政企业）"
    ELECTRONIC = "electronic", "电子送达"
    ON_THE_SPOT = "on_the_spot", "当场答复"


class FeeBasis(models.TextChoices):
    """国办函〔2020〕109号第三条: by items (第四条) or by pages (第五条), never both."""

    ITEMS = "items", "按件计收"
    PAGES = "pages", "按量计收"


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
OPEN_STATUSES = (Status.PENDING, Status.OPEN, Status.CORRECTION, Status.FEE)


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

    # ----- part 2: the workflow (see docs/applications.md "Part 2: fields for letters") -----

    # 条例第三十条: 补正
    correction_items = models.JSONField("需要补正的事项", default=list, blank=True)
    correction_requested_on = models.DateField("补正告知日期", null=True, blank=True)
    correction_period_days = models.PositiveSmallIntegerField(
        "补正期限（工作日）", null=True, blank=True
    )
    correction_deadline = models.DateField("补正截止日期", null=True, blank=True)
    correction_received_on = models.DateField("收到补正申请之日", null=True, blank=True)
    correction_rounds = models.PositiveSmallIntegerField("补正次数", default=0)

    # 条例第三十三条第二款: 延期
    extension_days = models.PositiveSmallIntegerField("延长工作日数", null=True, blank=True)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="延期批准人（工作机构负责人）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extension_approved_on = models.DateField("延期批准日期", null=True, blank=True)

    # 条例第三十五条: a reasonable deferred answer date for a large number of requests
    deferred_due = models.DateField("延迟答复期限（第三十五条）", null=True, blank=True)
    deferral_reason = models.TextField("延迟答复理由", blank=True)

    # 国办函〔2020〕109号: 信息处理费
    fee_basis = models.CharField("收费方式", max_length=8, choices=FeeBasis.choices, blank=True)
    fee_units = models.PositiveIntegerField("计费件数或页数", null=True, blank=True)
    fee_amount = models.PositiveIntegerField("收费金额（元）", null=True, blank=True)
    fee_explanation = models.JSONField("收费计算说明", default=list, blank=True)
    fee_notice_on = models.DateField("收费通知日期", null=True, blank=True)
    fee_notice_received_on = models.DateField("申请人收到收费通知日期", null=True, blank=True)
    fee_payment_deadline = models.DateField("缴费截止日期", null=True, blank=True)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)

    # 条例第三十六条至第三十九条: the decision
    answer_type = models.CharField(
        "答复类型", max_length=32, choices=AnswerTypeChoice.choices, blank=True, db_index=True
    )
    legal_basis = models.JSONField("法律依据（条款）", default=list, blank=True)
    provided_information = models.TextField("提供的信息或获取方式", blank=True)
    withheld_reasons = models.TextField("不予公开（不予提供）的理由", blank=True)
    responsible_agency = models.CharField(
        "负责公开的行政机关及联系方式", max_length=200, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="重复申请的原申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField("作出决定日期", null=True, blank=True)
    on_the_spot = models.BooleanField("当场答复", default=False)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_reason = models.TextField("撤回理由", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)

    # replies-and-ledger.md §6: review and sign-off
    reply_stage = models.CharField(
        "签批环节", max_length=10, choices=ReplyStage.choices, blank=True, default=""
    )

    # 国办公开办函〔2016〕235号: 送达
    service_method = models.CharField(
        "送达方式", max_length=12, choices=ServiceMethod.choices, blank=True
    )
    posted_on = models.DateField("交邮日期", null=True, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    postal_tracking_number = models.CharField("邮件号", max_length=40, blank=True)
    service_note = models.CharField("送达说明", max_length=200, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    #: The applicant's details as given on this application (``SNAPSHOT_FIELDS``): the case
    #: shows these, not the register's latest (a later application never rewrites them).
    applicant_snapshot = models.JSONField("申请时的申请人信息", default=dict, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["agency", "status", "effective_due"])]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A case created elsewhere (e.g. the ledger import) keeps the register's details of
        # its filing day as its snapshot.
        if not self.applicant_snapshot and self.applicant_id is not None:
            self.applicant_snapshot = applicant_details(self.applicant)
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "applicant_snapshot"}
        super().save(*args, **kwargs)

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

    @property
    def tracking_number(self) -> str:
        """The case number (受理编号) as letters print it."""
        return self.number

    @property
    def answer(self) -> AnswerType | None:
        """The decision's answer type as the statute package's enum (None before a decision)."""
        return AnswerType(self.answer_type) if self.answer_type else None

    @property
    def extended_due(self) -> date | None:
        """条例第三十三条第二款: the new due date after the extension (None without one)."""
        return self.effective_due if self.extension_days else None

    @property
    def current_consultation(self) -> Consultation | None:
        """The latest 征求意见 of the case (条例第三十二条、第三十四条), or None."""
        return self.consultations.order_by("-sent_on", "-id").first()

    def fee_periods(self) -> list[tuple[date, date]]:
        """国办函〔2020〕109号: the fee period (notice → payment or deadline). It pauses the
        answer period only when the counting rules say so (statute package)."""
        if self.fee_notice_on is None:
            return []
        end = self.fee_paid_on or self.fee_payment_deadline or self.fee_notice_on
        return [(self.fee_notice_on, max(end, self.fee_notice_on))]

    def clock_pauses(self) -> list[Any]:
        """条例第三十三条第三款: consultation periods excluded from the answer period."""
        if self.pk is None:  # a case being registered has no consultations yet
            return []
        return [c.pause() for c in self.consultations.all() if c.sent_on is not None]

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


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", "第三方（条例第三十二条）"
    AGENCY = "agency", "其他行政机关（条例第三十四条）"


class Opinion(models.TextChoices):
    AGREE = "agree", "同意公开"
    DISAGREE = "disagree", "不同意公开"
    SILENT = "silent", "逾期未提出意见"


class Consultation(models.Model):
    """One 征求意见 (条例第三十二条 third party; 第三十四条 co-producing agency).

    The party has 15 working days from its receipt of the 征求意见书 (``deadline``, computed by
    :func:`xxgk.statute.periods.consultation_reply_deadline`). The time from sending to the reply
    (or, on silence, to the deadline) is excluded from the answer period (第三十三条第三款).
    Silence: a third party's is no refusal — the agency decides (第三十二条); an agency's counts
    as consent (第三十四条).
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField("征求对象类型", max_length=12, choices=ConsultationKind.choices)
    party_name = models.CharField("被征求意见方", max_length=100)
    party_address = models.CharField("被征求意见方地址", max_length=200, blank=True)
    party_contact = models.CharField("被征求意见方联系方式", max_length=100, blank=True)
    matter = models.TextField("征求意见的信息及理由", blank=True)
    sent_on = models.DateField("发出征求意见书日期")
    party_received_on = models.DateField("对方收到征求意见书日期")
    deadline = models.DateField("提出意见截止日期")
    replied_on = models.DateField("收到意见日期", null=True, blank=True)
    opinion = models.CharField("意见", max_length=10, choices=Opinion.choices, blank=True)
    reply_text = models.TextField("意见及理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"征求意见#{self.pk}"

    @property
    def article(self) -> str:
        return "条例第三十二条" if self.kind == ConsultationKind.THIRD_PARTY else "条例第三十四条"

    def pause(self) -> Any:
        """The excluded period: from sending to the reply, or (no reply yet / silence) to the
        deadline. An open consultation is provisionally paused up to its deadline."""
        from xxgk.statute.periods import Pause

        end = min(self.replied_on, self.deadline) if self.replied_on else self.deadline
        return Pause(
            self.sent_on, max(end, self.sent_on), f"征求{self.party_name}意见（{self.article}）"
        )

    @property
    def silence_effect(self) -> str:
        """What silence means (条例第三十二条 / 第三十四条)."""
        if self.kind == ConsultationKind.AGENCY:
            return "被征求意见机关逾期未提出意见的，视为同意公开（条例第三十四条）。"
        return "第三方逾期未提出意见的，由行政机关依照条例的规定决定是否公开（条例第三十二条）。"


class CaseEvent(models.Model):
    """One line of the case timeline: what happened, who did it, and its legal effect."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    on = models.DateField("事件日期")
    kind = models.CharField(max_length=40)
    label = models.CharField("事件", max_length=100)
    legal_effect = models.CharField("法律效果", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.label}#{self.pk}"


class SignOffStep(models.Model):
    """One step of the sign-off chain (承办 → 审核 → 负责人), kept for ever (audit)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="signoff_steps"
    )
    stage = models.CharField(max_length=10, choices=ReplyStage.choices)
    approved = models.BooleanField(default=True)
    comment = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class ReplyCorrection(models.Model):
    """A recorded correction of a sent reply: the sent reply stays as it was (``before``)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reply_corrections"
    )
    reason = models.TextField("更正理由")
    before = models.JSONField("更正前的决定")
    after = models.JSONField("更正后的决定")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)


class WorkflowSettings(models.Model):
    """Per agency: the sign-off chain and the 补正 defaults (replies-and-ledger.md §6.2)."""

    agency = models.OneToOneField(
        "agencies.Agency", on_delete=models.CASCADE, related_name="application_workflow"
    )
    #: Steps after the 承办人's draft, in order: any of "review", "approval"; "approval"
    #: (负责人签发) is always last and required.
    chain = models.JSONField(default=list)
    correction_days = models.PositiveSmallIntegerField("默认补正期限（工作日）", default=15)
    max_correction_rounds = models.PositiveSmallIntegerField("最多补正次数", default=1)


class LockedYear(models.Model):
    """A year whose annual report is published: its cases cannot change silently."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    locked_at = models.DateTimeField(default=timezone.now)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="applications_lockedyear_once")
        ]


#: The applicant details a case keeps as given on that application (条例第二十九条第二款第（一）项).
SNAPSHOT_FIELDS = (
    "kind",
    "name",
    "legal_representative",
    "contact_name",
    "phone",
    "email",
    "address",
    "postcode",
)


def applicant_details(applicant: Applicant) -> dict[str, str]:
    """The snapshot fields of a register entry (or of the case's view of it)."""
    return {f: str(getattr(applicant, f) or "") for f in SNAPSHOT_FIELDS}


class _ApplicantAsFiled(ForwardManyToOneDescriptor):
    """``case.applicant``: the register entry with this case's snapshot laid over it.

    Letters, the ledger and every page read ``case.applicant.name`` / ``.address`` /
    ``.kind`` …: they get the details given on that very application, while ``id_number``,
    ``id_key`` and ``pk`` are the register's. The object returned for a differing snapshot
    is a copy that refuses ``save()``; queries (``filter(applicant=…)``, ``select_related``)
    and assignment are Django's own.
    """

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        entry = super().__get__(instance, cls)
        if instance is None or entry is None:
            return entry
        snapshot = instance.applicant_snapshot or {}
        overlay = {f: v for f, v in snapshot.items() if f in SNAPSHOT_FIELDS}
        if all(getattr(entry, f) == v for f, v in overlay.items()):
            return entry
        view = copy.copy(entry)
        for f, v in overlay.items():
            setattr(view, f, v)
        view._as_filed_on = instance.pk or 0
        return view


Application.applicant = _ApplicantAsFiled(Application._meta.get_field("applicant"))  # type: ignore[assignment,misc]
