"""Reconsiderations (行政复议) and suits (行政诉讼) about a disclosure case.

They feed table 四 of the annual report (条例第五十条第（三）项): 15 columns — 行政复议,
未经复议直接起诉, 复议后起诉, each by result 维持 / 纠正 / 其他 / 尚未审结 and 总计. The
column ids are those of :data:`xxgk.annual_report.formats.TABLE4` (``review.upheld`` …).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppealKind(models.TextChoices):
    """The three groups of table 四 (values = the column-id prefixes)."""

    REVIEW = "review", "行政复议"
    SUIT_DIRECT = "suit_direct", "行政诉讼（未经复议直接起诉）"
    SUIT_AFTER_REVIEW = "suit_after_review", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    """The results of table 四 (values = the column-id suffixes)."""

    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class Appeal(models.Model):
    """One 行政复议 or 行政诉讼 against the handling of a case."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="appeals"
    )
    kind = models.CharField("类型", max_length=20, choices=AppealKind.choices)
    filed_on = models.DateField("申请或起诉日期")
    body = models.CharField("复议机关或人民法院", max_length=100)
    reference = models.CharField("案号", max_length=60, blank=True)
    earlier = models.ForeignKey(
        "self",
        verbose_name="所依据的复议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField(
        "结果", max_length=10, choices=AppealResult.choices, default=AppealResult.PENDING
    )
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "行政复议、行政诉讼"
        verbose_name_plural = "行政复议、行政诉讼"
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}#{self.pk}"
