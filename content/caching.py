"""Small facts about published pages kept in the ``pages`` cache alias.

Their keys carry the ``all`` generation (portal/generations.py), bumped whenever a
page is unpublished, moved or deleted, a view restriction, the navigation, a site or
an image changes, or a campaign's address or title changes (portal/page_cache.py):
what is kept here is never older than the last such change. The generation is read
before the fact is computed, so a change committed while it is being computed files
it under the old number, never the new one.

Each process also keeps what it read or wrote here (``get``/``put``): since every key
carries the generation, its own copy is exactly as fresh as the shared one, and a
page served again costs no cache read for these facts (on the database cache, one
query each). Values are shared between requests: callers must not change them.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches

from portal import generations

ALIAS = "pages"
MISSING = object()
_request_generation = ContextVar("pages_generation", default=None)
# Process-local copies of the entries read or written through get/put, by full key
# (generation included). Emptied when full: old generations are never read again.
_local = {}
LOCAL_MAX = 1000


def shared_cache():
    return caches[ALIAS] if ALIAS in settings.CACHES else None


def generation(cache, request=None):
    """The ``all`` generation: read once per request (``request``, or the one
    ``for_request`` is routing), or now."""
    known = _request_generation.get()
    if known is not None and request is None:
        return known
    return generations.for_request(request, cache, [generations.ALL])[generations.ALL]


@contextmanager
def for_request(cache, request):
    """Read the generation once for the whole request (content/routing.py); the page
    cache middleware may have read it already (portal/generations.py)."""
    token = _request_generation.set(generation(cache, request))
    try:
        yield
    finally:
        _request_generation.reset(token)


def get(cache, key, default=None):
    """``cache.get(key)``, from this process's copy when it has one. ``key`` must
    carry the generation (see the module docstring)."""
    value = _local.get(key, MISSING)
    if value is MISSING:
        value = cache.get(key, MISSING)
        if value is MISSING:
            return default
        _keep(key, value)
    return value


def put(cache, key, value):
    """``cache.set(key, value)``, and this process keeps a copy."""
    cache.set(key, value)
    _keep(key, value)


def _keep(key, value):
    if key.endswith("@None"):
        return  # the generation is unknown (cache unreachable): nothing would end the copy
    if len(_local) >= LOCAL_MAX:
        _local.clear()
    _local[key] = value


def remember_here(key, compute):
    """``compute()``, kept in this process only under ``key`` and the generation: for a
    fact as cheap to compute as a cache read (after a purge, a shared copy would cost
    a read and a write more)."""
    cache = shared_cache()
    if cache is None:
        return compute()
    key = f"{key}@{generation(cache)}"
    value = _local.get(key, MISSING)
    if value is MISSING:
        value = compute()
        _keep(key, value)
    return value


def remember(key, compute):
    """``compute()``, kept in the pages alias under ``key`` when there is one."""
    cache = shared_cache()
    if cache is None:
        return compute()
    key = f"{key}@{generation(cache)}"
    value = get(cache, key, MISSING)
    if value is MISSING:
        value = compute()
        put(cache, key, value)
    return value
