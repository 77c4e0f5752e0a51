"""WarmHome settings, configured only through environment variables.

Every variable is documented in docs/deployment.md. Two profiles exist:
``WARMHOME_PROFILE=development`` (the default: the demo on SQLite under var/) and
``WARMHOME_PROFILE=production`` (secure cookies, HSTS, no debug, secrets required).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("WARMHOME_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required in this profile.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PROFILE = os.environ.get("WARMHOME_PROFILE", "development")
if PROFILE not in {"development", "production"}:
    raise ImproperlyConfigured("WARMHOME_PROFILE must be 'development' or 'production'.")
PRODUCTION = PROFILE == "production"

# The development key is public on purpose: it only ever signs the local demo.
SECRET_KEY = env_str(
    "WARMHOME_SECRET_KEY",
    None if PRODUCTION else "dev-only-insecure-key-0f6c1b2e9d8a7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
)
DEBUG = env_bool("WARMHOME_DEBUG", False)
#: each web worker loads at start what its first requests would wait for (``core.warmup``);
#: off, a small server keeps that memory until the first request needs it
WARMUP_ON_START = env_bool("WARMHOME_WARMUP", True)
ALLOWED_HOSTS = env_list(
    "WARMHOME_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("WARMHOME_CSRF_TRUSTED_ORIGINS")
# Proxies (nginx) whose X-Forwarded-For names the real client for the audit trail.
WARMHOME_TRUSTED_PROXIES = env_list("WARMHOME_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "warmhome.core.admin_site.WarmHomeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # For its bundled Swagger UI: /api/docs is served from our own static files, not a CDN.
    "ninja",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "warmhome.core",
    "warmhome.orgs",
    "warmhome.accounts",
    "warmhome.rules",
    "warmhome.notifications",
    "warmhome.certificates",
    "warmhome.people",
    "warmhome.activities",
    "warmhome.volunteers",
    "warmhome.assistance",
    "warmhome.rights",
    "warmhome.opinions",
    "warmhome.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "warmhome.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "warmhome.core.middleware.RequestContextMiddleware",
    "warmhome.accounts.middleware.IdleTimeoutMiddleware",
    "warmhome.accounts.middleware.SecurityGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the lockout and login responses of everything above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "warmhome.urls"
WSGI_APPLICATION = "warmhome.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "warmhome.core.context_processors.workbench",
                "warmhome.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite (WAL, immediate transactions) by default; PostgreSQL through DATABASE_URL.
_default_sqlite = f"sqlite:///{VAR_DIR / 'warmhome.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that does not ask the server on every request.
    DATABASES["default"]["ENGINE"] = "warmhome.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept as on PostgreSQL: opening one per request (and running the pragmas
    # below each time) cost a gunicorn worker a third of a public check-in's CPU (bench/checkin.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Only the per-address limits of the public forms use it (core.ratelimit). In memory by default:
# each server worker then counts alone. WARMHOME_CACHE_URL (redis://host:port/db) shares the
# count between the workers and across restarts.
_cache_url = env_str("WARMHOME_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Accounts and security ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "warmhome.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "warmhome.accounts.passwords.NotContainingUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The sign-in rules are rows of the policy table (security.*), which administrators edit; these
# settings name the functions that read them. An environment variable, when set, overrides its
# rule for the whole deployment (0 days switches the password-age rule off, as for a demo).
PASSWORD_MAX_AGE_DAYS: int | str = (
    env_int("WARMHOME_PASSWORD_MAX_AGE_DAYS", 90)
    if "WARMHOME_PASSWORD_MAX_AGE_DAYS" in os.environ
    else "warmhome.rules.security.password_max_age_days"
)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout: 5 failed sign-ins within 15 minutes lock the *username* for 15 minutes (等保 level 3;
# security.lockout_failures and security.lockout_minutes of the policy table).
AXES_FAILURE_LIMIT = "warmhome.rules.security.lockout_failures"
AXES_COOLOFF_TIME = "warmhome.rules.security.lockout_cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it, so the retry time the lockout page names holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "warmhome.accounts.views.lockout_response"
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks to lock out by IP address too. Government intranets put a whole street
    # office (and often every office of a district) behind one NAT address: a per-IP lockout
    # would let one mistyped password, or one attacker, lock out everyone there. Guessing is
    # still capped per username, and every failure is in the audit trail with its address.
    "axes.W006",
    # models.W040: SQLite has no covering indexes. The person search indexes include a few
    # columns so that PostgreSQL can count matches without reading the table; SQLite simply
    # builds them without those columns.
    "models.W040",
]

SESSION_IDLE_TIMEOUT: timedelta | str = (
    timedelta(minutes=env_int("WARMHOME_SESSION_IDLE_MINUTES", 30))
    if "WARMHOME_SESSION_IDLE_MINUTES" in os.environ
    else "warmhome.rules.security.session_idle_timeout"
)
SESSION_COOKIE_AGE = 12 * 3600
# Office computers are shared: closing the browser ends the session.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: htmx and /api/docs take the token from the page.
CSRF_COOKIE_HTTPONLY = True

# Two factors for administrators and case workers; the demo may switch it off.
WARMHOME_REQUIRE_2FA = env_bool("WARMHOME_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "温馨家园 WarmHome"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("WARMHOME_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("WARMHOME_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind nginx, which terminates TLS and sets the header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Field encryption and audit keys --------------------------------------------------------
# Comma-separated "id:base64key" pairs; the first is current. See docs/deployment.md.
FIELD_ENCRYPTION_KEYS = env_list(
    "WARMHOME_FIELD_ENCRYPTION_KEYS",
    "" if PRODUCTION else "dev1:ZGV2LW9ubHktZmllbGQta2V5LTMyLWJ5dGVzLWxvbmc=",
)
FIELD_ENCRYPTION_ALGORITHM = os.environ.get("WARMHOME_FIELD_ENCRYPTION_ALGORITHM", "AES-256-GCM")
AUDIT_HMAC_KEY = env_str("WARMHOME_AUDIT_HMAC_KEY", None if PRODUCTION else "dev-only-audit-key")
AUDIT_RETENTION_DAYS = max(185, env_int("WARMHOME_AUDIT_RETENTION_DAYS", 185))

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files, media, storage -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("WARMHOME_STATIC_ROOT", VAR_DIR / "static"))
# Project-wide assets (vendored libraries, the shell's CSS and JS) beside the templates.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("WARMHOME_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "WARMHOME_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
    },
    "staticfiles": {
        "BACKEND": "warmhome.core.staticfiles.ManifestStaticFilesStorage"
        if PRODUCTION
        else "warmhome.core.staticfiles.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- E-mail ---------------------------------------------------------------------------------
_email_backend = os.environ.get(
    "WARMHOME_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_email_options: dict[str, object] = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("WARMHOME_EMAIL_HOST", "localhost"),
        "port": env_int("WARMHOME_EMAIL_PORT", 25),
        "username": os.environ.get("WARMHOME_EMAIL_USER", ""),
        "password": os.environ.get("WARMHOME_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("WARMHOME_EMAIL_USE_TLS", False),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("WARMHOME_EMAIL_FROM", "warmhome@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("WARMHOME_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WARMHOME_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

WARMHOME_SITE_NAME = _("温馨家园")
