"""Digibank settings: one file, every deployment knob read from the environment.

Secure by default: DEBUG is off unless asked for, and with DEBUG off
`manage.py check --deploy` has nothing to report.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is only acceptable while DEBUG is on; production must set SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or (
    "dev-insecure-3c1d9f0e8b2a4d7c9e6f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d" if DEBUG else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local development server).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Where the API lives (digibank/urls.py): its answers are never cached.
API_PATH_PREFIX = "/api/"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "django_htmx",
    "ninja",
    "axes",
    # Digibank domains: one app per flow of PRODUCT.md.
    "digibank.accounts",
    "digibank.networks",
    "digibank.organisations",
    "digibank.residents",
    "digibank.audit",
    "digibank.privacy",
    "digibank.devices",
    "digibank.lending",
    "digibank.catalogue",
    "digibank.referrals",
    "digibank.notifications",
    "digibank.messaging",
    "digibank.digipunten",
    "digibank.public",
    "digibank.core",
    "digibank.api",
    "digibank.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "digibank.networks.middleware.CurrentNetworkMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the current network is known: audits the residents a staff page shows.
    "digibank.audit.middleware.AuditShownMiddleware",
    "digibank.lib.middleware.ControlCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: counts failed log-ins and refuses locked-out ones (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "digibank.urls"
WSGI_APPLICATION = "digibank.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

# Log-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username,
# or from one address, log-ins are refused for AXES_COOLOFF_TIME (or until a coordinator
# unlocks the member). Counted in the database; the page says why and what to do.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY") else 0
AXES_VERBOSE = False

# Messages to an address typed on a public form (confirmations, reminders of web bookings): at
# most this many a day per address and network; the rest is kept as skipped (docs/messaging.md).
VISITOR_MESSAGES_PER_ADDRESS_PER_DAY = env_int("VISITOR_MESSAGES_PER_ADDRESS_PER_DAY", 3)

# Retention (docs/privacy.md has the table: what, how long, why): days after which
# `manage.py retention` (daily) deletes, or blanks, what has no reason to be kept any more.
RETENTION_FORM_TOKENS_DAYS = env_int("RETENTION_FORM_TOKENS_DAYS", 30)
RETENTION_RATE_COUNTERS_DAYS = env_int("RETENTION_RATE_COUNTERS_DAYS", 1)
RETENTION_UNANSWERED_APPLICATIONS_DAYS = env_int("RETENTION_UNANSWERED_APPLICATIONS_DAYS", 180)
RETENTION_UNANSWERED_DONATION_OFFERS_DAYS = env_int("RETENTION_UNANSWERED_DONATION_OFFERS_DAYS", 180)
# Who saw or changed a person's data: set this to the period your data-protection officer names.
RETENTION_AUDIT_DAYS = env_int("RETENTION_AUDIT_DAYS", 5 * 365)
RETENTION_SENT_MESSAGES_DAYS = env_int("RETENTION_SENT_MESSAGES_DAYS", 90)
RETENTION_LOGIN_ATTEMPTS_DAYS = env_int("RETENTION_LOGIN_ATTEMPTS_DAYS", 30)
RETENTION_LOGIN_LOG_DAYS = env_int("RETENTION_LOGIN_LOG_DAYS", 90)
RETENTION_EXPIRED_SESSIONS_DAYS = env_int("RETENTION_EXPIRED_SESSIONS_DAYS", 0)
RETENTION_TASK_RESULTS_DAYS = env_int("RETENTION_TASK_RESULTS_DAYS", 30)
RETENTION_INVITATIONS_DAYS = env_int("RETENTION_INVITATIONS_DAYS", 30)
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "digibank" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "digibank.networks.context_processors.network",
                "digibank.plugins.context_processors.shell",
            ],
        },
    },
]

if not env_str("DATABASE_URL"):
    (BASE_DIR / "var").mkdir(exist_ok=True)  # the embedded database lives in var/ (not in git)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'digibank.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions: concurrent writers wait instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env_bool("TESTING")
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

# E-mail (Django 6.1 mailers): console in development, SMTP from the environment in production.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "digibank@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict by default, relaxed only for the local development server.
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None

# Django 6 built-in Content Security Policy: only our own origin, nonces for inline scripts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

OTP_TOTP_ISSUER = "Digibank"

# SMS: pluggable backend (digibank.lib.sms); the console backend prints messages.
SMS_BACKEND = env_str("SMS_BACKEND", "digibank.lib.sms.ConsoleSmsBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Test speed: a fast hasher (settings overridden by tests/conftest too).
if env_bool("TESTING"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
