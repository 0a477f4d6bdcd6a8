"""A fixed-window rate limit, counted exactly under concurrency.

Each request is counted by one atomic statement on the database
(``portal.RateLimitCounter``): no read-then-write race between app instances
or threads, and no failed INSERT per request (the database cache's ``add`` /
``incr`` had both).

The client address is the socket's (``REMOTE_ADDR``), unless the site runs
behind ``RATE_LIMIT_TRUSTED_PROXIES`` reverse proxies that each append the
address they received the request from to ``X-Forwarded-For``: the client is
then the entry that many places from the right. Entries further left are
written by the client and never trusted.
"""

import ipaddress
import time

from django.conf import settings
from django.db import OperationalError, connection

from portal.models import RateLimitCounter


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = int(getattr(settings, "RATE_LIMIT_TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote  # the request did not come through every proxy: trust only the socket
    return _valid_ip(forwarded[-proxies]) or remote


def _when_not_locked(statement, attempts=1000):
    """Run ``statement()``, again while SQLite's shared in-memory database (the tests')
    reports a busy table instead of waiting like a file database does (the statement
    did not apply). Other databases wait for the lock themselves."""
    for attempt in range(attempts):
        try:
            return statement()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.005)
    return None


def _increment(bucket, expires):
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (bucket, count, expires) VALUES (%s, 1, %s) "  # noqa: S608 - table name from the model
        f"ON CONFLICT (bucket) DO UPDATE SET count = {table}.count + 1 RETURNING count"
    )

    def upsert():
        with connection.cursor() as cursor:
            cursor.execute(sql, [bucket, expires])
            return cursor.fetchone()[0]

    return _when_not_locked(upsert)


def is_rate_limited(request, scope, limit, period):
    """Count this request; True once the client made more than ``limit`` in ``period`` s."""
    now = time.time()
    window = int(now // period)
    bucket = f"{scope}:{client_ip(request)}:{window}"[:255]
    count = _increment(bucket, (window + 1) * period)
    if count == 1:
        # A new window for this client: forget the closed ones (one DELETE per window).
        _when_not_locked(RateLimitCounter.objects.filter(expires__lt=int(now)).delete)
    return count > limit


def retry_after(scope, who, limit, period):
    """Count one request of ``who`` (a client, an API key); 0 while within ``limit`` per
    ``period`` s, else the seconds until its window ends (for a Retry-After header)."""
    now = time.time()
    window = int(now // period)
    end = (window + 1) * period
    count = _increment(f"{scope}:{who}:{window}"[:255], end)
    if count == 1:
        _when_not_locked(RateLimitCounter.objects.filter(expires__lt=int(now)).delete)
    return 0 if count <= limit else max(1, int(end - now + 0.999))
