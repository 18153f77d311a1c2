"""``xxgk manage recompute_deadlines [--force]``: recompute every open case's clock.

Run it after ``xxgk calendar load`` if you do not want to wait for the daily job (which
notices the changed calendar by its fingerprint and does the same).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xxgk.applications.clock import calendars, ensure_clocks_current, reset_cache


class Command(BaseCommand):
    help = "重新计算所有未办结申请的期限（节假日安排变更后）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="即使日历未变化也重新计算")

    def handle(self, *args: Any, **options: Any) -> None:
        reset_cache()
        fingerprint = calendars(check_state=False).fingerprint
        done = ensure_clocks_current(force=options["force"], via="command")
        if done is None:
            self.stdout.write(f"日历未变化（{fingerprint[:12]}），无需重新计算。")
        else:
            self.stdout.write(f"已按日历 {fingerprint[:12]} 重新计算 {done} 件申请的期限。")
