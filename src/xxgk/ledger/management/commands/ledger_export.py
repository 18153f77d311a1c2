"""``xxgk manage ledger_export --agency ID --user NAME [--year Y] [--personal-data] OUT.xlsx``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xxgk.ledger.management.commands._common import agency_and_user
from xxgk.ledger.operations import export_ledger


class Command(BaseCommand):
    help = "导出依申请公开台账（Excel，每个收到年度一个工作表）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="输出的 .xlsx 文件")
        parser.add_argument("--agency", type=int, required=True, help="机关编号")
        parser.add_argument("--user", required=True, help="以该用户身份导出（记入审计日志）")
        parser.add_argument("--year", type=int, help="只导出该年度")
        parser.add_argument(
            "--personal-data", action="store_true", help="联系方式不脱敏（仅本机关工作人员）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency, user = agency_and_user(options["agency"], options["user"])
        try:
            data = export_ledger(
                user, agency, year=options["year"], personal_data=options["personal_data"]
            )
        except PermissionDenied:
            raise CommandError("该用户无权导出本机关台账。", returncode=2) from None
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"已导出到 {options['out']}（{len(data) // 1024 + 1} KB）。")
