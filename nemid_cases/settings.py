"""Settings for nemid-cases, driven by environment variables.

Local defaults run everything embedded (SQLite in WAL mode, Celery on kombu's
filesystem transport). Production sets DATABASE_URL, CELERY_BROKER_URL and the
secrets; there is no separate production module.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("NEMID_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The fallback key may only sign sessions of a debug run on one's own
# machine; `make` writes a random key to .env and production sets its own.
INSECURE_SECRET_KEY = "insecure-local-only-key"  # noqa: S105 - refused without debug
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or INSECURE_SECRET_KEY
if SECRET_KEY == INSECURE_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Set it to a long random value (production), "
        "or run `make .env`, which writes a random one to .env (local use)."
    )
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
    "drf_spectacular_sidecar",
    "csp",
    "axes",
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
    "privacy",
    "operations",
    "notices",
    "problems",
    "answers",
    "mailroom",
    "knowledge",
    "seed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The public status feeds, answered from the cache before anything else
    # runs (no session, user or CSP): polling them must cost almost nothing.
    "notices.middleware.StatusFeedMiddleware",
    # Static files leave here, with whitenoise's own caching headers.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A read whose database connection dropped runs once more (a restart of
    # PostgreSQL); what still fails is the 503 of nemid_cases/errors.py.
    "nemid_cases.outage.RetryReadsMiddleware",
    # Everything below is dynamic: no-store unless a view says otherwise,
    # Permissions-Policy, and the Content-Security-Policy.
    "nemid_cases.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Dashboards, reports and exports read from DATABASE_REPLICA_URL when it
    # is set, except for a browser that has just written (nemid_cases.replica).
    "nemid_cases.replica.ReplicaReadsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "nemid_cases.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Danish unless the user (or, logged out, the language switch) chose
    # otherwise; replaces LocaleMiddleware, which follows the browser.
    "accounts.middleware.UserLanguageMiddleware",
    "nemid_cases.middleware.StyledErrorsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as axes asks: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
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
                "operations.context_processors.background_status",
                "notices.context_processors.incident_banner",
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


def postgresql_options(database: dict) -> dict:
    """psycopg 3's pool and prepared statements, from the environment.

    DB_POOL_MAX_SIZE > 0 gives each process a pool (psycopg_pool) instead
    of one persistent connection; it is opened on first use, after a fork,
    so gunicorn's and Celery's forked children never share one. With
    DB_SERVER_SIDE_BINDING on, queries are sent with their parameters
    apart, and one run DB_PREPARE_THRESHOLD times on a connection is
    prepared once and no longer planned: for the web tier, whose pages
    spent more of PostgreSQL's time planning than reading; not for the
    Celery workers, whose batch queries went 2.5x slower on the generic
    plans PostgreSQL switches to after five runs (docs/operations.md).

    DB_PARALLEL_WORKERS (default 0) caps the workers one query may start.
    A parallel plan spends two more processes to answer one person sooner;
    on a busy box they take the cores from everyone else, and a page's
    LIMIT 25 over a filter let the workers read thousands of rows the
    page never showed (a search: 128 ms with two workers, 15 ms without).
    """
    options = database.setdefault("OPTIONS", {})
    parallel = f"-c max_parallel_workers_per_gather={env.int('DB_PARALLEL_WORKERS', default=0)}"
    options["options"] = " ".join(filter(None, [options.get("options", ""), parallel]))
    if env.bool("DB_SERVER_SIDE_BINDING", default=False):
        options["server_side_binding"] = True
        options["prepare_threshold"] = env.int("DB_PREPARE_THRESHOLD", default=5)
    pool_size = env.int("DB_POOL_MAX_SIZE", default=0)
    if pool_size > 0:
        options["pool"] = {
            "min_size": min(env.int("DB_POOL_MIN_SIZE", default=1), pool_size),
            "max_size": pool_size,
            "timeout": env.float("DB_POOL_TIMEOUT", default=3.0),
        }
        # The pool replaces persistent connections: Django refuses both.
        database["CONN_MAX_AGE"] = 0
    else:
        database.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", 60))
    # With a pool, Django has it check a connection before handing it out
    # (a connection the server dropped while idle, as after a restart).
    database["CONN_HEALTH_CHECKS"] = True
    return database


if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    postgresql_options(DATABASES["default"])
# A PostgreSQL streaming replica (hot standby) of the primary, for the heavy
# read-only pages (docs/operations.md): dashboards, reports and exports read
# from it; the desk, the API and every write stay on the primary, and a
# browser that wrote reads the primary for REPLICA_PIN_SECONDS after.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = postgresql_options(env.db("DATABASE_REPLICA_URL"))
    # Tests run on one database: the replica alias reads the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["nemid_cases.replica.ReplicaRouter"]
REPLICA_READ_NAMESPACES = ["dashboards", "reports", "exports"]
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=30)
# Seconds a client is asked to wait (Retry-After) when the database is away.
DATABASE_RETRY_AFTER = env.int("DATABASE_RETRY_AFTER", default=5)

CACHES = {
    # Local memory per process by default; set CACHE_URL (or REDIS_URL) to
    # share the API throttles' counters between processes and machines.
    "default": env.cache(
        "CACHE_URL", default=env.str("REDIS_URL", default="locmemcache://nemid-cases")
    )
}
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="nemid")
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # Django's 300 entries would hold the kept permissions of 300 people and
    # nothing else: with the 2010 floor of 270 agents each process would
    # throw a third away again and again (accounts.access). A few kB each.
    CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = env.int(
        "CACHE_MAX_ENTRIES", default=10_000
    )
# How long the dashboard's figures of one scope and data version are kept
# (dashboards.cache). A change of the data moves the key at once; this only
# bounds how long entries nobody asks for any more take room.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=900)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses any login of a locked-out user or address, before checking.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, each user's permissions kept in the cache
    # until what they may do changes (accounts.access).
    "nemid_cases.auth.CachedModelBackend",
]
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
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "nemid_cases.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Addresses hold references and filters: never send them to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: where TLS ends at a proxy in front, it sets X-Forwarded-Proto and
# DJANGO_SECURE_PROXY_SSL_HEADER=true lets Django trust it. HSTS and the
# redirect are off until the site is served over HTTPS (see the README).
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# The load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Proxies in front that append to X-Forwarded-For (0: use the peer's
# address). The login lock-out and the API throttles count per address.
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)

# Browser features no page uses are switched off for every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
    )
}
# Scripts and styles come from /static/ only: no inline <script>, style
# attribute or event handler anywhere (tests/test_headers.py walks the pages).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Swagger UI draws its icons from data: URIs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login lock-out (django-axes): a user name after LOGIN_FAILURE_LIMIT
# failures, an address (a call centre may share one) after
# LOGIN_ADDRESS_FAILURE_LIMIT, for LOGIN_LOCKOUT_MINUTES or until an
# administrator deletes the access attempts in the admin.
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
# No banner on every start-up (manage.py commands, workers).
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_IPWARE_PROXY_COUNT = NUM_PROXIES or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if NUM_PROXIES else ("REMOTE_ADDR",)
)

# Every message is masked for CPR numbers (nemid_cases.mail), then sent by
# DJANGO_EMAIL_BACKEND.
EMAIL_BACKEND = "nemid_cases.mail.RedactingEmailBackend"
EMAIL_DELIVERY_BACKEND = env.str(
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
# The right-hand side of outgoing Message-IDs: <NID-2026-000041.k3j4h5qz@domain>,
# so a citizen's reply threads to its enquiry (answers, and inbound mail).
MAIL_MESSAGE_ID_DOMAIN = env.str("MAIL_MESSAGE_ID_DOMAIN", default="sager.nemid.example")
# A reply's e-mail that met a transient error is tried again after this many
# seconds, doubling each time (at most 30 minutes, OutgoingMail.MAX_ATTEMPTS).
REPLY_MAIL_RETRY_BACKOFF = env.int("REPLY_MAIL_RETRY_BACKOFF", default=30)

# CPR numbers are stored only encrypted (Fernet; several comma-separated keys
# allow rotation, the first encrypts) plus an HMAC for exact look-up.
CPR_ENCRYPTION_KEYS = env.list("CPR_ENCRYPTION_KEYS", default=[])
CPR_HASH_KEY = env.str("CPR_HASH_KEY", default="")
# Only while the digests are moved to a new CPR_HASH_KEY (rotate_cpr_keys
# --digests): the old key(s), so look-ups still find every number.
CPR_HASH_KEY_PREVIOUS = env.list("CPR_HASH_KEY_PREVIOUS", default=[])

# The largest body a form or the API's JSON may have (files not counted):
# the longest texts are 20,000 characters, so 1 MiB leaves ample room.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

REST_FRAMEWORK = {
    # Token first: the first class names the challenge, so an anonymous
    # request gets 401 with `WWW-Authenticate: Token` rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "nemid_cases.throttling.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "nemid_cases.throttling.AnonRateThrottle",
        "nemid_cases.throttling.UserBurstRateThrottle",
        "nemid_cases.throttling.UserRateThrottle",
        "nemid_cases.throttling.WriteRateThrottle",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    # JSON only, size- and depth-limited, refusing NUL in any field.
    "DEFAULT_PARSER_CLASSES": ["nemid_cases.parsers.SafeJSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "nemid_cases.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "nemid_cases.schema.ApiSchema",
    "EXCEPTION_HANDLER": "nemid_cases.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "nemid_cases.api.document_common_errors",
    ],
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
        "LanguageEnum": "enquiries.models.Enquiry.Language",
        "ReplyChannelEnum": "answers.models.Reply.Channel",
        "ReplyLanguageEnum": "answers.models.Reply.Language",
    },
    # The schema and Swagger UI need a login, like everything else.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Requests per scope and period (s, min, h, d), read on every request;
# "none" switches a scope off. Per user (or token): a burst and a sustained
# rate for everything, and one for writes; per address: anonymous requests
# and failed token logins. Counted in the default cache (CACHE_URL).
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="60/min"),
    "user_burst": env.str("API_THROTTLE_USER_BURST", default="30/s"),
    "user": env.str("API_THROTTLE_USER", default="1200/min"),
    "writes": env.str("API_THROTTLE_WRITES", default="300/min"),
    "bad_token": env.str("API_THROTTLE_BAD_TOKEN", default="30/min"),
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
# A save waits at most this long for its after-commit message to reach the
# broker (nemid_cases.queueing); a failure or a hang stops publishing from
# that process for CELERY_PUBLISH_PAUSE seconds, and the sweeps carry on.
CELERY_PUBLISH_WAIT = env.float("CELERY_PUBLISH_WAIT", default=1.0)
CELERY_PUBLISH_PAUSE = env.float("CELERY_PUBLISH_PAUSE", default=30.0)
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
    # With the escalations: that worker gone is what stops them.
    "operations.tasks.heartbeat": {"queue": "escalation"},
    "analytics.*": {"queue": "statistics"},
    # Outage notices to banks and public providers, beside the e-mails.
    "notices.tasks.deliver_webhook": {"queue": "notifications"},
    # Replies to citizens (answers.delivery), beside the other e-mails.
    "answers.tasks.*": {"queue": "notifications"},
}
# Webhook subscribers may be on loopback or private networks only when this
# is set (a local test server); otherwise such URLs are refused (SSRF).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False)
# Every periodic job, in one place. Exactly one beat runs in production.
# `expires` drops runs that waited longer than one period (workers down), so
# a backlog of identical sweeps never piles up.
SLA_SWEEP_SECONDS = env.int("SLA_SWEEP_SECONDS", default=300)
NOTIFICATION_SWEEP_SECONDS = env.int("NOTIFICATION_SWEEP_SECONDS", default=60)
RETENTION_SWEEP_SECONDS = env.int("RETENTION_SWEEP_SECONDS", default=3600)
HEARTBEAT_SECONDS = env.int("HEARTBEAT_SECONDS", default=60)
MAIL_POLL_SECONDS = env.int("MAIL_POLL_SECONDS", default=60)
# A worker or beat not seen for this long is reported stale (banner, /readyz).
HEARTBEAT_STALE_SECONDS = env.int("HEARTBEAT_STALE_SECONDS", default=300)
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
    # Catch-up for replies whose own enqueue was lost (broker down) or whose
    # sender died: answers.delivery.send_queued_mail.
    "send-queued-replies": {
        "task": "answers.tasks.send_queued_mail",
        "schedule": NOTIFICATION_SWEEP_SECONDS,
        "options": {"expires": NOTIFICATION_SWEEP_SECONDS},
    },
    # Anonymises closed enquiries (and their citizens) past their retention
    # period (privacy.services.anonymise_expired; periods set in the admin).
    "anonymise-expired-enquiries": {
        "task": "privacy.tasks.anonymise_expired",
        "schedule": RETENTION_SWEEP_SECONDS,
        "options": {"expires": RETENTION_SWEEP_SECONDS},
    },
    # The worker and the beat show they are alive (operations/heartbeats.py;
    # /readyz and the administrators' banner read it).
    # Fetches new mail from every active IMAP mailbox (mailroom.services).
    "poll-mailboxes": {
        "task": "mailroom.tasks.poll_mailboxes",
        "schedule": MAIL_POLL_SECONDS,
        "options": {"expires": MAIL_POLL_SECONDS},
    },
    "heartbeat": {
        "task": "operations.tasks.heartbeat",
        "schedule": HEARTBEAT_SECONDS,
        "options": {"expires": HEARTBEAT_SECONDS},
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

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "nemid_cases.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
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
# Every handler masks CPR numbers, including one added above later.
for _handler in LOGGING["handlers"].values():
    _handler["filters"] = list(dict.fromkeys([*_handler.get("filters", []), "redact_cpr"]))

# Meeting attachments: the largest file accepted (bytes). Files live under
# MEDIA_ROOT with random names and are served only by a permission-checked
# view; MEDIA_URL is deliberately not routed.
STAKEHOLDER_ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# The citizen's rating link (feedback.services.rating_link) works this long.
FEEDBACK_RATING_LINK_MAX_AGE_DAYS = env.int("FEEDBACK_RATING_LINK_MAX_AGE_DAYS", default=30)
# Exports read this many rows per query (keyset chunks) while streaming.
EXPORT_CHUNK_SIZE = env.int("EXPORT_CHUNK_SIZE", default=2000)

# Retention (privacy.services.anonymise_expired): each beat run anonymises
# at most this many batches of this many enquiries, each batch its own
# transaction; the rest waits for the next run.
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
RETENTION_MAX_BATCHES = env.int("RETENTION_MAX_BATCHES", default=20)
# `make backup` writes here unless given FILE=... (privacy.backups).
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))

# Inbound e-mail (mailroom, docs/mail.md). Outgoing mail carries Message-IDs
# <{reference}.{token}@MAIL_MESSAGE_ID_DOMAIN>, so a reply's In-Reply-To or
# References names its enquiry. A message over MAIL_MAX_MESSAGE_BYTES is
# set aside unread; an attachment over MAIL_ATTACHMENT_MAX_BYTES, or of a
# type not in mailroom.filetypes, is refused and the message filed without
# it. MAIL_IMAP_TIMEOUT bounds each IMAP call (seconds).
MAIL_MESSAGE_ID_DOMAIN = env.str("MAIL_MESSAGE_ID_DOMAIN", default="sager.nemid.example")
MAIL_MAX_MESSAGE_BYTES = env.int("MAIL_MAX_MESSAGE_BYTES", default=40 * 1024 * 1024)
MAIL_ATTACHMENT_MAX_BYTES = env.int("MAIL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
MAIL_IMAP_TIMEOUT = env.int("MAIL_IMAP_TIMEOUT", default=30)
MAIL_POLL_BATCH = env.int("MAIL_POLL_BATCH", default=200)
