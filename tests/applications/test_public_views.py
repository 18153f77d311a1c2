"""The public online application and status page: validation in Chinese, nothing stored on
bad input, honeypot, per-address rate limit, idempotent double submit, status lookup."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.applications.conftest import EXE, PDF, VALID_CREDIT, VALID_ID
from xxgk.accounts.roles import Role
from xxgk.applications import operations
from xxgk.applications.models import Applicant, Application, Attachment, Status
from xxgk.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def form_url(cast, key="subordinate"):
    return reverse("apply:form", args=[cast.agency(key).slug])


def fresh_token(client, cast):
    body = client.get(form_url(cast)).content.decode()
    return re.search(r'name="token" value="([^"]+)"', body).group(1)


def person_post(token, **over):
    data = {
        "token": token,
        "kind": "natural_person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13800138000",
        "email": "zhang@example.com",
        "address": "测试区一号路2号",
        "postcode": "100000",
        "description": "2024年本街道老旧小区改造项目的批复文件",
        "medium": "electronic",
        "delivery": "email",
        "website": "",
    }
    data.update(over)
    return data


def nothing_stored(settings):
    files = list((settings.MEDIA_ROOT / "applications").rglob("*.*"))
    return (
        not Application.objects.exists()
        and not Applicant.objects.exists()
        and not Attachment.objects.exists()
        and not files
    )


def test_the_agency_page_links_to_the_form(client, cast):
    body = client.get(reverse("portal:agency", args=[cast.subordinate.slug])).content.decode()
    assert form_url(cast) in body and reverse("apply:status", args=[cast.subordinate.slug]) in body


def test_a_good_submission_shows_number_and_code_at_once(client, cast):
    token = fresh_token(client, cast)
    pdf = SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf")
    response = client.post(form_url(cast), person_post(token, attachments=[pdf]))
    assert response.status_code == 201
    case = Application.objects.get()
    body = response.content.decode()
    code = operations.query_code_for(token)
    assert case.number in body and code in body
    assert case.status == Status.PENDING and case.channel == "online"
    assert case.query_code_hash and code not in case.query_code_hash
    assert Attachment.objects.get().kind == "id_proof"
    assert VALID_ID not in body and "13800138000" not in body
    event = AuditEvent.objects.get(action="application.submit_online")
    assert event.actor is None and VALID_ID not in str(event.details)


def test_double_submit_is_idempotent(client, cast):
    token = fresh_token(client, cast)
    first = client.post(form_url(cast), person_post(token))
    second = client.post(form_url(cast), person_post(token))
    assert first.status_code == 201 and second.status_code == 200
    case = Application.objects.get()
    code = operations.query_code_for(token)
    assert case.number in second.content.decode() and code in second.content.decode()
    assert "未重复保存" in second.content.decode()


def test_invalid_id_number(client, cast, settings):
    token = fresh_token(client, cast)
    response = client.post(form_url(cast), person_post(token, id_number="110105194912310021"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "身份证号码校验位不正确" in body and "本次提交未被保存" in body
    assert nothing_stored(settings)


def test_a_50mb_attachment_is_refused(client, cast, settings):
    token = fresh_token(client, cast)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (50 * 1024 * 1024), "application/pdf")
    response = client.post(form_url(cast), person_post(token, attachments=[big]))
    body = response.content.decode()
    assert response.status_code == 400
    assert "超过单个文件10MB的上限" in body
    assert nothing_stored(settings)


def test_an_oversized_request_is_refused_before_it_is_read(client, cast, settings):
    token = fresh_token(client, cast)
    response = client.post(form_url(cast), person_post(token), CONTENT_LENGTH=str(60 * 1024 * 1024))
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert nothing_stored(settings)


def test_an_executable_renamed_pdf_is_refused(client, cast, settings):
    token = fresh_token(client, cast)
    exe = SimpleUploadedFile("申请书.pdf", EXE, content_type="application/pdf")
    good = SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf")
    response = client.post(form_url(cast), person_post(token, attachments=[good, exe]))
    body = response.content.decode()
    assert response.status_code == 400
    assert "不是PDF、JPEG或PNG文件" in body and "申请书.pdf" in body
    assert nothing_stored(settings)  # the good file is not kept either


def test_script_in_text_fields_is_escaped_and_never_stored_on_error(client, cast, settings):
    token = fresh_token(client, cast)
    script = "<script>alert(1)</script>"
    response = client.post(
        form_url(cast),
        person_post(token, name=script, address=script, id_number="bad", description=script),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    assert "身份证号码应为18位" in body
    assert nothing_stored(settings)


def test_script_in_a_valid_submission_is_stored_as_text_and_escaped_for_staff(client, cast):
    token = fresh_token(client, cast)
    script = "<script>alert(1)</script> 预算"
    client.post(form_url(cast), person_post(token, description=script, address=script))
    case = Application.objects.get()
    assert case.description == script
    client.force_login(cast.user("subordinate", Role.HANDLER))
    for name in ("applications:detail", "applications:personal_data"):
        body = client.get(reverse(name, args=[cast.subordinate.pk, case.pk])).content.decode()
        assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


def test_organisation_details_are_required(client, cast, settings):
    token = fresh_token(client, cast)
    data = person_post(
        token,
        kind="business",
        name="测试科技有限公司",
        id_type="credit_code",
        id_number=VALID_CREDIT,
    )
    body = client.post(form_url(cast), data).content.decode()
    assert "请填写法定代表人或者负责人" in body and "请填写联系人" in body
    assert nothing_stored(settings)
    data.update(legal_representative="李四", contact_name="王五")
    assert client.post(form_url(cast), data).status_code == 201
    assert Applicant.objects.get().kind == "business"


def test_phone_and_email_are_checked(client, cast, settings):
    token = fresh_token(client, cast)
    body = client.post(
        form_url(cast), person_post(token, phone="12345", email="not-an-email")
    ).content.decode()
    assert "联系电话应为11位手机号码" in body and "电子邮箱格式不正确" in body
    assert nothing_stored(settings)


def test_honeypot_refuses_and_stores_nothing(client, cast, settings):
    token = fresh_token(client, cast)
    response = client.post(form_url(cast), person_post(token, website="http://spam.example"))
    body = response.content.decode()
    assert response.status_code == 400 and "提交未被接受" in body
    message = re.search(r'role="alert"><p>(.*?)</p>', body, re.S)
    assert message and "提交未被接受" in message.group(1)
    assert "网址" not in message.group(1) and "隐藏" not in message.group(1)  # names no field
    assert nothing_stored(settings)


def test_honeypot_hits_count_against_the_rate_limit(client, cast, settings):
    settings.XXGK_APPLY_RATE_LIMIT = 2
    for _ in range(2):
        spam = person_post(fresh_token(client, cast), website="http://spam.example")
        assert client.post(form_url(cast), spam).status_code == 400
    # the address used its two submissions on the honeypot: a real one is now refused too
    response = client.post(form_url(cast), person_post(fresh_token(client, cast)))
    assert response.status_code == 429 and nothing_stored(settings)


def test_per_address_rate_limit(client, cast, settings):
    settings.XXGK_APPLY_RATE_LIMIT = 2
    for _ in range(2):
        assert (
            client.post(form_url(cast), person_post(fresh_token(client, cast))).status_code == 201
        )
    response = client.post(form_url(cast), person_post(fresh_token(client, cast)))
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
    assert Application.objects.count() == 2
    # another address is not affected
    other = client.post(
        form_url(cast), person_post(fresh_token(client, cast)), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 201


def test_an_agency_without_the_online_channel_has_no_form(client, cast, settings):
    cast.subordinate.channels = []
    cast.subordinate.save()
    body = client.get(form_url(cast)).content.decode()
    assert "暂未开通网上申请" in body
    response = client.post(form_url(cast), person_post(operations.new_submission_token()))
    assert response.status_code == 400 and nothing_stored(settings)


def test_receipt_by_email_when_asked(client, cast):
    token = fresh_token(client, cast)
    client.post(form_url(cast), person_post(token, send_email="on"))
    case = Application.objects.get()
    assert len(mail.outbox) == 1
    assert (
        case.number in mail.outbox[0].body
        and operations.query_code_for(token) in mail.outbox[0].body
    )
    assert mail.outbox[0].to == ["zhang@example.com"]


def test_status_page(client, cast):
    token = fresh_token(client, cast)
    client.post(form_url(cast), person_post(token))
    case = Application.objects.get()
    url = reverse("apply:status", args=[cast.subordinate.slug])
    code = operations.query_code_for(token)
    body = client.post(url, {"number": case.number, "code": code}).content.decode()
    assert "等待工作机构与您确认" in body and "待确认" in body
    assert "张三" not in body and VALID_ID not in body
    wrong = client.post(url, {"number": case.number, "code": "AAAAAAAAAA"})
    assert wrong.status_code == 404 and "受理编号或查询码不正确" in wrong.content.decode()
    # the same number at another agency's page is not found either
    other = reverse("apply:status", args=[cast.unrelated.slug])
    assert client.post(other, {"number": case.number, "code": code}).status_code == 404


def test_status_lookups_are_rate_limited(client, cast, settings):
    settings.XXGK_STATUS_RATE_LIMIT = 3
    url = reverse("apply:status", args=[cast.subordinate.slug])
    codes = [client.post(url, {"number": "GK1", "code": "X"}).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


@pytest.mark.parametrize("name", ["apply:form", "apply:status"])
def test_public_pages_refuse_other_methods_and_unknown_agencies(client, cast, name):
    url = reverse(name, args=[cast.subordinate.slug])
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert client.get(reverse(name, args=["no-such-agency"])).status_code == 404


def test_a_tampered_token_gets_a_visible_message(client, cast, settings):
    response = client.post(form_url(cast), person_post("short"))
    assert response.status_code == 400
    assert "表单已失效，请刷新页面后重新填写" in response.content.decode()
    assert nothing_stored(settings)


def test_receipt_mail_written_to_files_says_so(client, cast, settings, tmp_path):
    """With no mail server configured the receipt goes to <data>/mail/ — readable there, and
    the page does not claim it reached the applicant's mailbox."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    token = fresh_token(client, cast)
    body = client.post(form_url(cast), person_post(token, send_email="on")).content.decode()
    case = Application.objects.get()
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1 and case.number in files[0].read_text(encoding="utf-8")
    assert "未配置外发邮件服务器" in body and "已发送到您填写的电子邮箱" not in body
