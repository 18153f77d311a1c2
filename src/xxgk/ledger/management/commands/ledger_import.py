"""``xxgk manage ledger_import --agency ID --user NAME [--map 列名=字段]… [--commit] FILE.xlsx``

Without ``--commit`` only checks (dry run). Prints the row-by-row report. Exit status: 0 when
every row is valid (and, with ``--commit``, imported), 1 when the report has errors (nothing
written), 2 for unusable input (no such agency or user, not an Excel file, bad mapping).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xxgk.ledger.columns import BY_KEY, column_for_header
from xxgk.ledger.management.commands._common import agency_and_user
from xxgk.ledger.operations import import_ledger


class Command(BaseCommand):
    help = "导入本机关原有的依申请公开台账（默认只检查，不写入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="台账文件（.xlsx）")
        parser.add_argument("--agency", type=int, required=True, help="机关编号")
        parser.add_argument("--user", required=True, help="以该用户身份导入（管理员或登记员）")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="列名=字段",
            help="文件中的列对应的系统列（导出列名或字段名；留空表示忽略该列），可重复",
        )
        parser.add_argument("--commit", action="store_true", help="正式导入（否则只检查）")

    def handle(self, *args: Any, **options: Any) -> None:
        agency, user = agency_and_user(options["agency"], options["user"])
        mapping: dict[str, str] = {}
        for item in options["map"]:
            if "=" not in item:
                raise CommandError(f"--map 须为“列名=字段”：{item}", returncode=2)
            left, right = (p.strip() for p in item.split("=", 1))
            key = right if (right in BY_KEY or not right) else column_for_header(right)
            if key is None:
                raise CommandError(f"系统中没有“{right}”列。", returncode=2)
            mapping[left] = key
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        try:
            report = import_ledger(
                user, agency, path.read_bytes(), mapping=mapping, dry_run=not options["commit"]
            )
        except PermissionDenied:
            raise CommandError(
                "该用户无权导入本机关台账（须为管理员或登记员）。", returncode=2
            ) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from None
        for line in report.lines():
            self.stdout.write(line)
        for sheet, names in report.unmapped.items():
            if names:
                self.stdout.write(f"{sheet}：未导入的列：{'、'.join(names)}")
        if not report.ok:
            sys.exit(1)
