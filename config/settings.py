"""One settings module for every environment, driven by environment variables.

Embedded defaults (SQLite, in-process tasks, local-memory cache) need nothing
installed; production differs only by variables (see docker-compose.yml).
"""

import hashlib
import hmac
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
        "(the development key is refused)."
    )

# The audit chain's key (HMAC-SHA256): never stored in the database, so that whoever can write
# the audit tables cannot forge a chain that verifies. The development key, derived from the
# secret key, is refused when DEBUG is off, as the development secret key is; a production key
# is at least 32 characters and differs from the secret key.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")
if not DEBUG and (not AUDIT_CHAIN_KEY or len(AUDIT_CHAIN_KEY) < 32 or AUDIT_CHAIN_KEY == SECRET_KEY):
    raise ImproperlyConfigured(
        "AUDIT_CHAIN_KEY must be set when DJANGO_DEBUG is off: at least 32 characters, not the "
        "secret key (the development key derived from the secret key is refused)."
    )
if not AUDIT_CHAIN_KEY:
    AUDIT_CHAIN_KEY = hmac.new(SECRET_KEY.encode(), b"dnapes-audit-chain-development", hashlib.sha256).hexdigest()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "core.error_pages.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Project apps, lowest layer first (imports only run downward).
    "accounts",
    "prisons",
    "inmates",
    "detention",
    "casework",
    "followup",
    "intake",
    "registers",
    "oversight",
    "sync",
    "demo",
]

MIDDLEWARE = [
    # Compressed pages for slow links (a long roll: 250 KB of HTML → 20 KB sent). Django's
    # GZipMiddleware pads each response against BREACH-style guessing; CSRF tokens are masked.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.NoStoreMiddleware",
    "core.middleware.JsonDepthLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SlidingSessionMiddleware",
    "accounts.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "accounts.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "sync.context.exchange",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.staff",
            ],
            # `core` is a kit, not an app: its template filters are named here.
            "libraries": {"money": "core.templatetags.money"},
        },
    },
]

# The application connects with DATABASE_URL; on PostgreSQL in production that is a role that may
# only INSERT and SELECT the audit trail (`manage.py grant_app_role`). Migrations connect as the
# schema's owner, DATABASE_MIGRATE_URL (same database), when it is set (see accounts/dbroles.py).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASE_MIGRATE_URL = env.str("DATABASE_MIGRATE_URL", default="")
DATABASE_OWNER = env.db_url_config(DATABASE_MIGRATE_URL) if DATABASE_MIGRATE_URL else None
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout so that the demo server and a management command can share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "accounts.backends.AccessProfileBackend",  # Django's ModelBackend, permissions from accounts.access
]
# Between requests, an account's roles, permissions and prisons are kept in the cache; every
# change to them starts a new generation at once (accounts.access). This is only a backstop.
ACCESS_CACHE_SECONDS = env.int("ACCESS_CACHE_SECONDS", default=300)
# Failed-login lockout (django-axes), on both doors (login page and API token): 5 failures for
# one username from one address, or 20 failures from one address whatever the usernames (a
# password spray), lock for 30 minutes; an administrator can lift it (`manage.py axes_reset_ip`,
# `axes_reset_username`). The client address is the one the trusted proxy saw (client_ip).
AXES_USER_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.request_context.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Reverse proxies in front of the application that append to X-Forwarded-For: 0 → the client
# address is REMOTE_ADDR; 1 → the right-most X-Forwarded-For entry (what that proxy saw); N →
# the N-th from the right. Entries further left are chosen by the client and never trusted.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Second factor (TOTP, django-otp): required for system administrators and DNAPES managers
# (national access) whenever OTP_REQUIRED is on — by default in production (DEBUG off).
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "DNAPES"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions expire after inactivity (shared terminals in registry offices).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 4)
# The expiry slides with activity without a session write on every request: the session is
# saved again at most once per SESSION_REFRESH_SECONDS (accounts.middleware.SlidingSessionMiddleware),
# so a session ends between SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after
# the last request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Bamako"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files (photos, fingerprints, scans) are never served publicly: MEDIA_ROOT is
# outside the static tree and no URL maps onto it; views that check access serve them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "private_media")
# Intake: an arrival with no step completed for this long is shown as stalled; upload limit.
INTAKE_STALL_HOURS = env.int("INTAKE_STALL_HOURS", default=48)
INTAKE_MAX_UPLOAD_MB = env.int("INTAKE_MAX_UPLOAD_MB", default=5)
# Images larger than this many pixels (width × height, in millions) are refused: a small file
# can hold a huge image (a decompression bomb) that staff browsers would then have to draw.
INTAKE_MAX_IMAGE_MEGAPIXELS = env.int("INTAKE_MAX_IMAGE_MEGAPIXELS", default=40)

# Security headers. Strict CSP: no inline scripts or styles.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check speaks plain HTTP inside the stack
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

REST_FRAMEWORK = {
    # Token first: a request without credentials gets 401 with `WWW-Authenticate: Token`
    # (DRF answers with the first class's header); a browser session works as before.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.StrictFilterBackend",
        "core.filters.StrictOrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
# API tokens (django-rest-knox): stored hashed, one per device (each sign-in issues its own),
# valid API_TOKEN_TTL_HOURS (the working day), revoked on API logout, logout-all, sign-out
# from the pages, password change and deactivation of the account. Header: `Token <token>`.
API_TOKEN_TTL_HOURS = env.float("API_TOKEN_TTL_HOURS", default=8)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}
# JSON bodies nested deeper than this are refused (400) before they are parsed.
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)

SPECTACULAR_SETTINGS = {
    "TITLE": "DNAPES — API de gestion des dossiers pénitentiaires",
    "DESCRIPTION": "Case-management API for Mali's prison administration (DNAPES).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Schema and documentation for signed-in staff only; Swagger UI served from the
    # sidecar package (no CDN) and its start-up script as a separate file (strict CSP).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.add_generic_error_responses",
        "core.schema.type_path_ids",
        "core.schema.require_version_on_patch",
        "core.schema_links.add_openapi_links",
    ],
    # Several models have a `kind` or `status` with their own choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "FacilityKindEnum": "prisons.models.FacilityKind",
        # Background exports (oversight/export_api.py).
        "ExportKindEnum": "oversight.models.ExportKind",
        "ExportFormatEnum": "oversight.models.ExportFormat",
        "ExportStatusEnum": "oversight.models.ExportStatus",
        # Individual follow-up (followup/api.py).
        "DecisionKindEnum": "followup.models.DecisionKind",
        "ProviderKindEnum": "followup.models.ProviderKind",
        "MemberRoleEnum": "followup.models.MemberRole",
        "ChecklistTopicEnum": "followup.models.ChecklistTopic",
        "ChecklistBasisEnum": "followup.models.ChecklistBasis",
        "VersionStatusEnum": "followup.models.VersionStatus",
        "PlanStatusEnum": "followup.models.PlanStatus",
        "GoalStatusEnum": "followup.models.GoalStatus",
        "LegalStatusEnum": "inmates.models.LegalStatus",
        "FacilityStatusEnum": "prisons.models.FacilityStatus",
        "UnitKindEnum": "prisons.models.UnitKind",
        "UnitCategoryEnum": "prisons.models.UnitCategory",
        "AliasKindEnum": "inmates.models.AliasKind",
        "PriorCustodyKindEnum": "inmates.models.PriorCustodyKind",
        "CustodyStatusEnum": "inmates.models.CustodyStatus",
        "CourtKindEnum": "casework.models.CourtKind",
        "OrderKindEnum": "casework.models.OrderKind",
        "HearingKindEnum": "casework.models.HearingKind",
        "ChargeStatusEnum": "casework.models.ChargeStatus",
        "PeriodUnitEnum": "casework.models.PeriodUnit",
        # Movements (inmates/api.py) and life inside (detention/api.py).
        "VisitorKindEnum": "detention.models.VisitorKind",
        "ActivityKindEnum": "detention.models.ActivityKind",
        "ReleaseReasonEnum": "inmates.models.ReleaseReason",
        "RegimeEnum": "prisons.models.Regime",
        "AcknowledgementEnum": "inmates.models.ReceiptAcknowledgement",
        "TransferStatusEnum": "inmates.models.TransferStatus",
        "ComplaintStatusEnum": "detention.models.ComplaintStatus",
        # Release on time (casework/releases/api.py, inmates/death_api.py).
        "ReleaseOrderKindEnum": "casework.models.ReleaseOrderKind",
        "NotificationMethodEnum": "inmates.models.NotificationMethod",
        # Presentations without a valid title (intake/presentations/api.py).
        "PresentationOutcomeEnum": "intake.models.PresentationOutcome",
        "HearingOutcomeEnum": "casework.models.HearingOutcome",
        "ArrestingForceEnum": "inmates.models.ArrestingForce",
        # Accounts from outside the prison service (oversight/monitor_api.py, casework/court_portal/api.py).
        "MonitorBodyEnum": "accounts.models.MonitorBody",
        "SubmissionKindEnum": "casework.models.SubmissionKind",
        "SubmissionStatusEnum": "casework.models.SubmissionStatus",
        "AlertKindEnum": "casework.models.AlertKind",
        # Requests to see one's own file (oversight/own_file_api.py).
        "OwnFileChannelEnum": "oversight.models.OwnFileChannel",
        "ChannelEnum": "detention.models.ComplaintChannel",
        "OwnFileRequesterEnum": "oversight.models.OwnFileRequester",
        # Searches and use of force (detention/search_api.py).
        "SexEnum": "inmates.models.Sex",
        "SearchKindEnum": "detention.models.searches.SearchKind",
        "ForceReasonEnum": "detention.models.searches.ForceReason",
        "IsolationReasonEnum": "detention.models.discipline.IsolationReason",
        # Serious incidents and injuries (detention/incident_api.py).
        "IncidentKindEnum": "detention.models.incidents.IncidentKind",
        "InvolvementPartEnum": "detention.models.incidents.InvolvementPart",
    },
}

# Celery: without a broker, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# When the broker (Redis) is down, a page that enqueues follow-up work must not hang or fail:
# publishing gives up quickly, the caller logs it, and the nightly sweep catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {}

# Pre-trial deadlines (LAW.md): the nightly sweep, Africa/Bamako time, and its thresholds.
DEADLINE_SWEEP_HOUR = env.int("DEADLINE_SWEEP_HOUR", default=2)
DEADLINE_SWEEP_MINUTE = env.int("DEADLINE_SWEEP_MINUTE", default=30)
DEADLINE_APPROACHING_DAYS = env.int("DEADLINE_APPROACHING_DAYS", default=15)
DEADLINE_NO_HEARING_DAYS = env.int("DEADLINE_NO_HEARING_DAYS", default=90)
CELERY_BEAT_SCHEDULE["nightly-deadline-sweep"] = {
    "task": "casework.tasks.nightly_deadline_sweep",
    "schedule": crontab(hour=DEADLINE_SWEEP_HOUR, minute=DEADLINE_SWEEP_MINUTE),
}
# The nightly sweep touches only the cases whose alerts change that day; once a week (Sunday, an
# hour later) every deadline is recomputed from the records and every case swept: the safety net.
CELERY_BEAT_SCHEDULE["weekly-full-deadline-sweep"] = {
    "task": "casework.tasks.weekly_full_sweep",
    "schedule": crontab(hour=(DEADLINE_SWEEP_HOUR + 1) % 24, minute=DEADLINE_SWEEP_MINUTE, day_of_week=0),
}

# Release on time (LAW.md "Release", Rule 7(e)): a release order not executed within this many
# hours is a late release; sentences ending within this many days raise an alert. The release
# sweep runs hourly (a delay in hours needs more than the nightly pass).
RELEASE_LATE_AFTER_HOURS = env.int("RELEASE_LATE_AFTER_HOURS", default=24)
SENTENCE_ENDING_DAYS = env.int("SENTENCE_ENDING_DAYS", default=30)
# Preparing release (followup): a reintegration checklist opens this many months before a
# foreseeable release, and for a person untried after this many months of pre-trial detention.
FOLLOWUP_REINTEGRATION_MONTHS = env.int("FOLLOWUP_REINTEGRATION_MONTHS", default=6)
FOLLOWUP_LONG_PRETRIAL_MONTHS = env.int("FOLLOWUP_LONG_PRETRIAL_MONTHS", default=12)
CELERY_BEAT_SCHEDULE["hourly-release-sweep"] = {
    "task": "casework.tasks.sweep_releases",
    "schedule": crontab(minute=10),
}

# Oversight: the day's occupancy snapshot (for the trend), late evening Africa/Bamako time.
CELERY_BEAT_SCHEDULE["daily-occupancy-snapshot"] = {
    "task": "oversight.tasks.snapshot_occupancy",
    "schedule": crontab(hour=env.int("OCCUPANCY_SNAPSHOT_HOUR", default=23), minute=50),
}
# Followup: the night's follow-up counts (the aggregates' trend month by month), just after.
CELERY_BEAT_SCHEDULE["daily-followup-snapshot"] = {
    "task": "oversight.tasks.snapshot_followup",
    "schedule": crontab(hour=env.int("OCCUPANCY_SNAPSHOT_HOUR", default=23), minute=55),
}

# Personal data (LAW.md, Loi n°2013-015): files are kept while held and this many years after
# the last release, then archived read-only for national roles (inmates/retention.py), daily.
RECORD_RETENTION_YEARS_AFTER_RELEASE = env.int("RECORD_RETENTION_YEARS_AFTER_RELEASE", default=10)
CELERY_BEAT_SCHEDULE["daily-retention"] = {
    "task": "inmates.tasks.apply_retention",
    "schedule": crontab(hour=env.int("RETENTION_HOUR", default=3), minute=15),
}
# Backups (`make backup` / `make restore`, accounts/backup.py): timestamped archives here.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")

# The audit trail's chain (accounts/chain.py): entries are sealed every minute by beat (and by
# `manage.py seal_audit_chain`); a checkpoint of the chain head at most every
# AUDIT_CHECKPOINT_MINUTES, in the database and appended to AUDIT_CHECKPOINT_FILE (outside the
# database: keep it append-only, e.g. `chattr +a`, or on another machine). An entry left
# unsealed longer than AUDIT_SEAL_MAX_DELAY_MINUTES is reported by `verify_audit_chain`.
AUDIT_CHECKPOINT_FILE = env.str("AUDIT_CHECKPOINT_FILE", default=str(BASE_DIR / "var" / "audit-checkpoints.jsonl"))
AUDIT_CHECKPOINT_MINUTES = env.int("AUDIT_CHECKPOINT_MINUTES", default=5)
AUDIT_SEAL_MAX_DELAY_MINUTES = env.int("AUDIT_SEAL_MAX_DELAY_MINUTES", default=10)
AUDIT_SEAL_LOOKBACK_HOURS = env.int("AUDIT_SEAL_LOOKBACK_HOURS", default=24)
CELERY_BEAT_SCHEDULE["seal-audit-chain"] = {
    "task": "accounts.tasks.seal_audit_chain",
    "schedule": 60.0,
}

# A server per prison, synchronised with the national server (sync/, issue 12). One code base,
# one setting: "single" (the default, `make run`: one all-in-one site, no exchange), "national"
# (every prison's records, reference data, where transfers meet) or "prison" with SITE_FACILITY
# (the prison's code): works without the national server, exchanges when the link allows.
SITE_MODE = env.str("SITE_MODE", default="single")
SITE_FACILITY = env.str("SITE_FACILITY", default="")
if SITE_MODE not in ("single", "national", "prison"):
    raise ImproperlyConfigured("SITE_MODE must be single, national or prison.")
if SITE_MODE == "prison" and not SITE_FACILITY:
    raise ImproperlyConfigured("SITE_MODE=prison needs SITE_FACILITY (the prison code, e.g. BKO).")
SYNC_NATIONAL_URL = env.str("SYNC_NATIONAL_URL", default="")
SYNC_SITE_TOKEN = env.str("SYNC_SITE_TOKEN", default="")
SYNC_CHUNK_SIZE = env.int("SYNC_CHUNK_SIZE", default=500)
SYNC_MAX_PUSH_BYTES = env.int("SYNC_MAX_PUSH_BYTES", default=8 * 1024 * 1024)
SYNC_SILENT_AFTER_HOURS = env.int("SYNC_SILENT_AFTER_HOURS", default=24)
if SITE_MODE == "prison":
    CELERY_BEAT_SCHEDULE["sync-exchange"] = {"task": "sync.tasks.exchange_with_national",
                                             "schedule": env.float("SYNC_EVERY_SECONDS", default=60.0)}
if SITE_MODE == "national":
    CELERY_BEAT_SCHEDULE["sync-silent-prisons"] = {"task": "sync.tasks.alert_silent_prisons",
                                                   "schedule": crontab(minute=5)}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="dnapes-noreply@justice.gouv.ml")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
