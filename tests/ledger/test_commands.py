"""``xxgk manage ledger_export`` / ``ledger_import``: thin commands over the operations."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from xxgk.accounts.roles import Role
from xxgk.applications.models import Application

pytestmark = pytest.mark.django_db


def _write(path, rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return str(path)


def test_export_then_import_with_a_mapping(cast, make_case, tmp_path):
    make_case(date(2026, 3, 2), name="甲")
    out = tmp_path / "ledger.xlsx"
    stdout = io.StringIO()
    call_command(
        "ledger_export", str(out), agency=cast.subordinate.pk,
        user=cast.user("subordinate", Role.HANDLER).username, stdout=stdout,
    )  # fmt: skip
    assert out.read_bytes()[:2] == b"PK" and "已导出" in stdout.getvalue()
    src = _write(
        tmp_path / "own.xlsx",
        [["来件日期", "姓名", "申请人性质", "内容"], ["2026-04-01", "乙", "自然人", "预算公开"]],
    )
    admin = cast.user("unrelated", Role.ADMIN).username
    args = dict(agency=cast.unrelated.pk, user=admin, map=["来件日期=收到日期", "内容=description"])
    stdout = io.StringIO()
    call_command("ledger_import", src, stdout=stdout, **args)
    assert "共1行，有效1行，错误0处，试运行，未写入。" in stdout.getvalue()
    assert not Application.objects.filter(agency=cast.unrelated).exists()
    call_command("ledger_import", src, commit=True, stdout=io.StringIO(), **args)
    assert Application.objects.get(agency=cast.unrelated).received_on == date(2026, 4, 1)


def test_import_reports_findings_with_exit_1_and_bad_input_with_2(cast, tmp_path):
    admin = cast.user("subordinate", Role.ADMIN).username
    bad = _write(tmp_path / "bad.xlsx", [["收到日期", "申请人", "申请人类型", "申请内容"], ["昨天", "甲", "自然人", "x"]])  # fmt: skip
    stdout = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger_import", bad, agency=cast.subordinate.pk, user=admin, commit=True,
                     stdout=stdout)  # fmt: skip
    assert exit_info.value.code == 1
    assert "Sheet 第2行「收到日期」：日期“昨天”无法识别（示例：2026-03-02）" in stdout.getvalue()
    assert not Application.objects.exists()
    for kwargs, message in (
        ({"agency": 9999, "user": admin}, "没有编号为9999的机关"),
        ({"agency": cast.subordinate.pk, "user": "nobody"}, "没有用户"),
        ({"agency": cast.subordinate.pk, "user": admin, "map": ["x"]}, "列名=字段"),
        ({"agency": cast.subordinate.pk, "user": admin, "map": ["x=不存在"]}, "没有“不存在”列"),
        (
            {
                "agency": cast.subordinate.pk,
                "user": cast.user("subordinate", Role.HANDLER).username,
            },
            "无权导入",
        ),
    ):
        with pytest.raises(CommandError, match=message) as err:
            call_command("ledger_import", bad, stdout=io.StringIO(), **kwargs)
        assert err.value.returncode == 2
    (tmp_path / "x.xlsx").write_bytes(b"nope")
    with pytest.raises(CommandError, match="xlsx") as err:
        call_command("ledger_import", str(tmp_path / "x.xlsx"), agency=cast.subordinate.pk,
                     user=admin, stdout=io.StringIO())  # fmt: skip
    assert err.value.returncode == 2
