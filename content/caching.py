"""Small facts about published pages kept in the ``pages`` cache alias.

That alias is cleared whenever a page is published, unpublished, moved or
deleted, a view restriction, the navigation, a site or an image changes
(portal/page_cache.py), so what is kept here is never older than the last change.
"""

from django.conf import settings
from django.core.cache import caches

ALIAS = "pages"
MISSING = object()


def shared_cache():
    return caches[ALIAS] if ALIAS in settings.CACHES else None


def remember(key, compute):
    """``compute()``, kept in the pages alias under ``key`` when there is one."""
    cache = shared_cache()
    if cache is None:
        return compute()
    value = cache.get(key, MISSING)
    if value is MISSING:
        value = compute()
        cache.set(key, value)
    return value
