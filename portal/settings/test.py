"""Test suite (pytest-django). DATABASE_URL runs it against PostgreSQL."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": database_from_env(":memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A process-local cache keeps tests independent of the cache table.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
PAGE_CACHE = False  # tests/perf/test_page_cache.py turns it on
# Under pytest-xdist (.ci/run) each worker (gw0, gw1...) keeps its uploads and generated
# documents in a folder of its own, as it has a database of its own.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
MEDIA_ROOT = VAR_DIR / ("test-media-" + _XDIST_WORKER if _XDIST_WORKER else "test-media")
STATIC_ROOT = VAR_DIR / "test-static"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT) + "-private"},
    },
}
