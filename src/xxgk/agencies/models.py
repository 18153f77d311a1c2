"""Agencies: the tenants of the platform, arranged as a tree.

A district government sits at the root; departments, street offices and townships hang under
it. Every tenant-owned row elsewhere carries an ``agency`` foreign key and is reached only
through :mod:`xxgk.agencies.scoping`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction


class AgencyKind(models.TextChoices):
    """What sort of administrative body an agency is."""

    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府工作部门"
    STREET_OFFICE = "street_office", "街道办事处"
    TOWNSHIP = "township", "乡镇人民政府"
    OTHER = "other", "其他机关单位"


class Channel(models.TextChoices):
    """Channels through which an agency accepts disclosure applications.

    条例第二十九条、第三十一条；国办公开办函〔2017〕19号：当面提交和邮政寄送是基本渠道，
    行政机关不得拒绝接收；其他渠道（传真、在线、电子邮件）须在指南中公布，公布后即受其约束。
    """

    IN_PERSON = "in_person", "当面提交"
    POST = "post", "邮政寄送"
    FAX = "fax", "传真"
    ONLINE = "online", "在线申请"
    EMAIL = "email", "电子邮件"


#: The channels no agency may refuse (国办公开办函〔2017〕19号).
MANDATORY_CHANNELS = (Channel.IN_PERSON.value, Channel.POST.value)

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "门户地址只能使用小写字母、数字和连字符（如 dongfeng-jiedao）。",
)


class Agency(models.Model):
    """One administrative body and the details of its 政府信息公开工作机构 (条例第十二条)."""

    name = models.CharField("机关全称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("机关类型", max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    slug = models.SlugField(
        "门户地址",
        max_length=60,
        unique=True,
        validators=[slug_validator],
        help_text="门户网址中代表本机关的部分，如 dongfeng-jiedao。",
    )
    # Materialised path of primary keys, e.g. "/1/4/"; maintained by save(). It makes "this
    # agency and everything under it" one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-HJ-NPQRTUWXY]{18}$", "统一社会信用代码应为18位。")],
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    # 政府信息公开工作机构 (条例第十二条：名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式)
    office_name = models.CharField("工作机构名称", max_length=100, blank=True)
    office_address = models.CharField("办公地址", max_length=200, blank=True)
    office_postcode = models.CharField(
        "邮政编码",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "邮政编码应为6位数字。")],
    )
    office_hours = models.CharField(
        "办公时间",
        max_length=200,
        blank=True,
        help_text="如：工作日 9:00—12:00，13:30—17:30（节假日除外）",
    )
    office_phone = models.CharField("联系电话", max_length=60, blank=True)
    office_fax = models.CharField("传真号码", max_length=60, blank=True)
    office_email = models.EmailField("电子邮箱", blank=True)
    office_website = models.CharField("互联网联系方式", max_length=200, blank=True)
    channels = models.JSONField(
        "申请接收渠道",
        default=list,
        blank=True,
        help_text="当面提交和邮政寄送为基本渠道，始终接收。",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["path", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def depth(self) -> int:
        """0 for a root agency, 1 for its children, and so on."""
        return max(self.path.count("/") - 2, 0)

    def clean(self) -> None:
        super().clean()
        unknown = [c for c in self.channels or [] if c not in Channel.values]
        if unknown:
            raise ValidationError({"channels": f"未知的申请渠道：{'、'.join(map(str, unknown))}"})
        if (
            self.pk
            and self.path
            and self.parent is not None
            and self.parent.path.startswith(self.path)
        ):
            raise ValidationError({"parent": "上级机关不能是本机关或其下级机关。"})

    def accepted_channels(self) -> list[str]:
        """The channels in force: the mandatory two plus those the agency announced."""
        chosen = set(self.channels or []) | set(MANDATORY_CHANNELS)
        return [c for c in Channel.values if c in chosen]

    def accepted_channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[c]) for c in self.accepted_channels()]

    def ancestors(self) -> models.QuerySet[Agency]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p][:-1]
        return Agency.objects.filter(pk__in=ids).order_by("path")

    def subtree(self) -> models.QuerySet[Agency]:
        """This agency and every agency under it, at any depth."""
        return Agency.objects.filter(path__startswith=self.path)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.channels = self.accepted_channels()
        with transaction.atomic():
            old_path = self.path
            if self.pk is None:
                super().save(*args, **kwargs)
                kwargs = {}
            if self.parent is not None and (
                self.parent.pk == self.pk or (old_path and self.parent.path.startswith(old_path))
            ):
                raise ValidationError("上级机关不能是本机关或其下级机关。")
            new_path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
            self.path = new_path
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "path", "channels"}
            kwargs.pop("force_insert", None)
            super().save(*args, **kwargs)
            if old_path and old_path != new_path:
                # Moved: rewrite the paths of the whole subtree below it.
                for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path) :]
                    Agency.objects.filter(pk=child.pk).update(path=child.path)
