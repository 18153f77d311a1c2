"""The ledger endpoints of the REST API: export, import (dry run, commit, 422 report)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from xxgk.accounts.roles import Role
from xxgk.applications.models import Application

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("l.xlsx", out.getvalue())


def test_export_and_import(client, cast, make_case):
    make_case(date(2026, 3, 2))
    a = cast.subordinate.pk
    assert client.get(f"/api/agencies/{a}/ledger.xlsx").status_code == 401
    client.force_login(cast.user("district", Role.SUPERVISOR))
    assert client.get(f"/api/agencies/{a}/ledger.xlsx").content[:2] == b"PK"
    assert client.get(f"/api/agencies/{a}/ledger.xlsx?personal_data=true").status_code == 403
    rows = [
        ["来件日期", "申请人", "申请人类型", "申请内容"],
        ["2026-04-01", "乙", "自然人", "预算"],
    ]
    url = f"/api/agencies/{a}/ledger/import"
    assert client.post(url, {"file": _xlsx(rows)}).status_code == 403
    client.force_login(cast.user("subordinate", Role.ADMIN))
    bad = client.post(url, {"file": _xlsx(rows)})
    assert bad.status_code == 422 and not bad.json()["ok"]
    assert bad.json()["problems"][0]["message"] == "缺少收到日期或申请日期列"
    mapping = json.dumps({"来件日期": "received_on"})
    dry = client.post(url, {"file": _xlsx(rows), "mapping": mapping})
    assert dry.status_code == 200 and dry.json()["dry_run"] and dry.json()["valid_rows"] == 1
    assert Application.objects.count() == 1
    done = client.post(url, {"file": _xlsx(rows), "mapping": mapping, "commit": "true"})
    assert done.status_code == 200 and done.json()["created"] == 1
    assert Application.objects.count() == 2
    assert client.post(url, {"file": _xlsx(rows), "mapping": "[1]"}).status_code == 422
    client.force_login(cast.user("unrelated", Role.ADMIN))
    assert client.post(url, {"file": _xlsx(rows)}).status_code == 404
