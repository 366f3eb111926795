"""Settings, all from environment variables (documented in README.md, "Configuration").

The embedded default needs nothing: SQLite under TAIZHANG_DATA_DIR, files on local disk, tasks in-process.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from taizhang.core.options import Options

# Lets `admin.ModelAdmin[Unit]` and friends be subscripted at run time, as the type hints are.
django_stubs_ext.monkeypatch()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "")
    return float(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent

DATA_DIR = Path(os.environ.get("TAIZHANG_DATA_DIR") or (Path.cwd() / "var")).resolve()

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY") or ""
if not SECRET_KEY:
    if DEBUG or env_bool("TAIZHANG_TESTING", default=False):
        SECRET_KEY = _DEV_SECRET
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README, Configuration).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if not DEBUG else ["*"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "ninja",  # in INSTALLED_APPS so the API docs page serves its Swagger UI from static files, not a CDN
    "taizhang.core",
    "taizhang.org",
    "taizhang.campaigns",
    "taizhang.ledger",
    "taizhang.intake",
    "taizhang.supervision",
    "taizhang.reports",
    "taizhang.excel",
    "taizhang.search",
    "taizhang.dispatch",
    "taizhang.api",
    "taizhang.web",
    "taizhang.demo",
    "taizhang.ops",
    "taizhang.privacy",
]

MIDDLEWARE = [
    # first: it times the whole request and logs it once (no client address; see taizhang/ops/logs.py)
    "taizhang.ops.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "taizhang.api.middleware.ApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # last, as django-axes asks: it turns a locked-out login into its response
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taizhang.config.urls"
WSGI_APPLICATION = "taizhang.config.wsgi.application"
ASGI_APPLICATION = "taizhang.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "taizhang.web.context_processors.site",
                "taizhang.supervision.context_processors.notifications",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'taizhang.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0)))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue instead of failing on a lock upgrade (SQLite has no SELECT ... FOR UPDATE).
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        config.setdefault("TEST", {})["NAME"] = os.environ.get("TEST_SQLITE_NAME") or None
    return config


DATABASES = {"default": _database()}
# Covering indexes' INCLUDE columns are a PostgreSQL speed-up; SQLite builds the index without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.Person"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while a username is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after 5 failures for one username from one address, 15 minutes' pause.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or (DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one before collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or (DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG and not env_bool("TAIZHANG_TESTING", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
# Front-end packages come from npm (`make setup`) and are served by the app itself; nothing from a CDN.
NODE_MODULES = Path(os.environ.get("TAIZHANG_NODE_MODULES") or (REPO_DIR / "node_modules"))
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]

# --- Security (see docs/deploy.md). Behind HTTPS set SECURE_COOKIES=1 (and usually SECURE_SSL_REDIRECT=1).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the balancer's probe speaks plain HTTP to the app
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
# Everything the pages need is served by the app itself: no inline script or style, no other origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Development prints mail on the console; production sends through SMTP unless told otherwise.
_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or env_bool("TAIZHANG_TESTING", default=False)
    else "django.core.mail.backends.smtp.EmailBackend"
)
_SMTP_OPTIONS = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", default=False),
    "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
    "timeout": env_int("EMAIL_TIMEOUT", 10),
}
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "taizhang@localhost")

# Background tasks (Django's tasks framework). The embedded default runs each task in-process when it is
# enqueued; at scale use "database" and run `taizhang db_worker` (one or more processes).
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "immediate")]}}

# LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request_id, and method, path,
# status, duration_ms for requests), for a log shipper; plain otherwise. Neither ever holds a client address.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "taizhang.ops.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "taizhang.ops.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "taizhang.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Each request is logged once by taizhang.request; Django's own 4xx lines would repeat it.
        "django.request": {"level": "ERROR"},
        "taizhang.request": {"level": os.environ.get("LOG_REQUESTS_LEVEL", "INFO")},
    },
}

# --- JSON API, Open311, webhooks, rate limits (docs/api.md, docs/open311.md, docs/webhooks.md) ----------
# Rate-limit counters must be shared by every worker process: the database cache by default (its table is
# made by the api app's migrations), Redis when RATELIMIT_CACHE_URL=redis://… is set (install `redis`).
_RATELIMIT_CACHE_URL = os.environ.get("RATELIMIT_CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _RATELIMIT_CACHE_URL}
    if _RATELIMIT_CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "taizhang_ratelimit"},
}
# Requests per minute: anonymous callers (keyed by an HMAC of the client address, kept only in that cache)
# and signed-in callers (by token or person). 0 switches the limit off.
TAIZHANG_RATE_ANONYMOUS = env_int("TAIZHANG_RATE_ANONYMOUS", 60)
TAIZHANG_RATE_AUTHENTICATED = env_int("TAIZHANG_RATE_AUTHENTICATED", 600)
# The request header holding the client address when behind a proxy, e.g. HTTP_X_REAL_IP; empty: REMOTE_ADDR.
TAIZHANG_CLIENT_IP_HEADER = os.environ.get("TAIZHANG_CLIENT_IP_HEADER", "")
# Open311: the one jurisdiction served (clients may omit jurisdiction_id), and discovery's texts.
TAIZHANG_OPEN311_JURISDICTION = os.environ.get("TAIZHANG_OPEN311_JURISDICTION", "taizhang.local")
TAIZHANG_OPEN311_CONTACT = os.environ.get("TAIZHANG_OPEN311_CONTACT", "")
TAIZHANG_OPEN311_KEY_SERVICE = os.environ.get("TAIZHANG_OPEN311_KEY_SERVICE", "")
TAIZHANG_OPEN311_TEST = env_bool("TAIZHANG_OPEN311_TEST", default=False)
# Webhooks: seconds per attempt, attempts before giving up, first retry delay (doubling each time).
TAIZHANG_WEBHOOK_TIMEOUT = env_float("TAIZHANG_WEBHOOK_TIMEOUT", 5.0)
TAIZHANG_WEBHOOK_MAX_ATTEMPTS = env_int("TAIZHANG_WEBHOOK_MAX_ATTEMPTS", 8)
TAIZHANG_WEBHOOK_RETRY_SECONDS = env_int("TAIZHANG_WEBHOOK_RETRY_SECONDS", 60)

# --- The organisation's rules (see docs/workflow.md and docs/measures.md) -------------------------------
TAIZHANG = Options(
    problem_code_prefix=os.environ.get("TAIZHANG_PROBLEM_CODE_PREFIX", "ZG"),
    rating_window_days=env_int("TAIZHANG_RATING_WINDOW_DAYS", 3),
    rating_quorum=env_float("TAIZHANG_RATING_QUORUM", 0.5),
    unsatisfied_max_share=env_float("TAIZHANG_UNSATISFIED_MAX_SHARE", 0.5),
    notice_days=env_int("TAIZHANG_NOTICE_DAYS", 0),
    light_yellow_behind=env_float("TAIZHANG_LIGHT_YELLOW_BEHIND", 10),
    light_red_behind=env_float("TAIZHANG_LIGHT_RED_BEHIND", 30),
    remind_before_days=env_int("TAIZHANG_REMIND_BEFORE_DAYS", 3),
    urge_reply_days=env_int("TAIZHANG_URGE_REPLY_DAYS", 3),
    auto_urge=env_bool("TAIZHANG_AUTO_URGE", default=True),
    email_notifications=env_bool("TAIZHANG_EMAIL_NOTIFICATIONS", default=True),
    delivery_max_attempts=env_int("TAIZHANG_DELIVERY_MAX_ATTEMPTS", 6),
    delivery_backoff_seconds=env_int("TAIZHANG_DELIVERY_BACKOFF_SECONDS", 60),
    site_url=os.environ.get("TAIZHANG_SITE_URL", "").rstrip("/"),
    retention_photo_days=env_int("TAIZHANG_RETENTION_PHOTO_DAYS", 730),
    retention_contact_days=env_int("TAIZHANG_RETENTION_CONTACT_DAYS", 365),
    dispatch_min_history=env_int("TAIZHANG_DISPATCH_MIN_HISTORY", 30),
    dispatch_auto_apply=env_bool("TAIZHANG_DISPATCH_AUTO_APPLY", default=False),
    dispatch_auto_apply_threshold=env_float("TAIZHANG_DISPATCH_AUTO_APPLY_THRESHOLD", 0.9),
    dispatch_retrain_hours=env_int("TAIZHANG_DISPATCH_RETRAIN_HOURS", 24),
    response_window_days=env_float("TAIZHANG_RESPONSE_WINDOW_DAYS", 3),
    score_weight_response=env_float("TAIZHANG_SCORE_WEIGHT_RESPONSE", 30),
    score_weight_resolution=env_float("TAIZHANG_SCORE_WEIGHT_RESOLUTION", 35),
    score_weight_satisfaction=env_float("TAIZHANG_SCORE_WEIGHT_SATISFACTION", 35),
    score_weight_on_time=env_float("TAIZHANG_SCORE_WEIGHT_ON_TIME", 0),
    satisfaction_basic_weight=env_float("TAIZHANG_SATISFACTION_BASIC_WEIGHT", 1),
    score_penalty_overdue=env_float("TAIZHANG_SCORE_PENALTY_OVERDUE", 0),
    score_penalty_urge=env_float("TAIZHANG_SCORE_PENALTY_URGE", 0),
    score_penalty_reopen=env_float("TAIZHANG_SCORE_PENALTY_REOPEN", 0),
    ranking_min_items=env_int("TAIZHANG_RANKING_MIN_ITEMS", 5),
    ranking_list_size=env_int("TAIZHANG_RANKING_LIST_SIZE", 5),
    report_font=os.environ.get("TAIZHANG_REPORT_FONT", ""),
)

# The key of the event chain's HMAC. Keep it stable and secret: with a different key no chain verifies.
TAIZHANG_CHAIN_KEY = os.environ.get("TAIZHANG_CHAIN_KEY") or SECRET_KEY

# Excel import and export (docs/excel.md): the largest ledger file the web upload takes (the CLI has no
# limit), and the number of rows above which an export is built in the background with a progress bar.
TAIZHANG_MAX_IMPORT_BYTES = env_int("TAIZHANG_MAX_IMPORT_BYTES", 200 * 1024 * 1024)
TAIZHANG_EXPORT_DIRECT_ROWS = env_int("TAIZHANG_EXPORT_DIRECT_ROWS", 5000)

# The demo's people all share this password; `taizhang demo` prints it.
TAIZHANG_DEMO_PASSWORD = os.environ.get("TAIZHANG_DEMO_PASSWORD", "taizhang-demo")

SITE_TITLE = _("Taizhang · the rectification ledger")
