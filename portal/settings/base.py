"""Settings shared by every environment.

Secrets and the addresses of services come from the environment; see
``dev.py``, ``test.py`` and ``production.py`` for what each one changes.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from .object_storage import object_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "content",
    "forms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "import_export",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",  # list filters of wagtail-modeladmin (its URLs are not mounted)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",  # admin sign-in throttling (portal/login_throttle.py)
    # Last, so that its post_migrate hook sees every other app's permissions.
    "portal",
]

MIDDLEWARE = [
    "portal.health.HealthCheckMiddleware",  # first: /healthz for load balancers, nothing else
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.page_cache.AnonymousPageCacheMiddleware",  # before sessions: a hit opens none
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "portal.csp.PortalCSPMiddleware",  # Content-Security-Policy (django-csp)
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into its page
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL selects PostgreSQL (postgres://user:pass@host:5432/name);
# without it, SQLite under var/ with settings that survive concurrent form posts.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_from_env(default_sqlite_path):
    url = os.environ.get("DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if database["ENGINE"] == "django.db.backends.sqlite3":  # sqlite:///path
            database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
        return database
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(default_sqlite_path),
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


DATABASES = {"default": database_from_env(VAR_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache shared by every app instance: the database cache needs no extra server;
# REDIS_URL switches to Redis (install the `redis` extra). Redis fails soft
# (portal/cache_backends.py): a call that fails within REDIS_TIMEOUT seconds is
# logged and served as a miss, and the site keeps answering without it.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", 0.25))
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.FailSoftRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                "retry_seconds": float(os.environ.get("REDIS_RETRY_SECONDS", 2)),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }

# Image renditions: a memory cache in each process. With the database cache,
# Wagtail would write its rendition entries on every page view.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Anonymous page cache (portal/page_cache.py): public pages for visitors without a
# session, purged on publish/unpublish/move/delete and when a record they show
# changes. Its own table (or Redis keys under its own prefix) so a purge touches
# nothing else. PAGE_CACHE=0 turns it off.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))
if os.environ.get("REDIS_URL"):
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_page_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
CACHES["pages"]["TIMEOUT"] = PAGE_CACHE_SECONDS
# Records that pages show (the map's sites, the refurbishing-chain directory): a
# change purges every page. A many-to-many table (CampaignPage_sites) purges when
# its rows are added or removed.
PAGE_CACHE_PURGE_MODELS = [
    "content.NavigationSettings",
    "content.MediationSite",
    "content.Organisation",
    "content.CampaignPage_sites",
]
# Records counted in the live key figures (content/metrics.py), each of one campaign
# (``campaign_id``): a change purges that campaign's page and the pages showing the
# whole programme's figures, not the others.
PAGE_CACHE_CAMPAIGN_RECORDS = [
    "forms.DonorPledge",
    "forms.Device",
    "forms.DeviceBatch",
    "forms.Loan",
    "forms.HandoverSheet",
]

# Sessions live in the database: any app instance can serve any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTHENTICATION_BACKENDS = [
    "portal.login_throttle.LoginThrottleBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for one user
# name or from one address, sign-in is refused for AXES_COOLOFF_MINUTES, even with
# the right password; `manage.py axes_reset_username NAME` lifts it earlier.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/login_locked.html"
AXES_CLIENT_IP_CALLABLE = "portal.login_throttle.client_ip_for_axes"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {
        # Any Django storage (e.g. storages.backends.s3.S3Storage from django-storages).
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Files no web server may serve (admin imports and their rows to fix): outside
    # MEDIA_ROOT, read only through views that check who asks.
    "private": {
        "BACKEND": os.environ.get(
            "PRIVATE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": {"location": os.environ.get("PRIVATE_ROOT", str(VAR_DIR / "private"))},
    },
}
# STORAGE_S3_BUCKET (and its companions) put both on an S3-compatible object store
# shared by the app servers: portal/settings/object_storage.py.
STORAGES.update(object_storages(os.environ))
if "STORAGE_S3_BUCKET" in os.environ:
    # Documents are streamed by Wagtail's view, which checks a private collection's
    # restrictions, rather than redirected to a URL of the bucket.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work (emails, later reports) goes through Django's tasks framework.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Ordinateurs solidaires <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Public forms: at most this many posts per client address per period (seconds).
FORM_RATE_LIMIT = (int(os.environ.get("FORM_RATE_LIMIT", 60)), 600)
# Partner API: requests per key and period (seconds), largest JSON body (bytes).
PARTNER_API_RATE_LIMIT = (int(os.environ.get("PARTNER_API_RATE_LIMIT", 120)), 60)
PARTNER_API_MAX_BODY = 64 * 1024
# Webhooks: HTTPS only, never to a private or loopback address (tests open both).
PARTNER_WEBHOOK_REQUIRE_HTTPS = True
PARTNER_WEBHOOK_ALLOW_PRIVATE = False
PARTNER_WEBHOOK_TIMEOUT = 10  # seconds
PARTNER_WEBHOOK_GIVE_UP_AFTER = 24 * 3600  # seconds of retries
# Reverse proxies in front of the app that append to X-Forwarded-For (0: use the
# socket address; the client chooses every X-Forwarded-For entry left of the proxies').
RATE_LIMIT_TRUSTED_PROXIES = int(os.environ.get("RATE_LIMIT_TRUSTED_PROXIES", 0))

# Personal data (docs/PROGRAMME.md, privacy). Unfinished wizard answers live in the session,
# which expires after this much inactivity; staff sessions after a working day.
WIZARD_SESSION_AGE = int(os.environ.get("WIZARD_SESSION_AGE", 2 * 3600))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 12 * 3600))
SESSION_SAVE_EVERY_REQUEST = True  # expiry counts from the last request
PRESCRIPTION_RETENTION_DAYS = int(os.environ.get("PRESCRIPTION_RETENTION_DAYS", 730))
# Answers to generic forms (free forms built by editors) are deleted this long after they close.
GENERIC_RETENTION_DAYS = int(os.environ.get("GENERIC_RETENTION_DAYS", 365))
# Emails, once sent (or given up), are forgotten after this many days.
EMAIL_RETENTION_DAYS = int(os.environ.get("EMAIL_RETENTION_DAYS", 30))
# A sender claims an email before sending it; a claim older than this belongs to a
# sender that died (killed worker) and is taken back. Longer than any one send.
EMAIL_CLAIM_LEASE_SECONDS = int(os.environ.get("EMAIL_CLAIM_LEASE_SECONDS", 300))
# Admin imports (their uploaded file, report and file of rows to fix) are deleted after this.
IMPORT_JOB_RETENTION_DAYS = int(os.environ.get("IMPORT_JOB_RETENTION_DAYS", 7))
# A worker running an import holds it for this long, renewed at each sign of progress; a
# job whose lease ran out lost its worker: recover_tasks and its page show it interrupted.
IMPORT_JOB_LEASE_SECONDS = int(os.environ.get("IMPORT_JOB_LEASE_SECONDS", 900))
PRESCRIPTION_EXPIRY_DAYS = int(os.environ.get("PRESCRIPTION_EXPIRY_DAYS", 60))
PRESCRIPTION_REMINDER_DAYS = int(os.environ.get("PRESCRIPTION_REMINDER_DAYS", 45))
# The prescriber's private follow link stops working this many days after closing.
PRESCRIPTION_FOLLOW_DAYS = int(os.environ.get("PRESCRIPTION_FOLLOW_DAYS", 90))
# The one-year review: its questionnaire goes to the prescriber this many days after the
# handover, its link works this many days after sending, and a handover whose review date
# passed more than the catch-up delay ago (the job did not run) gets none.
ONE_YEAR_REVIEW_DAYS = int(os.environ.get("ONE_YEAR_REVIEW_DAYS", 365))
ONE_YEAR_REVIEW_ANSWER_DAYS = int(os.environ.get("ONE_YEAR_REVIEW_ANSWER_DAYS", 90))
ONE_YEAR_REVIEW_CATCH_UP_DAYS = int(os.environ.get("ONE_YEAR_REVIEW_CATCH_UP_DAYS", 60))

# Wagtail
WAGTAIL_SITE_NAME = "Ordinateurs solidaires"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
# Wagtail's login form has an untranslated "Password" label: portal/admin_login.py.
WAGTAILADMIN_USER_LOGIN_FORM = "portal.admin_login.LoginForm"
# Date fields of the admin as a French reader writes them (25/11/2026).
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILEMBEDS_FINDERS = []  # no third-party oEmbed calls
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar service: staff browsers call no third party

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# No follow-up token or verification code in the logs (404s log their path).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "portal.log_filters.RedactSecretsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
    },
    "loggers": {
        name: {"filters": ["redact_secrets"]}
        for name in ("django.request", "django.server", "django.security")
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Mediation-site map: any XYZ tile server (OpenStreetMap France by default). Without
# tiles (no network) the map still shows its markers and the list works.
MAP_TILE_URL = os.environ.get(
    "MAP_TILE_URL", "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs '
    "d'OpenStreetMap</a>, fond OSM France",
)

# Content-Security-Policy (portal/csp.py): nothing inline, nothing from elsewhere
# but the map tiles (MAP_TILE_URL's host). The Wagtail admin's page explorer and
# editors still run a few inline scripts and set inline styles: allowed under
# /admin/ only.
from csp.constants import NONE, SELF  # noqa: E402

from portal.csp import tile_sources  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "base-uri": [SELF],
        "connect-src": [SELF],
        "font-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "frame-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *tile_sources(MAP_TILE_URL)],
        "manifest-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "worker-src": [SELF, "blob:"],
    }
}
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
}

# django-import-export (mediation-site open data): neutralise spreadsheet formulae.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
