"""AutoSales settings, configured by the environment.

DATABASE_URL   database (default: SQLite file var/autosales.sqlite3)
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" for development (default off)
ALLOWED_HOSTS  comma-separated host names
TIME_ZONE      default Asia/Shanghai
LANGUAGE_CODE  default zh-hans
REDIS_URL      optional cache and session store
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AUTOSALES_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or env_bool("AUTOSALES_INSECURE_DEV_KEY", True):
        # Development and tests only; production sets SECRET_KEY and DEBUG=0 and
        # AUTOSALES_INSECURE_DEV_KEY=0 makes a missing key an error.
        SECRET_KEY = "django-insecure-autosales-development-key-do-not-use-in-production"
    else:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "autosales.core",
    "autosales.parties",
    "autosales.inventory",
    "autosales.sales",
    "autosales.aftersales",
    "autosales.keyaccounts",
    "autosales.reports",
    "autosales.exchange",
    "autosales.api",
    "autosales.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "autosales.core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "autosales.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so it sees the failed sign-ins flagged by the views before it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "autosales.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "autosales.wsgi.application"

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'autosales.sqlite3'}"
DATABASES = {
    # Each app server thread keeps its connection for a minute (checked before reuse) instead of
    # opening one per request.
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "autosales.core.sqlite_backend"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE transactions take the
        # write lock at BEGIN, so two writers queue on the busy timeout instead of failing.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA analysis_limit=1000;"
        ),
    }
    # Tests run in memory (each pytest-xdist worker its own) unless a file is asked for.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("AUTOSALES_TEST_SQLITE") or ":memory:"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the statement and a statement run a few times on a connection
    # is prepared once, so PostgreSQL parses and plans it once (statements with more parameters
    # than the protocol carries go with their values written in). A pooler in transaction mode
    # needs prepared statements turned off (DATABASE_PREPARE_THRESHOLD=0) unless it tracks them.
    DATABASES["default"]["ENGINE"] = "autosales.core.postgresql_backend"
    _prepare = int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5"))
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=_prepare if _prepare > 0 else None
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "autosales.core.auth_backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lock-out after repeated failed sign-ins, counted per account and, separately, per address,
# so guessing one password across many accounts is stopped as well as many passwords on one.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "autosales.core.lockout.lockout_response"
AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_PROXY_COUNT"]) if os.environ.get("AXES_PROXY_COUNT") else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "autosales" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("AUTOSALES_MANIFEST_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CURRENCY = "CNY"

# The approval matrix, margin floors, tax rules and analysis settings are kept this many seconds in
# each process (autosales.core.config_cache); a change made elsewhere is seen at most this late.
AUTOSALES_CONFIG_CACHE_SECONDS = float(os.environ.get("AUTOSALES_CONFIG_CACHE_SECONDS", 2))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Idle time before a session ends; a session in use is renewed once a minute
# (core.middleware.SessionRenewalMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 2 * 3600))
SESSION_RENEW_SECONDS = 60

REST_FRAMEWORK = {
    # Token first: an anonymous call then gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "autosales.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "autosales.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "autosales.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "autosales.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "autosales.api.base.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth_token": os.environ.get("API_TOKEN_RATE", "20/min")},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "AutoSales API",
    "DESCRIPTION": (
        "Car sales management system (汽车销售管理系统): stores, customers, catalogue, vehicles, sales.\n\n"
        "**Sign in**: `POST /api/v1/auth/token/` with `username` and `password` returns a token; send it as "
        "`Authorization: Token <token>`. A browser signed in to the web app uses its session instead.\n\n"
        "**Scope**: every list and detail shows only the rows the user's role and store allow; a row "
        "outside them answers 404. Cost and margin fields appear only for roles that may see cost.\n\n"
        "**Lists**: the same filters and `ordering` as the web lists; pages by `page` and `page_size` "
        "(at most 500), or `pagination=cursor` for keyset pages that stay fast at any depth.\n\n"
        "**Errors**: 400 answers name each field, in the user's language (saved language, else "
        "`Accept-Language`)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One name per choice set, so choices that share a field name ("status", "kind") do not collide.
    "ENUM_NAME_OVERRIDES": {
        "ServiceKindEnum": "autosales.aftersales.choices.ServiceKind",
        "ServiceStatusEnum": "autosales.aftersales.choices.ServiceStatus",
        "ReminderStatusEnum": "autosales.aftersales.choices.ReminderStatus",
        "ComplaintCategoryEnum": "autosales.aftersales.choices.ComplaintCategory",
        "SeverityEnum": "autosales.aftersales.choices.Severity",
        "ComplaintStatusEnum": "autosales.aftersales.choices.ComplaintStatus",
        "FollowUpKindEnum": "autosales.aftersales.choices.FollowUpKind",
        "FollowUpStatusEnum": "autosales.aftersales.choices.FollowUpStatus",
        "RoleEnum": "autosales.core.choices.Role",
        "FuelTypeEnum": "autosales.inventory.choices.FuelType",
        "BodyTypeEnum": "autosales.inventory.choices.BodyType",
        "VehicleStatusEnum": "autosales.inventory.choices.VehicleStatus",
        "TransferStatusEnum": "autosales.inventory.choices.TransferStatus",
        "TierEnum": "autosales.keyaccounts.choices.Tier",
        "TierNamingEnum": "autosales.keyaccounts.choices.TierNaming",
        "NormalisationEnum": "autosales.keyaccounts.choices.Normalisation",
        "ValueGroupEnum": "autosales.keyaccounts.choices.ValueGroup",
        "GradeEnum": "autosales.keyaccounts.choices.Grade",
        "AccountTypeEnum": "autosales.keyaccounts.choices.AccountType",
        "RelationshipStageEnum": "autosales.keyaccounts.choices.RelationshipStage",
        "RankMeasureEnum": "autosales.keyaccounts.choices.RankMeasure",
        "IndicatorEnum": "autosales.keyaccounts.choices.Indicator",
        "ActionStatusEnum": "autosales.keyaccounts.choices.ActionStatus",
        "PitfallEnum": "autosales.keyaccounts.choices.Pitfall",
        "CustomerKindEnum": "autosales.parties.choices.CustomerKind",
        "SourceChannelEnum": "autosales.parties.choices.SourceChannel",
        "IndustryEnum": "autosales.parties.choices.Industry",
        "BuyingRoleEnum": "autosales.parties.choices.BuyingRole",
        "StanceEnum": "autosales.parties.choices.Stance",
        "LeadSourceEnum": "autosales.sales.choices.LeadSource",
        "LeadStageEnum": "autosales.sales.choices.LeadStage",
        "LostReasonEnum": "autosales.sales.choices.LostReason",
        "LostRequestStatusEnum": "autosales.sales.choices.LostRequestStatus",
        "ActivityKindEnum": "autosales.sales.choices.ActivityKind",
        "TradeInStatusEnum": "autosales.sales.choices.TradeInStatus",
        "AgreementStatusEnum": "autosales.sales.choices.AgreementStatus",
        "QuoteStatusEnum": "autosales.sales.choices.QuoteStatus",
        "LineKindEnum": "autosales.sales.choices.LineKind",
        "OrderStatusEnum": "autosales.sales.choices.OrderStatus",
        "PaymentKindEnum": "autosales.sales.choices.PaymentKind",
        "PaymentMethodEnum": "autosales.sales.choices.PaymentMethod",
        "AllocationStatusEnum": "autosales.sales.choices.AllocationStatus",
        "ApprovalDecisionEnum": "autosales.sales.choices.ApprovalDecision",
        "LanguageEnum": "autosales.settings.LANGUAGES",
    },
}

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Scripts only from our own static files (vendored libraries) or inline blocks carrying the
# per-response nonce; no eval. Styles allow inline attributes because Bootstrap, ECharts' SVG
# renderer and a few templates set them, and style attributes cannot carry a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
