"""Outgoing mail settings from the environment (xxgk.applications.mail): plain tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from xxgk.applications.mail import FILE_BACKEND, SMTP_BACKEND, email_settings, writes_to_files

DATA = Path("/srv/xxgk-data")


def test_nothing_configured_writes_files_into_the_data_folder():
    s = email_settings({}, DATA)
    assert s["EMAIL_BACKEND"] == FILE_BACKEND and writes_to_files(s["EMAIL_BACKEND"])
    assert s["EMAIL_FILE_PATH"] == str(DATA / "mail")
    assert s["DEFAULT_FROM_EMAIL"] == "xxgk@localhost"


def test_smtp_url_with_starttls_and_quoted_password():
    s = email_settings(
        {
            "XXGK_EMAIL_URL": "smtp+tls://gk%40x.cn:p%40ss@mail.x.cn",
            "DEFAULT_FROM_EMAIL": "gk@x.cn",
        },
        DATA,
    )
    assert s["EMAIL_BACKEND"] == SMTP_BACKEND and s["EMAIL_HOST"] == "mail.x.cn"
    assert (s["EMAIL_PORT"], s["EMAIL_USE_TLS"], s["EMAIL_USE_SSL"]) == (587, True, False)
    assert (s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == ("gk@x.cn", "p@ss")
    assert s["DEFAULT_FROM_EMAIL"] == "gk@x.cn"
    ssl = email_settings({"XXGK_EMAIL_URL": "smtps://mail.x.cn:2465"}, DATA)
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_SSL"], ssl["EMAIL_USE_TLS"]) == (2465, True, False)


def test_email_host_variables():
    s = email_settings(
        {"EMAIL_HOST": "relay.gov.cn", "EMAIL_PORT": "2525", "EMAIL_USE_TLS": "yes"}, DATA
    )
    assert (s["EMAIL_BACKEND"], s["EMAIL_HOST"], s["EMAIL_PORT"]) == (
        SMTP_BACKEND,
        "relay.gov.cn",
        2525,
    )
    assert s["EMAIL_USE_TLS"] is True and not writes_to_files(s["EMAIL_BACKEND"])


def test_file_url():
    s = email_settings({"XXGK_EMAIL_URL": "file:///var/mail/xxgk"}, DATA)
    assert (s["EMAIL_BACKEND"], s["EMAIL_FILE_PATH"]) == (FILE_BACKEND, "/var/mail/xxgk")


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"XXGK_EMAIL_URL": "http://mail.x.cn"}, "XXGK_EMAIL_URL"),
        ({"XXGK_EMAIL_URL": "smtp://"}, "XXGK_EMAIL_URL"),
        ({"EMAIL_HOST": "m", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT"),
        ({"EMAIL_HOST": "m", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_TLS"),
    ],
)
def test_bad_values_name_the_variable(env, name):
    with pytest.raises(ImproperlyConfigured, match=name):
        email_settings(env, DATA)


def test_the_platform_settings_use_it():
    from django.conf import settings

    # pytest-django swaps in the locmem backend for tests; the address and timeout stay.
    assert settings.DEFAULT_FROM_EMAIL == "xxgk@localhost" and settings.EMAIL_TIMEOUT == 20
