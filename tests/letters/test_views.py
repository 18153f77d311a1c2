"""Staff pages of the letters area: login, ownership (404), role (403), method (405); the
template editor, the settings form and editing a draft letter."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from xxgk.accounts.roles import Role
from xxgk.letters import api as letters
from xxgk.letters.models import LetterSettings, LetterTemplate
from xxgk.letters.remedy import STATUTORY_PRIOR_REVIEW

pytestmark = pytest.mark.django_db

PROCESS = dict(
    answer_type="withheld_process",
    legal_basis=["条例第三十六条第（三）项", "条例第十六条第二款"],
    withheld_reasons="内部讨论记录",
)


@pytest.fixture
def letter(cast, make_case):
    return letters.draft_letter(
        make_case(**PROCESS), "reply", actor=cast.user("subordinate", Role.HANDLER)
    )


def _urls(cast, letter):
    a = cast.subordinate.pk
    return [
        (reverse("letters:overview", args=[a]), {"GET"}),
        (reverse("letters:settings", args=[a]), {"POST"}),
        (reverse("letters:counter", args=[a]), {"POST"}),
        (reverse("letters:template", args=[a, "reply", "not_held"]), {"GET", "POST"}),
        (reverse("letters:template_reset", args=[a, "reply", "not_held"]), {"POST"}),
        (reverse("letters:letter", args=[a, letter.pk]), {"GET", "POST"}),
        (reverse("letters:file", args=[a, letter.pk, "pdf"]), {"GET"}),
    ]


def test_every_page_needs_login_and_the_right_methods(client, cast, letter):
    for url, methods in _urls(cast, letter):
        for method in methods:
            response = getattr(client, method.lower())(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(cast.user("subordinate", Role.ADMIN))
    for url, methods in _urls(cast, letter):
        for method in {"GET", "POST", "PUT", "DELETE"} - methods - {"HEAD"}:
            if method == "GET" and "HEAD" in methods:
                continue
            assert getattr(client, method.lower())(url).status_code == 405, (method, url)


def test_another_agency_gets_404(client, cast, letter):
    client.force_login(cast.user("unrelated", Role.ADMIN))
    for url, methods in _urls(cast, letter):
        for method in methods:
            assert getattr(client, method.lower())(url).status_code == 404, url
    # a letter of another agency under one's own address
    client.force_login(cast.user("district", Role.ADMIN))
    url = reverse("letters:letter", args=[cast.district.pk, letter.pk])
    assert client.get(url).status_code == 404


def test_roles(client, cast, letter):
    a = cast.subordinate.pk
    client.force_login(cast.user("subordinate", Role.HANDLER))
    assert client.get(reverse("letters:template", args=[a, "reply", "not_held"])).status_code == 403
    assert client.post(reverse("letters:settings", args=[a]), {"pad": 1}).status_code == 403
    client.force_login(cast.user("district", Role.SUPERVISOR))
    assert client.get(reverse("letters:overview", args=[a])).status_code == 200
    assert client.get(reverse("letters:letter", args=[a, letter.pk])).status_code == 200
    response = client.post(
        reverse("letters:letter", args=[a, letter.pk]),
        {"title": "x", "addressee": "x", "body": "x", "signer": "x"},
    )
    assert response.status_code == 403


def test_the_administrator_edits_a_template(client, cast):
    a = cast.subordinate.pk
    client.force_login(cast.user("subordinate", Role.ADMIN))
    url = reverse("letters:template", args=[a, "reply", "not_held"])
    page = client.get(url).content.decode()
    assert "该政府信息不存在" in page and "{{申请人}}" in page
    bad = client.post(url, {"title": "告知书", "body": "{{ request.user.password }}"})
    assert bad.status_code == 400 and "未知的字段" in bad.content.decode()
    assert not LetterTemplate.objects.exists()
    ok = client.post(url, {"title": "政府信息不存在告知书", "body": "{{申请人}}，经检索不存在。"})
    assert ok.status_code == 302
    assert LetterTemplate.objects.get().title == "政府信息不存在告知书"
    assert "本机关模板" in client.get(reverse("letters:overview", args=[a])).content.decode()


def test_the_administrator_sets_the_number_pattern(client, cast):
    a = cast.subordinate.pk
    client.force_login(cast.user("subordinate", Role.ADMIN))
    data = {
        "agency_code": "向阳",
        "number_pattern": "{code}{type}〔{yyyy}〕{n}号",
        "pad": 0,
        "counter_scope": "kind",
        "prior_review_types": ["partial", "withheld_process"],
    }
    # 行政复议法第二十三条第一款第（四）项: the statutory set cannot be unchecked
    refused = client.post(reverse("letters:settings", args=[a]), data)
    assert refused.status_code == 400 and "第二十三条第一款第（四）项" in refused.content.decode()
    data["prior_review_types"] = sorted(STATUTORY_PRIOR_REVIEW | {"not_held"})
    assert client.post(reverse("letters:settings", args=[a]), data).status_code == 302
    s = LetterSettings.objects.get(agency=cast.subordinate)
    assert s.agency_code == "向阳" and set(s.prior_review_types) == set(data["prior_review_types"])
    bad = client.post(reverse("letters:settings", args=[a]), {**data, "number_pattern": "{x}"})
    assert bad.status_code == 400 and "序号" in bad.content.decode()


def test_the_administrator_continues_a_series(client, cast):
    from xxgk.letters.models import NumberCounter

    a = cast.subordinate.pk
    client.force_login(cast.user("subordinate", Role.LEADER))
    data = {"kind": "reply", "year": 2026, "last": 12}
    assert client.post(reverse("letters:counter", args=[a]), data).status_code == 403
    client.force_login(cast.user("subordinate", Role.ADMIN))
    assert client.post(reverse("letters:counter", args=[a]), data).status_code == 302
    assert NumberCounter.objects.get(agency=cast.subordinate, scope="reply", year=2026).last == 12
    response = client.post(reverse("letters:counter", args=[a]), {**data, "last": 3}, follow=True)
    assert "只能前进" in response.content.decode()


def test_a_draft_is_edited_and_warned_about(client, cast, letter):
    a = cast.subordinate.pk
    client.force_login(cast.user("subordinate", Role.REVIEWER))
    url = reverse("letters:letter", args=[a, letter.pk])
    page = client.get(url).content.decode()
    assert "内部讨论记录" in page and 'id="warnings"' not in page
    response = client.post(
        url,
        {
            "title": letter.title,
            "addressee": "张三",
            "body": letter.body.replace("内部讨论记录", "<script>alert(1)</script>"),
            "articles": "第三十六条第（三）项\n第十六条第一款",
            "closing": "特此告知。",
            "signer": letter.signer,
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "所引第十六条第一款与不予公开的理由类型不符。" in page
    assert client.get(reverse("letters:file", args=[a, letter.pk, "docx"])).status_code == 200
    assert client.get(reverse("letters:file", args=[a, letter.pk, "odt"])).status_code == 404


def test_an_issued_letter_is_shown_not_edited(client, cast, letter):
    letters.issue_number(letter, actor=cast.user("subordinate", Role.LEADER), on=date(2026, 3, 20))
    client.force_login(cast.user("subordinate", Role.HANDLER))
    url = reverse("letters:letter", args=[cast.subordinate.pk, letter.pk])
    page = client.get(url).content.decode()
    assert letter.number in page and 'id="letter-form"' not in page
    response = client.post(
        url, {"title": "x", "addressee": "x", "body": "x", "signer": "x", "closing": ""}
    )
    assert response.status_code == 400 and "不能修改" in response.content.decode()
    pdf = client.get(reverse("letters:file", args=[cast.subordinate.pk, letter.pk, "pdf"]))
    assert pdf.content == bytes(letter.pdf)


def test_the_workspace_shows_the_letters_card(client, cast):
    client.force_login(cast.user("subordinate", Role.ADMIN))
    page = client.get(reverse("workspace:home")).content.decode()
    assert reverse("letters:overview", args=[cast.subordinate.pk]) in page


def test_a_notice_is_issued_from_its_page(client, cast, make_case):
    """签发 on the letter page: roles of issue_number, 文号 and date printed, files frozen."""
    from xxgk.audit.models import AuditEvent
    from xxgk.letters.models import Letter, LetterStatus

    a = cast.subordinate.pk
    case = make_case(
        correction_items=["申请人身份证明"],
        correction_requested_on=date(2026, 3, 4),
        correction_deadline=date(2026, 3, 25),
        extension_days=20,
        extension_reason="需要调取档案",
        answer_due=date(2026, 3, 30),
        effective_due=date(2026, 4, 28),
    )
    handler = cast.user("subordinate", Role.HANDLER)
    notice = letters.draft_letter(case, "correction_notice", actor=handler)
    url = reverse("letters:letter", args=[a, notice.pk])
    client.force_login(cast.user("district", Role.SUPERVISOR))
    assert "issue-form" not in client.get(url).content.decode()
    assert client.post(url, {"action": "issue", "dated": "2026-03-04"}).status_code == 403
    client.force_login(handler)
    assert "签发" in client.get(url).content.decode()
    assert client.post(url, {"action": "issue", "dated": "2026-03-04"}).status_code == 302
    notice.refresh_from_db()
    assert notice.status == LetterStatus.ISSUED and notice.dated == date(2026, 3, 4)
    assert notice.number and notice.pdf_sha256
    assert AuditEvent.objects.filter(action="letters.issue", target_id=str(notice.pk)).exists()
    page = client.get(url).content.decode()
    assert notice.number in page and "issue-form" not in page
    pdf = client.get(reverse("letters:file", args=[a, notice.pk, "pdf"])).content
    assert pdf == bytes(Letter.objects.get(pk=notice.pk).pdf)
    # the extension notice is the 负责人's; a reply is issued at sign-off, not here
    ext = letters.draft_letter(case, "extension_notice", actor=handler)
    ext_url = reverse("letters:letter", args=[a, ext.pk])
    assert client.post(ext_url, {"action": "issue", "dated": "2026-03-20"}).status_code == 403
    client.force_login(cast.user("subordinate", Role.LEADER))
    client.post(ext_url, {"action": "issue", "dated": "2026-03-31"})  # after the original due
    ext.refresh_from_db()
    assert ext.status == LetterStatus.DRAFT
    assert client.post(ext_url, {"action": "issue", "dated": "2026-03-20"}).status_code == 302
    ext.refresh_from_db()
    assert ext.status == LetterStatus.ISSUED
    reply = letters.draft_letter(make_case(**PROCESS), "reply", actor=handler)
    reply_url = reverse("letters:letter", args=[a, reply.pk])
    assert client.post(reply_url, {"action": "issue", "dated": "2026-03-20"}).status_code == 403
