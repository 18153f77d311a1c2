"""The CSRF failure page: plain Chinese, no technical advice."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_refused_form_gets_a_chinese_page_without_debug_advice():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "表单已失效" in page and "刷新后重新填写" in page
    assert "DEBUG" not in page and "CSRF verification failed" not in page
    assert 'lang="zh-CN"' in page and "site.css" in page
