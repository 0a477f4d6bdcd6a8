"""``/healthz``: is this app instance fit to serve? For load balancers and monitoring.

Answered by the first middleware, before host checks, the HTTPS redirect, sessions,
the page cache, sign-in and CSP: a load balancer probes an instance by its own
address, over plain HTTP. It costs one database query per probe (plus one cache
read) and says nothing personal:

- ``database``: "ok" or "unreachable" (then 503: take the instance out);
- ``cache``: "ok" or "degraded" (the site works without it, more slowly: still 200);
- what the apps register with ``register_probe`` (the emails waiting: how many and
  the age in seconds of the oldest, so monitoring sees a stuck mail queue).
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)
PATH = "/healthz"
PROBES = {}


def register_probe(name, probe):
    """``probe()`` returns a small JSON-able dict: figures only, never personal data.
    It runs after the database answered; one query at most."""
    PROBES[name] = probe


def database_reachable():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any database failure means "not fit to serve"
        logger.warning("Health check: the database does not answer", exc_info=True)
        return False


def cache_reachable():
    try:
        ping = getattr(cache, "ping", None)  # a fail-soft cache hides errors from get()
        if ping is not None:
            ping()
        else:
            cache.get("healthz-probe")
        return True
    except Exception:  # noqa: BLE001 - the site runs without its cache, slower
        logger.warning("Health check: the cache does not answer", exc_info=True)
        return False


def health():
    """(status code, body)."""
    if not database_reachable():
        return 503, {"status": "unavailable", "database": "unreachable"}
    body = {"status": "ok", "database": "ok", "cache": "ok"}
    if not cache_reachable():
        body["status"] = body["cache"] = "degraded"
    for name, probe in PROBES.items():
        try:
            body[name] = probe()
        except Exception:  # noqa: BLE001 - one probe failing must not hide the others
            logger.warning("Health check: probe %s failed", name, exc_info=True)
            body[name] = "error"
            body["status"] = "degraded"
    return 200, body


def healthz(request):
    status, body = health()
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers GET/HEAD ``/healthz`` and nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
