"""Settings for nemid-cases, driven by environment variables.

Local defaults run everything embedded (SQLite in WAL mode, Celery on kombu's
filesystem transport). Production sets DATABASE_URL, CELERY_BROKER_URL and the
secrets; there is no separate production module.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("NEMID_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The fallback key only ever signs local sessions; `make` writes a random one
# to .env and production must set its own.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-only-key")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Form widgets render through TEMPLATES, so templates/django/forms/
    # can say what an empty choice means instead of "---------".
    "django.forms",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "accounts",
    "enquiries",
    "stakeholders",
    "actions",
    "analytics",
    "feedback",
    "reports",
    "dashboards",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "nemid_cases.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "nemid_cases.urls"
WSGI_APPLICATION = "nemid_cases.wsgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE takes
    # the write lock up front so concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # A file, not :memory:, so a real Celery worker in the integration tests
    # sees the rows the test committed.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
# django-filter's empty choice reads "Any" ("Alle"), never "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("Any")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="nemid-cases@localhost")
# Used by the file-based backend (the integration tests read mail there).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The SMTP server (with DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)

# CPR numbers are stored only encrypted (Fernet; several comma-separated keys
# allow rotation, the first encrypts) plus an HMAC for exact look-up.
CPR_ENCRYPTION_KEYS = env.list("CPR_ENCRYPTION_KEYS", default=[])
CPR_HASH_KEY = env.str("CPR_HASH_KEY", default="")

REST_FRAMEWORK = {
    # Token first: the first class names the challenge, so an anonymous
    # request gets 401 with `WWW-Authenticate: Token` rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "nemid_cases.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "nemid-cases API",
    "DESCRIPTION": "Citizen enquiries, stakeholders and actions of the NemID taskforce.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags and operation ids by resource (enquiries_list), not by version.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # One schema name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "enquiries.models.Enquiry.Status",
        "ChannelEnum": "enquiries.models.Channel",
        "RecommendationStatusEnum": "stakeholders.models.Recommendation.Status",
        "ActionStatusEnum": "actions.models.Action.Status",
    },
    # The schema and Swagger UI need a login, like everything else.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_FILESYSTEM_DIR = Path(env.str("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "celery")))
# A publish without retry fails at once when the broker is down (the
# request goes on; the periodic sweeps catch up) instead of retrying for
# seconds: `max_retries` 0 applies to publishing only, the worker's consumer
# reconnects by `broker_connection_max_retries`.
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"max_retries": 0}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(CELERY_FILESYSTEM_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_DIR / "queue"),
        "control_folder": str(CELERY_FILESYSTEM_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        # An unacknowledged (acks_late) task of a killed worker comes back
        # after this many seconds.
        "visibility_timeout": 1800,
        # Prefixed to every Redis key, so installations (or test runs) can
        # share one Redis database without taking each other's tasks.
        "global_keyprefix": env.str("CELERY_BROKER_KEY_PREFIX", default=""),
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_DEFAULT_QUEUE = "default"
# Named queues, so each kind of work can run on its own workers.
CELERY_TASK_ROUTES: dict[str, dict[str, str]] = {
    "enquiries.tasks.escalate_*": {"queue": "escalation"},
    "actions.tasks.escalate_*": {"queue": "escalation"},
    "enquiries.tasks.deliver_notifications": {"queue": "notifications"},
    "analytics.*": {"queue": "statistics"},
}
# Every periodic job, in one place. Exactly one beat runs in production.
# `expires` drops runs that waited longer than one period (workers down), so
# a backlog of identical sweeps never piles up.
SLA_SWEEP_SECONDS = env.int("SLA_SWEEP_SECONDS", default=300)
NOTIFICATION_SWEEP_SECONDS = env.int("NOTIFICATION_SWEEP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Catch-up for dirty days whose own enqueue was lost (broker down).
    "recompute-topic-shares": {
        "task": "analytics.recompute_topic_shares",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    "escalate-overdue-enquiries": {
        "task": "enquiries.tasks.escalate_overdue_enquiries",
        "schedule": SLA_SWEEP_SECONDS,
        "options": {"expires": SLA_SWEEP_SECONDS},
    },
    "escalate-overdue-actions": {
        "task": "actions.tasks.escalate_overdue_actions",
        "schedule": SLA_SWEEP_SECONDS,
        "options": {"expires": SLA_SWEEP_SECONDS},
    },
    "deliver-notifications": {
        "task": "enquiries.tasks.deliver_notifications",
        "schedule": NOTIFICATION_SWEEP_SECONDS,
        "options": {"expires": NOTIFICATION_SWEEP_SECONDS},
    },
}

# Deadlines count business time only (enquiries/sla.py): these hours on these
# weekdays (0 = Monday) in this zone, minus the country's holidays in the
# given categories of the `holidays` library. For Denmark "optional" adds
# Grundlovsdag, Christmas Eve, New Year's Eve and 1 May.
SLA_CALENDAR = {
    "TIME_ZONE": env.str("SLA_TIME_ZONE", default=TIME_ZONE),
    "WORKDAYS": env.list("SLA_WORKDAYS", cast=int, default=[0, 1, 2, 3, 4]),
    "OPENS": env.str("SLA_OPENS", default="08:00"),
    "CLOSES": env.str("SLA_CLOSES", default="16:00"),
    "HOLIDAY_COUNTRY": env.str("SLA_HOLIDAY_COUNTRY", default="DK"),
    "HOLIDAY_CATEGORIES": env.list("SLA_HOLIDAY_CATEGORIES", default=["public", "optional"]),
}
# The team lead's page lists enquiries due within this much business time.
SLA_AT_RISK_MINUTES = env.int("SLA_AT_RISK_MINUTES", default=120)
# Level 2 (the queue's manager) follows level 1 after this much business
# time unless the enquiry's SLA policy says otherwise.
SLA_MANAGER_DELAY_MINUTES = env.int("SLA_MANAGER_DELAY_MINUTES", default=240)
SLA_ESCALATION_BATCH_SIZE = env.int("SLA_ESCALATION_BATCH_SIZE", default=1000)
SLA_ESCALATION_MAX_BATCHES = env.int("SLA_ESCALATION_MAX_BATCHES", default=5)
# An overdue action goes to its responsible person, and this many days later
# to the secretariat.
ACTION_ESCALATION_SECRETARIAT_AFTER_DAYS = env.int(
    "ACTION_ESCALATION_SECRETARIAT_AFTER_DAYS", default=7
)

# Topic shares: seconds between a new dirty-day mark and its recompute, so a
# burst of changes is counted in one run. Alerts: see analytics/patterns.py.
ANALYTICS_RECOMPUTE_COUNTDOWN = env.int("ANALYTICS_RECOMPUTE_COUNTDOWN", default=5)
ANALYTICS_ALERTS = {
    "BASIS": "mention",
    "BASELINE_WEEKS": 6,
    "MIN_BASELINE_WEEKS": 3,
    "MIN_VOLUME": 10,
    "P_VALUE": 0.001,
    "MIN_RATIO": 1.5,
    "MIN_EXPECTED": 0.5,
    "SHARE_Z": 3.0,
    "MIN_SHARE_POINTS": 5.0,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"redact_cpr": {"()": "nemid_cases.logging.RedactCprFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_cpr"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# Meeting attachments: the largest file accepted (bytes). Files live under
# MEDIA_ROOT with random names and are served only by a permission-checked
# view; MEDIA_URL is deliberately not routed.
STAKEHOLDER_ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# The citizen's rating link (feedback.services.rating_link) works this long.
FEEDBACK_RATING_LINK_MAX_AGE_DAYS = env.int("FEEDBACK_RATING_LINK_MAX_AGE_DAYS", default=30)
# Exports read this many rows per query (keyset chunks) while streaming.
EXPORT_CHUNK_SIZE = env.int("EXPORT_CHUNK_SIZE", default=2000)
