"""A Redis cache that fails soft: Redis down must not mean site down.

Django's ``RedisCache`` raises ``redis.ConnectionError`` from every call while the
server is unreachable, and Wagtail (its site root paths), the page routing and the
page cache all read the cache on each request. ``FailSoftRedisCache`` logs the
error and answers as a miss (``get`` returns the default, ``add`` and ``set`` store
nothing, ``incr`` changes nothing): pages are rendered from the database, more
slowly, and the site keeps answering 200.

After a failure the process leaves Redis alone for ``RETRY_SECONDS`` (a failure
can cost the whole socket timeout when the host does not answer), then tries again:
the cache comes back on its own when Redis does. Timeouts are short
(``REDIS_TIMEOUT`` seconds, set by portal/settings/base.py through ``OPTIONS``).

What cannot work while Redis is down: nothing is cached (each page is rendered),
and a purge made during the outage (a publish, a pledge) is lost. If Redis kept its
data (a network cut rather than a restart), pages cached before the outage may be
served for up to ``PAGE_CACHE_SECONDS`` once it returns; `manage.py
purge_page_cache` after an outage clears that doubt. Sessions, sign-in throttling
and rate limits live in the database and are not affected.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

try:
    from redis.exceptions import RedisError
except ImportError:  # the `redis` extra is not installed: this backend is not used
    RedisError = OSError

FAILURES = (RedisError, OSError)
_down_until = {}  # server location -> time.monotonic() before which calls are skipped
_lock = threading.Lock()


class FailSoftRedisCache(RedisCache):
    RETRY_SECONDS = 2.0

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("retry_seconds", self.RETRY_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = server if isinstance(server, str) else ",".join(server)

    def _soft(self, name, default, call, *args, **kwargs):
        if _down_until.get(self._location, 0) > time.monotonic():
            return default
        try:
            return call(*args, **kwargs)
        except FAILURES:
            with _lock:
                _down_until[self._location] = time.monotonic() + self.retry_seconds
            logger.exception("Redis cache %s failed: served as a miss", name)
            return default

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._soft("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._soft("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._soft("incr", None, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._soft("delete_many", None, super().delete_many, keys, version)

    def ping(self):
        """Raise when Redis does not answer (``/healthz`` must see the outage that
        every other call hides)."""
        self._cache.get_client().ping()
        _down_until.pop(self._location, None)

    def clear(self):
        return self._soft("clear", False, super().clear)


def reset_failures():
    """Forget every recorded outage (tests, after restarting Redis)."""
    _down_until.clear()
