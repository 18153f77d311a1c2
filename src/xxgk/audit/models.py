"""The append-only audit log.

Rows are only ever inserted, through :func:`xxgk.audit.record`. The model refuses to save an
existing row or to delete one, the queryset refuses ``update()`` and ``delete()``, and on
PostgreSQL and SQLite a database trigger refuses UPDATE (and on PostgreSQL DELETE), so the
application has no path to edit history.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("审计日志只能追加，不能修改。")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("审计日志只能追加，不能删除。")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("审计日志只能追加，不能修改。")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("审计日志只能追加，不能修改。")


class AuditEvent(models.Model):
    """Who did what, to what, when, and from where."""

    at = models.DateTimeField("时间", db_index=True)
    # No database constraint and no cascade: history outlives users and agencies, and deleting
    # a user must never touch (or be blocked by) the log. ``actor_label`` keeps the name.
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target_type = models.CharField("对象类型", max_length=100, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("审计日志只能追加，不能删除。")
