"""Startup checks with our own ids: a bad set-up fails fast, before a wrong date is computed.

| id | level | what |
| --- | --- | --- |
| xxgk.E001 | error | the loaded holiday data (放假安排) cannot be read |
| xxgk.W001 | warning | from 1 October on: no holiday data for the next year yet |
| xxgk.W002 | warning | no holiday data for the current year: dates are guessed Monday to Friday, flagged |
| xxgk.E002 | error | TIME_ZONE is not Asia/Shanghai, or USE_TZ is off |
| xxgk.E003 | error | the data folder is missing or not writable |

The functions taking ``today`` / ``data_dir`` are the checks proper (time and place are
arguments); the registered wrappers supply the real ones.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import checks

from xxgk.statute.calendar import load_calendar
from xxgk.statute.errors import StatuteError

REQUIRED_TIME_ZONE = "Asia/Shanghai"

#: From this month on, next year's holiday data is expected (the State Council's notice
#: usually comes in November; a deadline started in October can already reach January).
NEXT_YEAR_FROM_MONTH = 10

_LOAD_HINT = "用 `xxgk calendar load <国务院办公厅放假通知>` 导入该年的放假安排。"


def check_holiday_data(today: date, data_dir: Path | None = None) -> list[checks.CheckMessage]:
    """条例第三十三条等以工作日计算期限：当年（及年末时次年）必须有节假日安排。"""
    try:
        calendar = load_calendar(data_dir)
    except StatuteError as exc:
        return [
            checks.Error(
                f"节假日数据无法读取：{exc}",
                hint="修正或删除数据目录 calendar/ 下有问题的文件，再重新导入。",
                id="xxgk.E001",
            )
        ]
    found: list[checks.CheckMessage] = []
    if not calendar.has_year(today.year):
        # A warning, not an error: an error would stop `migrate` and the workers on 1 January,
        # while the case clock carries on with flagged Monday-to-Friday dates (docs/jobs.md).
        found.append(
            checks.Warning(
                f"缺少{today.year}年节假日安排：期限暂按周一至周五推算并标注，须尽快导入。",
                hint=_LOAD_HINT,
                id="xxgk.W002",
            )
        )
    if today.month >= NEXT_YEAR_FROM_MONTH and not calendar.has_year(today.year + 1):
        found.append(
            checks.Warning(
                f"尚未导入{today.year + 1}年节假日安排；跨年的期限将无法计算。",
                hint=_LOAD_HINT,
                id="xxgk.W001",
            )
        )
    return found


def check_time_zone(time_zone: str, use_tz: bool) -> list[checks.CheckMessage]:
    """Dates of receipt and due dates are Beijing-time calendar days."""
    found: list[checks.CheckMessage] = []
    if time_zone != REQUIRED_TIME_ZONE:
        found.append(
            checks.Error(
                f"TIME_ZONE is {time_zone!r}; it must be {REQUIRED_TIME_ZONE!r}, or received "
                "and due dates shift by a day around midnight.",
                hint=f"Set TIME_ZONE = {REQUIRED_TIME_ZONE!r} in the settings.",
                id="xxgk.E002",
            )
        )
    if not use_tz:
        found.append(
            checks.Error(
                "USE_TZ is off; timestamps must be stored as aware datetimes.",
                hint="Set USE_TZ = True in the settings.",
                id="xxgk.E002",
            )
        )
    return found


def check_data_dir(path: Path) -> list[checks.CheckMessage]:
    """The data folder holds the database, secret key, uploads and calendars: it must take writes."""
    hint = "Point XXGK_DATA_DIR at a folder the server's user can write to."
    if not path.is_dir():
        return [checks.Error(f"data folder {path} does not exist.", hint=hint, id="xxgk.E003")]
    try:
        # os.access is not enough (read-only mounts, ACLs): really create a file.
        fd, name = tempfile.mkstemp(prefix=".xxgk-write-check-", dir=path)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        return [
            checks.Error(
                f"data folder {path} is not writable ({exc.strerror or exc}).",
                hint=hint,
                id="xxgk.E003",
            )
        ]
    return []


@checks.register("xxgk")
def holiday_data(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Registered wrapper of :func:`check_holiday_data` for today (local date)."""
    # Beijing's date whatever the settings say (a wrong TIME_ZONE is xxgk.E002's business).
    today = datetime.now(ZoneInfo(REQUIRED_TIME_ZONE)).date()
    return check_holiday_data(today, Path(settings.DATA_DIR))


@checks.register("xxgk")
def time_zone(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Registered wrapper of :func:`check_time_zone` for the active settings."""
    return check_time_zone(settings.TIME_ZONE, settings.USE_TZ)


@checks.register("xxgk")
def data_dir_writable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Registered wrapper of :func:`check_data_dir` for the configured data folder."""
    return check_data_dir(Path(settings.DATA_DIR))
