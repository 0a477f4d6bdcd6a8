"""Local development: `make run`."""

from urllib.parse import urlsplit

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
# `make run HOST=…` serves on another address: accept it too.
_served_host = urlsplit(WAGTAILADMIN_BASE_URL).hostname
if _served_host and _served_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append("*" if _served_host == "0.0.0.0" else _served_host)  # noqa: S104
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
