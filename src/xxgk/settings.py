"""Django settings for xxgk: read from the environment, with embedded defaults.

Every variable is listed in docs/configuration.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from xxgk.paths import data_dir

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}") from None


def _secret_key() -> str:
    """The secret key: from XXGK_SECRET_KEY, else generated once into the data folder."""
    explicit = os.environ.get("XXGK_SECRET_KEY")
    if explicit:
        return explicit
    path = DATA_DIR / "secret_key"
    try:
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_text(secrets.token_urlsafe(64), encoding="utf-8")
            tmp.chmod(0o600)
            tmp.replace(path)
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ImproperlyConfigured(
            f"XXGK_DATA_DIR: cannot keep the secret key in {path} ({exc.strerror or exc}); "
            "make the data folder writable or set XXGK_SECRET_KEY"
        ) from None


DEBUG = env_bool("XXGK_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("XXGK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# Production mode: HTTPS only (secure cookies, HSTS, redirect). `check --deploy` is clean.
PRODUCTION = env_bool("XXGK_PRODUCTION", False)
CSRF_TRUSTED_ORIGINS = env_list("XXGK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "xxgk.agencies",
    "xxgk.accounts",
    "xxgk.audit",
    "xxgk.security",
    "xxgk.workspace",
    "xxgk.api",
    "xxgk.portal",
    "xxgk.applications",
    "xxgk.letters",
    "xxgk.ledger",
    "xxgk.appeals",
    "django_tasks",
    "django_tasks_db",
    "xxgk.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "xxgk.security.middleware.IdleSessionMiddleware",
    "xxgk.security.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "xxgk.security.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "xxgk.urls"
WSGI_APPLICATION = "xxgk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xxgk.workspace.context_processors.workspace",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        # WAL: readers never wait for the writer; IMMEDIATE: a transaction takes the write
        # lock when it begins, so it waits (up to `timeout` seconds) instead of failing with
        # "database is locked" when it upgrades from reading (docs/production.md).
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "xxgk.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
            },
        }
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL: unsupported scheme {parsed.scheme!r}; use postgresql://"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "xxgk",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
# The only language: LocaleMiddleware must never switch Django's own messages (form errors,
# password rules, the CSRF page) to English for a browser sending Accept-Language: en.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Project-wide assets (CSS, vendored htmx) live in src/xxgk/static/; apps may add their own.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("XXGK_STATIC_ROOT") or DATA_DIR / "static")
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError as _exc:
    raise ImproperlyConfigured(
        f"XXGK_STATIC_ROOT: cannot create {STATIC_ROOT} ({_exc.strerror or _exc})"
    ) from None
MEDIA_ROOT = Path(os.environ.get("XXGK_MEDIA_ROOT") or DATA_DIR / "media")
WHITENOISE_USE_FINDERS = True
if PRODUCTION:
    # Hashed file names and far-future caching; needs `xxgk manage collectstatic` per release.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    WHITENOISE_USE_FINDERS = False

# --- Users, login and security (docs/platform.md, docs/configuration.md) ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["xxgk.security.backends.LockoutBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "portal:home"

XXGK_PASSWORD_MIN_LENGTH = env_int("XXGK_PASSWORD_MIN_LENGTH", 10)
XXGK_PASSWORD_MAX_AGE_DAYS = env_int("XXGK_PASSWORD_MAX_AGE_DAYS", 90)
XXGK_PASSWORD_HISTORY = env_int("XXGK_PASSWORD_HISTORY", 5)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": XXGK_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xxgk.security.passwords.CharacterClassValidator"},
    {"NAME": "xxgk.security.passwords.HistoryValidator"},
]
XXGK_LOGIN_MAX_FAILURES = env_int("XXGK_LOGIN_MAX_FAILURES", 5)
XXGK_LOGIN_LOCKOUT_MINUTES = env_int("XXGK_LOGIN_LOCKOUT_MINUTES", 15)
XXGK_SESSION_IDLE_MINUTES = env_int("XXGK_SESSION_IDLE_MINUTES", 30)
XXGK_TRUSTED_PROXY_COUNT = env_int("XXGK_TRUSTED_PROXY_COUNT", 0)

SESSION_COOKIE_AGE = env_int("XXGK_SESSION_MAX_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "xxgk.security.views.csrf_failure"  # a Chinese page, not Django's default
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("XXGK_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("XXGK_HSTS_SECONDS", 31536000) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION and env_bool("XXGK_HSTS_PRELOAD", True)
if env_bool("XXGK_BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# 403/404/405 are one line each (no traceback); 500 keeps its traceback. Request bodies are
# never logged (personal data): no handler here prints the request object.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_one_line": {"()": "xxgk.security.logging.ClientErrorsWithoutTraceback"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["client_errors_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("XXGK_LOG_LEVEL", "WARNING")},
}

XXGK_SITE_TITLE = os.environ.get("XXGK_SITE_TITLE", "政府信息公开")

# Outgoing mail (docs/configuration.md, "Mail"): XXGK_EMAIL_URL or EMAIL_HOST…; with neither,
# mail is written as files into <data>/mail/ (nothing reaches the network).
from xxgk.applications.mail import email_settings  # noqa: E402

globals().update(email_settings(os.environ, DATA_DIR))

# Background jobs (docs/jobs.md): django-tasks on its database backend, no broker. Workers are
# `xxgk worker` (production) or the thread `xxgk serve` starts.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
