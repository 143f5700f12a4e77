"""Settings for unionportal, read from the environment (see README, "Configuration")."""

from __future__ import annotations

from base64 import b64encode
from datetime import timedelta
from hashlib import sha256
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from unionportal.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off (set DJANGO_DEBUG=1 for local development)."
        )
    # Only for a developer's own machine: debug is on, nothing is served publicly.
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # The second factor (apps/accounts/two_factor.py): authenticator-app codes and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "csp",
    # Before django_tasks_db: its `db_worker` command is apps.core's, which adds a heartbeat.
    "apps.core",
    "django_tasks",
    "django_tasks_db",
    "apps.accounts",
    "apps.unions",
    "apps.union_groups",
    "apps.members",
    "apps.meetings",
    "apps.imports",
    "apps.portal",
    "apps.dashboard",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files (admin, site CSS, Chart.js) in production, before any
    # middleware that would read the session or the database for them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # With a replica (DATABASE_REPLICA_URL), says which requests may read from it; see apps/core/replica.py.
    "apps.core.replica.ReplicaReadsMiddleware",
    # One log line per request (static files aside), timed from here; see apps/accounts/request_log.py.
    "apps.accounts.request_log.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Says whether the session has passed the second factor (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "apps.accounts.middleware.IdleTimeoutMiddleware",
    # Every request passes here: a session still owing its one-time code reaches no other page.
    "apps.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Puts the signed-in user on every history row a request writes.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "unionportal.urls"
WSGI_APPLICATION = "unionportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.dashboard.navigation.site_navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        BASE_DIR / "var" / "unionportal.sqlite3",
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=0),
    )
}
# A streaming replica of the primary (docs/DEPLOY.md, "More than one server"): GET requests
# read from it, everything else and every write uses the primary (apps/core/replica.py).
if env_str("DATABASE_REPLICA_URL").strip():
    DATABASES["replica"] = env_database(
        "DATABASE_REPLICA_URL",
        BASE_DIR / "var" / "unionportal.sqlite3",
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=0),
    )
    DATABASE_ROUTERS = ["apps.core.replica.ReplicaRouter"]  # apps.core.replica.ROUTER
# PgBouncer in transaction pooling hands each transaction to any server connection: a cursor
# kept open between transactions (what QuerySet.iterator() uses on PostgreSQL, for exports)
# would be lost, so Django reads those in one go instead (docs/DEPLOY.md, "PgBouncer").
if env_bool("DATABASE_BEHIND_PGBOUNCER"):
    for _database in DATABASES.values():
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
# After a browser writes, its reads stay on the primary this long (seconds): longer than the
# replica ever lags, so people see their own changes at once.
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10, minimum=0)
# Seconds a web request's SQL statement may run on PostgreSQL (0: no limit); applied by
# unionportal/wsgi.py only, so that management commands are never cut off.
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 30, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out login is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Password sign-in; permissions come from the role only (apps.accounts.permissions).
    "apps.accounts.backends.PortalUserBackend",
    "apps.accounts.permissions.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "admin:login"

# One cache shared by every worker process and host: the database's. Its only user so far is
# the door sign-in's count of failed attempts (apps/meetings/views/sign_in.py), which must be
# one count, not one per gunicorn worker. The table comes with migration core/0002.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "core_cache",
    }
}

# Login lockout (django-axes): per username *and* address, with a cool-off, never forever.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.locked_out"
AXES_VERBOSE = False
# Behind the proxy the client's address comes from the header the proxy adds; see the callable.
AXES_CLIENT_IP_CALLABLE = "apps.accounts.client_address.client_ip_address"

# Second factor (apps/accounts/two_factor.py): district staff and superusers sign in with a
# one-time code from an authenticator app. On by default in production; off in development
# (`make run`, the demo) and in the test suite, which turns it on where it tests it. Chairs
# and leaders may opt in from their account page either way.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = env_str("TWO_FACTOR_ISSUER", "Công đoàn")
# After each wrong code the next is refused for 1, 2, 4, 8 … seconds (per device, django-otp),
# on top of the sign-in lockout that wrong codes count towards.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions end after this long without a request (see accounts.middleware).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30))
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE_SECONDS", 12 * 60 * 60)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Django's bundled "vi" formats are wrong for Vietnamese (see unionportal/formats/vi).
FORMAT_MODULE_PATH = ["unionportal.formats"]
USE_THOUSAND_SEPARATOR = True
# Outside a request (imports, commands) Django falls back to these: day first as well.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed from npm by `make install` (package.json), never copied in.
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    # Pico CSS, the look of the portal's own pages (templates/base.html), never of the admin's.
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
]
# `manage.py collectstatic --noinput` gathers them here at each deploy; WhiteNoise serves them
# under names carrying a hash of their content (cached for a year) and pre-compressed.
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded meeting documents are kept here and never served from here: every link goes
# through the scoped download page (apps.meetings.models.DocumentFieldFile), in every mode.
MEDIA_URL = "media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"

# `manage.py backup` writes its sets here (docs/BACKUPS.md) and keeps the newest BACKUP_KEEP.
BACKUP_DIR = Path(env_str("BACKUP_DIR") or BASE_DIR / "var" / "backups")
BACKUP_KEEP = env_int("BACKUP_KEEP", 14, minimum=1)

# The admin list pages show "page X of Y"; on large tables we never ask for a full COUNT.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# One proxy (nginx) in front sets X-Forwarded-Proto and appends the client's address to
# X-Forwarded-For; both headers are trusted only when this says the proxy is there.
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=True)
    # The health check answers probes on plain HTTP too (nginx's, the machine's own).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"


def _inline_attribute_hashes(*values: str) -> list[str]:
    """CSP source expressions that allow exactly these attribute values (with 'unsafe-hashes')."""
    return [f"'sha256-{b64encode(sha256(value.encode()).digest()).decode()}'" for value in values]


# Content-Security-Policy (django-csp): the browser runs only our own script files and
# loads nothing from elsewhere, so an injected <script> or on*= handler does nothing. The
# pages pass data to their scripts with json_script (a JSON block, not a script).
# One third-party template still writes an attribute inline: django-simple-history's history
# list (one style attribute). That exact value, and no other, is allowed by its hash rather
# than copying the template to rewrite it; tests/e2e/test_content_security_policy.py fails if a
# page needs anything else. (django-import-export's export page needed three; no page uses it now.)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [
            UNSAFE_HASHES,
            *_inline_attribute_hashes("border-top: 0"),
        ],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Background jobs (django-tasks, the backport of Django 6's tasks): queued in the database, run
# by `manage.py db_worker` (`make run` starts one; README, "Running in production").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# An uploaded sheet up to this size is previewed and imported inside the request (a few
# seconds at most); a larger one runs as a background job with a progress page.
IMPORTS_INLINE_MAX_BYTES = env_int("IMPORTS_INLINE_MAX_BYTES", 512 * 1024, minimum=0)
# Each worker records that it is alive this often (seconds); after four missed beats it is
# taken for dead: /healthz answers 503 and an import it held may be started again.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15, minimum=1)

# The thresholds of the charter checks (apps/dashboard/checks.py reads them, and only it) and
# of the home page's lists. The kept per-federation counts follow a change after
# `manage.py refresh_figures --rebuild`.
PORTAL_WARNINGS = {
    # A CĐCS with fewer members than this needs attention (the charter's minimum).
    "minimum_members": 5,
    # Below this membership ratio (members per hundred workers).
    "ratio_threshold": 80,
    # A workforce declaration older than this many days is stale.
    "declaration_max_age_days": 365,
    # How many entries each list of the staff home page shows before "and N more".
    "home_list_length": 10,
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Logs go to stderr (journald keeps them under systemd): one JSON object a line in production,
# plain text for a developer. Every line written during a request names its user and client
# address (apps/core/logs.py); the portal's own events (requests, sign-ins, imports, exports,
# views of whole ID numbers) are logged at INFO whatever DJANGO_LOG_LEVEL says of the rest.
LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "apps.core.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "apps.core.logs.JsonFormatter"},
        "text": {"()": "apps.core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_context"]},
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"unionportal": {"level": "INFO"}},
}
# Import needs the right to add, export the right to view, checked per model by role.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# History is an audit trail, never an undo button: reverting would bypass the services.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = False
