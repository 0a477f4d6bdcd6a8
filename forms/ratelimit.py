"""A fixed-window rate limit on the shared cache (database cache or Redis)."""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    header = getattr(settings, "RATE_LIMIT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def is_rate_limited(request, scope, limit, period):
    """Count this request; True once the client made more than ``limit`` in ``period`` s."""
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    return count > limit
