"""Anonymous page cache: public Wagtail pages served from the shared cache.

wagtail-cache, the usual library for this, does not support Wagtail 8 (its last
release requires wagtail<8), so this is a small middleware on Django's cache
framework. It stores a page only when every one of these holds:

- the request is an anonymous GET: no session cookie (logged-in editors and
  people in the middle of a form have one), no messages cookie, no
  Authorization header;
- the page served is a Wagtail page that allows it (``cache_anonymous``; form
  pages and their wizard steps do not);
- the response is a plain 200 that sets no cookie, is not marked private or
  no-store, and holds no CSRF token.

Entries live in the ``pages`` cache alias (its own database table, or Redis with
a key prefix) and are purged when a page is published, unpublished, moved or
deleted, when the navigation, a site or an image changes, and when a record
listed in ``PAGE_CACHE_PURGE_MODELS`` changes (the figures a page shows).
``PAGE_CACHE = False`` turns it off.
"""

import hashlib
import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from wagtail import hooks
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)

ALIAS = "pages"
REQUEST_FLAG = "_page_cache_allowed"
UNCACHEABLE_CONTROLS = ("private", "no-cache", "no-store", "max-age=0")
HIT_HEADER = "X-Page-Cache"


def enabled():
    return getattr(settings, "PAGE_CACHE", False) and ALIAS in settings.CACHES


def page_cache():
    return caches[ALIAS]


def allow(request, page):
    """Called when Wagtail serves ``page``: remember whether it may be stored."""
    setattr(request, REQUEST_FLAG, getattr(page, "cache_anonymous", False))


def is_anonymous_read(request):
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def cache_key(request):
    scheme = "https" if request.is_secure() else "http"
    raw = f"{scheme}://{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def is_storable(request, response):
    if not getattr(request, REQUEST_FLAG, False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # a CSRF token belongs to one visitor
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in UNCACHEABLE_CONTROLS):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class AnonymousPageCacheMiddleware:
    """Place it right after WhiteNoise, before the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not is_anonymous_read(request):
            return self.get_response(request)
        key = cache_key(request)
        try:
            stored = page_cache().get(key)
        except Exception:  # a cache outage must not take the site down
            logger.exception("Page cache read failed")
            stored = None
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[HIT_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if is_storable(request, response):
            headers = list(response.items())
            try:
                page_cache().set(key, (response.status_code, headers, response.content))
            except Exception:
                logger.exception("Page cache write failed")
            response[HIT_HEADER] = "miss"
        return response


def purge(**kwargs):
    """Forget every cached page, now and again once the transaction commits (another
    process may have cached the old version in between)."""
    if ALIAS not in settings.CACHES:
        return
    _purge_now()
    if not _purge_pending():
        transaction.on_commit(_purge_now)


def _purge_pending():
    """Whether the open transaction already purges when it commits: many records saved
    in one transaction (a lot delivered, a form submitted) purge once more, not each."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    return any(entry[1] is _purge_now for entry in connection.run_on_commit)


def purge_many_to_many(action, **kwargs):
    if action.startswith("post_"):
        purge()


def _purge_now():
    cache = page_cache()
    try:
        client = getattr(cache, "_cache", None)
        if client is not None and hasattr(client, "get_client"):  # Redis: only our keys
            redis = client.get_client(write=True)
            pattern = cache.make_key("*")  # the alias's own KEY_PREFIX
            for key in redis.scan_iter(match=pattern, count=1000):
                redis.delete(key)
        else:
            cache.clear()  # a table or a memory area of its own
    except Exception:
        logger.exception("Page cache purge failed")


def connect_signals():
    hooks.register("before_serve_page", _before_serve_page)

    page_published.connect(purge, dispatch_uid="page_cache_published")
    page_unpublished.connect(purge, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(purge, dispatch_uid="page_cache_moved")
    models = [
        "wagtailcore.Page",
        "wagtailcore.Site",
        "wagtailimages.Image",
        "wagtailredirects.Redirect",
        "wagtailcore.PageViewRestriction",
        *getattr(settings, "PAGE_CACHE_PURGE_MODELS", ()),
    ]
    for label in models:
        try:
            model = apps.get_model(label)
        except LookupError:  # a record type listed ahead of its app
            continue
        if model._meta.auto_created:  # a many-to-many table: rows added or removed
            m2m_changed.connect(
                purge_many_to_many, sender=model, dispatch_uid=f"page_cache_m2m_{label}"
            )
            continue
        for subclass in [model, *_concrete_subclasses(model)]:
            post_delete.connect(
                purge, sender=subclass, dispatch_uid=f"page_cache_del_{label}_{subclass.__name__}"
            )
            if label != "wagtailcore.Page":  # pages: only publishing changes what is served
                post_save.connect(
                    purge,
                    sender=subclass,
                    dispatch_uid=f"page_cache_save_{label}_{subclass.__name__}",
                )


def _before_serve_page(page, request, serve_args, serve_kwargs):
    allow(request, page)


def _concrete_subclasses(model):
    return [m for m in apps.get_models() if issubclass(m, model) and m is not model]
