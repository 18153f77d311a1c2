"""The one table of our own: which daily job was enqueued for which local day."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DailyRun(models.Model):
    """A daily job's claim on one local day (Asia/Shanghai).

    The unique (job, day) pair is what makes a daily job run once a day however many
    workers on however many machines look at the clock: the first INSERT wins, the others
    get an IntegrityError and move on.
    """

    job = models.CharField("任务", max_length=100)
    day = models.DateField("日期")
    enqueued_at = models.DateTimeField("排队时间", default=timezone.now)
    task_result_id = models.CharField("任务结果编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "每日任务记录"
        verbose_name_plural = "每日任务记录"
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="jobs_dailyrun_once_per_day"),
        ]
        indexes = [models.Index(fields=["day"], name="jobs_dailyrun_day_idx")]

    def __str__(self) -> str:
        return f"{self.job} {self.day.isoformat()}"


class WorkerHeartbeat(models.Model):
    """A running worker's sign of life, renewed every 30 s by a thread beside its loop.

    A task stays RUNNING if its worker is killed hard (SIGKILL, a lost machine). A task whose
    worker has not been heard of for a while is marked failed by the sweep in
    :func:`xxgk.jobs.runner.recover_lost_tasks`.
    """

    worker_id = models.CharField("工作进程", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=255, blank=True)
    pid = models.PositiveIntegerField("进程号", default=0)
    started_at = models.DateTimeField("启动时间", default=timezone.now)
    last_seen = models.DateTimeField("最近心跳", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "工作进程心跳"
        verbose_name_plural = "工作进程心跳"

    def __str__(self) -> str:
        return self.worker_id
