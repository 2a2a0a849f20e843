"""Settings for Upstream, read from the environment (12-factor).

Every knob has a safe default for the embedded mode (`make run`): a SQLite file in the project,
Celery running tasks eagerly in-process after commit, the console email backend. Production sets
`DATABASE_URL`, `REDIS_URL`, `SECRET_KEY`, `ALLOWED_HOSTS` and turns on the hardening below.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config.schedule import beat_schedule, catalog_sync_schedule

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or .env); only DEBUG=1 may run with "
            "the built-in development key."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Integrations (README "Integrations"): inbound tracker webhooks verify with these secrets (an
# empty one refuses every call); subscription signing secrets are stored encrypted with a key
# derived from SUBSCRIPTION_ENCRYPTION_KEY (or SECRET_KEY when unset).
GITHUB_WEBHOOK_SECRET = env.str("GITHUB_WEBHOOK_SECRET", default="")
JIRA_WEBHOOK_SECRET = env.str("JIRA_WEBHOOK_SECRET", default="")
LINEAR_WEBHOOK_SECRET = env.str("LINEAR_WEBHOOK_SECRET", default="")
SUBSCRIPTION_ENCRYPTION_KEY = env.str("SUBSCRIPTION_ENCRYPTION_KEY", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "core",
    "products",
    "requests_app",
    "notifications",
    "review",
    "accounts",
    "demo",
    "bench",
]

MIDDLEWARE = [
    "core.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for clients that accept gzip (the review: 2.6 MB → ~140 KB). BREACH: Django
    # masks the CSRF token per response and pads gzip output randomly (see SECURITY.md).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RequestLimitsMiddleware",
    "core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.ApiNoStoreMiddleware",
    "core.error_pages.FriendlyNotFoundMiddleware",  # the app's 404 page under DEBUG too
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an eager Celery task writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account+IP out after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=8)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# One client-IP rule for throttling and lockout: DRF's NUM_PROXIES (see REST_FRAMEWORK below).
# Axes would otherwise use REMOTE_ADDR (django-ipware, which its AXES_IPWARE_* settings
# configure, is not installed), i.e. the proxy's address for every client behind the proxy.
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
# Keep no history of successful sign-ins (IP, user agent, times): nothing reads it. Failed
# attempts are kept only while they count (AXES_COOLOFF_TIME); axes deletes older ones on the
# next sign-in event, and a successful sign-in clears its own.
AXES_DISABLE_ACCESS_LOG = True

# The interface language: the person's choice (profile), else the browser's Accept-Language
# (LocaleMiddleware), else LANGUAGE_CODE. README "Languages" says how to add one.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: console by default; EMAIL_URL=smtp+tls://user:pass@host:587 for real mail.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if env.str("EMAIL_FILE_PATH", default=""):  # the file backend (filemail://) writes here
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Upstream <upstream@localhost>")

# --- Security (production defaults; `make run` sets DEBUG=1 which relaxes the HTTPS ones) ---
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # 1 MiB: no legitimate request body is larger.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # query or form parameters per request

# Content Security Policy: only our own origin; pages carry no inline script.
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
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- REST framework ---
# How many proxies in front of the app append to X-Forwarded-For. 0 (the default): the client is
# the socket's peer and X-Forwarded-For is ignored, since a client can write anything there. Behind
# the TLS proxy set 1: the client is the address that proxy appended (the header's last entry).
# Throttling (DRF) and sign-in lockout (axes, through `core.middleware.client_ip`) both use it.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous API call then answers 401 with `WWW-Authenticate: Token`.
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API speaks JSON (the contract); other bodies get a clear 415.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "core.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        # Password attempts per account at the token endpoint, from any address.
        "sign_in_account": env.str("THROTTLE_SIGN_IN_ACCOUNT", default="20/min"),
    },
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Upstream API",
    "DESCRIPTION": "Cross-team data requests, the data-product catalog and roadmap cycles.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the errors it answers (core.schema), in the one Error shape.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ProductStatusEnum": "products.models.DataProduct.Status",
        "ReviewSnapshotStatusEnum": "review.models.ReviewSnapshot.Status",
    },
}

# --- Cache (Redis when configured; used for throttling and axes) ---
REDIS_URL = env.str("REDIS_URL", default="")
# A Redis outage degrades to cache misses (throttling fails open, logged): see core/cache.py.
# Short socket timeouts, so a Redis that hangs costs a request well under a second.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
CACHES = {
    "default": {
        "BACKEND": "core.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
            "socket_timeout": CACHE_SOCKET_TIMEOUT,
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Sessions live in the database, never in the cache: a Redis outage signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Celery ---
# With no broker configured, tasks run eagerly in-process (after commit, see services).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_RESULT_EXPIRES = timedelta(days=1)
# Redis re-delivers an unacknowledged task after the visibility timeout: keep it well above the
# hard time limit so a slow task is never run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when the broker is down: give up fast, the outbox
# sweep re-dispatches what could not be published.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS |= {"socket_connect_timeout": 2, "socket_timeout": 5}
# The result backend subscribes to a task's result when it is sent, with its own retry policy
# (by default 20 retries a second apart: a 19 s hang per write while Redis is down). Give up as
# fast as the publish does; tasks whose result nobody reads also set ignore_result.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": CELERY_TASK_PUBLISH_RETRY_POLICY}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
# Webhook deliveries have a queue of their own (notifications.routing): a slow receiver never
# holds up in-app or email delivery. A worker without -Q consumes both queues.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("webhooks"))
CELERY_TASK_ROUTES = ("notifications.routing.route_task",)
CELERY_BEAT_SCHEDULE = beat_schedule()  # config/schedule.py: every periodic job, when

# --- Catalog sync (see README "Bring your catalog"): pull from OpenMetadata or DataHub, hourly ---
CATALOG_SYNC_SOURCE = env.str("CATALOG_SYNC_SOURCE", default="")  # openmetadata | datahub
CATALOG_SYNC_URL = env.str("CATALOG_SYNC_URL", default="")
CATALOG_SYNC_TOKEN = env.str("CATALOG_SYNC_TOKEN", default="")
CATALOG_SYNC_TIMEOUT = env.float("CATALOG_SYNC_TIMEOUT", default=30.0)  # seconds per request
if CATALOG_SYNC_SOURCE and CATALOG_SYNC_URL:
    CELERY_BEAT_SCHEDULE.update(catalog_sync_schedule(env.int("CATALOG_SYNC_MINUTE", default=20)))

# --- Identity (see README "Sign-in with your identity provider" and SECURITY.md) ---
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
PASSWORD_LOGIN = env.bool("PASSWORD_LOGIN", default=True)
SCIM_TOKEN = env.str("SCIM_TOKEN", default="")
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your identity provider")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
# mozilla-django-oidc reads these names; endpoints come from the issuer's discovery document.
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_CREATE_USER = True
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
if OIDC_ISSUER:
    AUTHENTICATION_BACKENDS.insert(1, "accounts.oidc.OIDCBackend")

# --- Upstream ---
TRIAGE_SLA_WORKING_DAYS = env.int("TRIAGE_SLA_WORKING_DAYS", default=5)
NOTIFICATION_BACKOFF_BASE_SECONDS = env.int("NOTIFICATION_BACKOFF_BASE_SECONDS", default=30)
# Webhooks to loopback, private, link-local (metadata) or reserved addresses are refused, when
# saved and when sent (core.outbound). Only tests and local sinks turn this on.
WEBHOOK_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", default=False)
# Bench-only endpoints (the ceiling and the textbook peer); never on in production.
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
AXES_VERBOSE = False
