"""Staff pages of the ledger: login, 404, 403, 405; export download; import dry run and
commit through the form, with the report on the page."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xxgk.accounts.roles import Role
from xxgk.applications.models import Application

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = _xlsx(
    [
        ["收到日期", "申请人", "申请人类型", "申请内容", "序号"],
        ["2026-05-06", "甲", "自然人", "本街道2025年预算", 1],
    ]
)
BAD = _xlsx([["收到日期", "申请人", "申请人类型", "申请内容"], ["2026-05-32", "甲", "公民", ""]])


def _upload(data, name="台账.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _urls(agency_id):
    return [
        (reverse("ledger:home", args=[agency_id]), {"GET"}),
        (reverse("ledger:export", args=[agency_id]), {"GET"}),
        (reverse("ledger:import", args=[agency_id]), {"POST"}),
    ]


def test_login_404_and_methods(client, cast):
    for url, methods in _urls(cast.subordinate.pk):
        for method in methods:
            response = getattr(client, method.lower())(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(cast.user("unrelated", Role.ADMIN))
    for url, methods in _urls(cast.subordinate.pk):
        for method in methods:
            assert getattr(client, method.lower())(url).status_code == 404
    client.force_login(cast.user("subordinate", Role.ADMIN))
    for url, methods in _urls(cast.subordinate.pk):
        other = {"POST"} if methods == {"GET"} else {"GET"}
        for method in other | {"PUT"}:
            assert getattr(client, method.lower())(url).status_code == 405


def test_export_download_and_filters(client, cast, make_case):
    make_case(date(2026, 3, 2), name="甲")
    make_case(date(2026, 4, 2), name="乙", status="closed", answer_type="not_held",
              closed_on=date(2026, 4, 20), decided_on=date(2026, 4, 20))  # fmt: skip
    client.force_login(cast.user("district", Role.SUPERVISOR))  # reads the street office
    response = client.get(reverse("ledger:export", args=[cast.subordinate.pk]), {"status": "open"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content))["2026年"]
    names = [r[4] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ["甲*"]  # masked for a supervisor
    assert (
        client.get(
            reverse("ledger:export", args=[cast.subordinate.pk]), {"personal": "on"}
        ).status_code
        == 403
    )  # a supervisor never gets personal data
    bad = client.get(reverse("ledger:export", args=[cast.subordinate.pk]), {"year": "abc"})
    assert bad.status_code == 400


def test_import_dry_run_then_commit(client, cast):
    url = reverse("ledger:import", args=[cast.subordinate.pk])
    client.force_login(cast.user("subordinate", Role.HANDLER))
    assert client.post(url, {"file": _upload(GOOD)}).status_code == 403
    client.force_login(cast.user("subordinate", Role.ADMIN))
    response = client.post(url, {"file": _upload(GOOD), "mapping": "序号="})
    page = response.content.decode()
    assert response.status_code == 200 and "共1行，有效1行，错误0处，试运行，未写入。" in page
    assert not Application.objects.exists()
    response = client.post(url, {"file": _upload(GOOD), "mapping": "序号=", "commit": "on"})
    assert "已导入1件" in response.content.decode()
    assert Application.objects.get().received_on == date(2026, 5, 6)


def test_a_broken_file_shows_the_report_and_writes_nothing(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    url = reverse("ledger:import", args=[cast.subordinate.pk])
    response = client.post(url, {"file": _upload(BAD), "commit": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sheet 第2行「收到日期」：日期“2026-05-32”无法识别" in page
    assert "Sheet 第2行「申请内容」：申请内容不能为空" in page
    assert not Application.objects.exists()
    response = client.post(url, {"file": _upload(b"garbage"), "commit": "on"})
    assert response.status_code == 400 and "xlsx" in response.content.decode()
    response = client.post(url, {"file": _upload(GOOD), "mapping": "序号=不存在的列"})
    assert response.status_code == 400 and "没有“不存在的列”列" in response.content.decode()
