"""Settings from the environment; ``check --deploy`` is clean in production mode."""

import os
import subprocess
import sys

import pytest


def run_check(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    environment.pop("DATABASE_URL", None)
    environment.update(
        {"XXGK_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xxgk.settings", **env}
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--tag",
            "security",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = run_check(
        tmp_path,
        XXGK_PRODUCTION="1",
        XXGK_ALLOWED_HOSTS="gk.example.gov.cn",
        # Not connected to: the checks only read the settings.
        DATABASE_URL="postgresql://xxgk@db.invalid:5432/xxgk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_warns_about_sqlite_in_production(tmp_path):
    result = run_check(tmp_path, XXGK_PRODUCTION="1", XXGK_ALLOWED_HOSTS="gk.example.gov.cn")
    assert result.returncode != 0
    assert "xxgk.W101" in result.stderr + result.stdout


@pytest.mark.slow
def test_check_deploy_warns_without_production_mode(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # HSTS off


def settings_value(tmp_path, name, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    environment.update({"XXGK_DATA_DIR": str(tmp_path), **env})
    code = f"import xxgk.settings as s; print(s.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_secret_key_is_generated_once_into_the_data_folder(tmp_path):
    first = settings_value(tmp_path, "SECRET_KEY")
    key_file = tmp_path / "secret_key"
    assert key_file.read_text(encoding="utf-8").strip() == first
    assert len(first) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert settings_value(tmp_path, "SECRET_KEY") == first
    assert settings_value(tmp_path, "SECRET_KEY", XXGK_SECRET_KEY="from-env") == "from-env"


def test_database_url_selects_postgresql(tmp_path):
    url = "postgresql://user:p%40ss@db.example:5433/gk"
    engine = settings_value(tmp_path, "DATABASES['default']['ENGINE']", DATABASE_URL=url)
    assert engine == "django.db.backends.postgresql"
    assert settings_value(tmp_path, "DATABASES['default']['PASSWORD']", DATABASE_URL=url) == "p@ss"


def test_bad_environment_values_fail_with_a_clear_message(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    environment.update(
        {"XXGK_DATA_DIR": str(tmp_path), "XXGK_SESSION_IDLE_MINUTES": "half an hour"}
    )
    result = subprocess.run(
        [sys.executable, "-c", "import xxgk.settings"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "XXGK_SESSION_IDLE_MINUTES: expected a whole number" in result.stderr


def test_locale_and_time_zone():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_tests_use_one_throwaway_data_folder():
    """Settings and xxgk.paths agree, and neither is the developer's real folder."""
    from django.conf import settings

    from xxgk.paths import data_dir

    assert str(settings.DATA_DIR) == os.environ["XXGK_DATA_DIR"] == str(data_dir())
    assert "xxgk-test-data-" in str(settings.DATA_DIR)


@pytest.mark.django_db
def test_django_text_is_chinese_even_for_an_english_browser(client, cast):
    """Accept-Language: en must not switch Django's own messages to English."""
    response = client.post(
        "/accounts/login/", {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert "This field is required" not in page
    assert "这个字段是必填项" in page
    client.force_login(cast.user("subordinate", "handler"))
    page = client.get("/accounts/password/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Your password" not in page
    assert "密码" in page and "至少" in page


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    """Readers never wait for a writer (WAL), and a transaction that will write takes the
    lock when it begins, so it waits out the busy timeout instead of failing at once with
    "database is locked" when it upgrades from reading (docs/production.md)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    environment.pop("DATABASE_URL", None)
    environment.update({"XXGK_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xxgk.settings"})
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    print(c.execute('PRAGMA journal_mode').fetchone()[0])\n"
        "    print(c.execute('PRAGMA busy_timeout').fetchone()[0])\n"
        "print(connection.transaction_mode)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]
