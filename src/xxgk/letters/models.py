"""Letters and notices of a case, their 文号 series and the agency's templates.

Tenant data (``agency``) reached only through :mod:`xxgk.agencies.scoping`; changes go
through :mod:`xxgk.letters.api` (named operations, audit-logged).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class LetterKind(models.TextChoices):
    """The documents of a case (replies-and-ledger.md §1.2: D12, D3, D5, D6/D9, D11)."""

    REPLY = "reply", "政府信息公开申请答复书"
    CORRECTION_NOTICE = "correction_notice", "政府信息公开申请补正告知书"
    EXTENSION_NOTICE = "extension_notice", "政府信息公开申请延期答复告知书"
    CONSULTATION_LETTER = "consultation_letter", "政府信息公开申请征求意见书"
    FEE_NOTICE = "fee_notice", "政府信息公开信息处理费收费通知书"


class CounterScope(models.TextChoices):
    AGENCY = "agency", "全机关一个序列"
    KIND = "kind", "每种文书一个序列"


#: replies-and-ledger.md §2.2 (清江浦: 补 / 依 sequences). Agencies set their own.
DEFAULT_TYPE_CODES = {
    LetterKind.REPLY.value: "依复",
    LetterKind.CORRECTION_NOTICE.value: "补",
    LetterKind.EXTENSION_NOTICE.value: "延",
    LetterKind.CONSULTATION_LETTER.value: "征",
    LetterKind.FEE_NOTICE.value: "费",
}

#: 行政复议法第二十三条第一款第（四）项 scope (Q2): default proposal of replies-and-ledger.md
#: §1.5 — every 不予公开 sub-type and 部分公开. Configurable per agency.
DEFAULT_PRIOR_REVIEW_TYPES = [
    "partial",
    "withheld_state_secret",
    "withheld_law",
    "withheld_three_safeties",
    "withheld_third_party",
    "withheld_internal",
    "withheld_process",
    "withheld_enforcement_file",
]


def _default_type_codes() -> dict[str, str]:
    return dict(DEFAULT_TYPE_CODES)


def _default_prior_review() -> list[str]:
    return list(DEFAULT_PRIOR_REVIEW_TYPES)


class LetterSettings(models.Model):
    """Per agency: the 文号 pattern and counters, the remedy clause's body and scope.

    The pattern's tokens: ``{code}`` 机关代字, ``{type}`` the document's type code, ``{yyyy}``
    the year of the 成文日期, ``{n}`` the sequence number (zero-padded to ``pad`` digits;
    GB/T 9704 7.2.5 wants no padding and no 第, which is the default).
    """

    agency = models.OneToOneField(
        "agencies.Agency", on_delete=models.CASCADE, related_name="letter_settings"
    )
    agency_code = models.CharField("机关代字", max_length=20, blank=True)
    number_pattern = models.CharField(
        "文号格式", max_length=60, default="{code}{type}〔{yyyy}〕{n}号"
    )
    pad = models.PositiveSmallIntegerField("序号位数（补零）", default=0)
    counter_scope = models.CharField(
        "编号序列", max_length=10, choices=CounterScope.choices, default=CounterScope.KIND
    )
    type_codes = models.JSONField("文书类型代字", default=_default_type_codes)
    reconsideration_body = models.CharField(
        "行政复议机关", max_length=100, blank=True, help_text="空则按行政复议法第二十四条推定"
    )
    court = models.CharField("管辖法院", max_length=100, blank=True)
    prior_review_types = models.JSONField(
        "复议前置的答复类型", default=_default_prior_review, blank=True
    )
    contact_note = models.CharField("附注（联系人、电话）", max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "文书设置"
        verbose_name_plural = "文书设置"

    def __str__(self) -> str:
        return f"文书设置#{self.pk}"


class LetterTemplate(models.Model):
    """An agency's own wording of one document (kind + variant); built-ins apply otherwise.

    ``variant`` is the answer type for replies, ``third_party`` / ``agency`` for
    consultation letters, empty for the other notices. ``body`` is text with ``{{字段}}``
    placeholders from :data:`xxgk.letters.templating.FIELDS` only — no code is ever run.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("文书种类", max_length=24, choices=LetterKind.choices)
    variant = models.CharField("适用情形", max_length=32, blank=True)
    title = models.CharField("标题", max_length=60)
    body = models.TextField("正文模板")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "variant"], name="letters_template_once"
            )
        ]

    def __str__(self) -> str:
        return f"文书模板#{self.pk}"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "草稿（可修改）"
    ISSUED = "issued", "已编号签发"
    VOID = "void", "已作废"


class Letter(models.Model):
    """One document of a case: editable content while a draft; once issued, its 文号 and
    its rendered files (DOCX, PDF) are fixed and never change (``save`` refuses)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="letters"
    )
    consultation = models.ForeignKey(
        "applications.Consultation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    kind = models.CharField("文书种类", max_length=24, choices=LetterKind.choices)
    variant = models.CharField("适用情形", max_length=32, blank=True)
    status = models.CharField(
        max_length=8, choices=LetterStatus.choices, default=LetterStatus.DRAFT, db_index=True
    )

    title = models.CharField("标题", max_length=60)
    addressee = models.CharField("主送（称呼）", max_length=120)
    body = models.TextField("正文", help_text="段落之间空一行")
    articles = models.JSONField("法律依据（条款）", default=list, blank=True)
    remedy = models.TextField("救济途径", blank=True)
    closing = models.CharField("结束语", max_length=40, blank=True, default="特此告知。")
    signer = models.CharField("发文机关署名", max_length=100)
    note = models.CharField("附注", max_length=120, blank=True)
    attachments = models.JSONField("附件", default=list, blank=True)

    number = models.CharField("文号", max_length=60, blank=True, db_index=True)
    dated = models.DateField("成文日期", null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    docx = models.BinaryField(null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    docx_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    void_reason = models.TextField("作废理由", blank=True)
    #: SHA-256 of the case facts the draft was built from (to say when the case changed since).
    facts_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.number or f"文书#{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    def save(self, *args: Any, **kwargs: Any) -> None:
        """An issued or voided letter is never saved again (its files are evidence)."""
        if self.pk is not None:
            stored = Letter.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != LetterStatus.DRAFT:
                raise LetterIsFixed(f"文书{self.number}已签发，不能修改。")
        super().save(*args, **kwargs)


class LetterIsFixed(Exception):
    """Raised when code tries to save an issued letter."""


class IssuedNumber(models.Model):
    """Every 文号 ever allocated, never reused: a voided letter keeps its number here with the
    reason (numbers are audit evidence, replies-and-ledger.md §2.3)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=24)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=60)
    letter = models.OneToOneField(
        Letter, null=True, on_delete=models.PROTECT, related_name="issued_number"
    )
    voided = models.BooleanField(default=False)
    void_reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "scope", "year", "sequence"], name="letters_number_once"
            )
        ]

    def __str__(self) -> str:
        return self.number


class NumberCounter(models.Model):
    """The last sequence number used per agency, scope and year (locked row when allocating)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=24)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "scope", "year"], name="letters_counter_once")
        ]
