"""Ecotone settings, read from the environment.

Every knob a deployment needs is an environment variable; the defaults make a safe, zero-setup
single-machine install on SQLite. See docs/configuration.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ECOTONE_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from the environment, or one generated once and kept in the data directory."""
    from_env = os.environ.get("ECOTONE_SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("ECOTONE_DEBUG")
ALLOWED_HOSTS = env_list("ECOTONE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("ECOTONE_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("ECOTONE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where the activity IRIs of the Ecotone xAPI profile live (docs/xapi-profile.md).
ECOTONE_XAPI_BASE = os.environ.get("ECOTONE_XAPI_BASE", f"{SITE_URL}/xapi/activities/")
# The largest request body the LRS reads (statements with attachments, documents): beyond, 413.
LRS_MAX_BODY_BYTES = int(os.environ.get("ECOTONE_LRS_MAX_BODY_BYTES", str(32 * 1024 * 1024)))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves its bundled Swagger UI files, so /api/v1/docs works offline
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "auditlog",
    "allauth",
    "allauth.account",
    "django_tasks_db",
    "ecotone.kernel",
    "ecotone.authz",
    "ecotone.people",
    "ecotone.notifications",
    "ecotone.lrs",
    "ecotone.skills",
    "ecotone.goals",
    "ecotone.content",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ecotone.lrs.middleware.XapiClientMiddleware",  # LRS clients skip the rest (see its docstring)
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "ecotone.kernel.middleware.DomainErrorMiddleware",
    "ecotone.kernel.middleware.RejectNulInApiMiddleware",
]

ROOT_URLCONF = "ecotone.config.urls"
WSGI_APPLICATION = "ecotone.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ecotone.people.context_processors.viewer",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{DATA_DIR / 'ecotone.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
        # concurrent writers queue instead of failing with "database is locked" half-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; "
            # Checkpoint the WAL every ~40 MB rather than every 4 MB: pages written many times
            # between checkpoints (the tails of busy indexes) reach the database file once.
            "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ALLOW_REGISTRATION = False
ACCOUNT_ADAPTER = "ecotone.people.accounts.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "reset_password": "20/m/ip,5/m/key"}

# django-axes: lock an e-mail address and IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("ECOTONE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("ECOTONE_LOGIN_THROTTLING", True)
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool(
    "ECOTONE_SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https")
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy: no inline script, no inline style, nonces for the rare tag -----
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- Caches, e-mail, tasks --------------------------------------------------------------------
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ecotone_cache"}
    )
}

_mail_backend = os.environ.get(
    "ECOTONE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
MAILERS = {
    "default": {
        "BACKEND": _mail_backend,
        "OPTIONS": (
            {
                "host": os.environ.get("ECOTONE_EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("ECOTONE_EMAIL_PORT", "25")),
                "username": os.environ.get("ECOTONE_EMAIL_USER", ""),
                "password": os.environ.get("ECOTONE_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("ECOTONE_EMAIL_TLS"),
            }
            if _mail_backend.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("ECOTONE_FROM_EMAIL", "Ecotone <ecotone@localhost>")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("ECOTONE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            # Hashed names only once collectstatic wrote the manifest (tests and a fresh
            # checkout serve the files as they are, through the finders).
            if not DEBUG
            and env_bool("ECOTONE_MANIFEST_STATIC", True)
            and (STATIC_ROOT / "staticfiles.json").exists()
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("ECOTONE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- API -------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
ECOTONE_API_RATE = os.environ.get("ECOTONE_API_RATE", "600/m")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ECOTONE_LOG_LEVEL", "WARNING")},
}
