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
a key prefix). A purge bumps generation counters (portal/generations.py) instead
of deleting anything, and only those of what changed:

- a record of ``PAGE_CACHE_CAMPAIGN_RECORDS`` (a pledge, a device...): its
  campaign's page and the pages showing the programme's figures;
- a campaign page published with the same title, address and card: that page;
- anything else (other pages published, unpublished, moved or deleted, the
  navigation, a site, an image, ``PAGE_CACHE_PURGE_MODELS``): every page.

``PAGE_CACHE = False`` turns it off; ``manage.py purge_page_cache`` purges by hand.
"""

import hashlib
import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.http import HttpResponse
from wagtail import hooks
from wagtail import signals as wagtail_signals

from portal import generations

logger = logging.getLogger(__name__)

ALIAS = "pages"
REQUEST_FLAG = "_page_cache_allowed"
UNCACHEABLE_CONTROLS = ("private", "no-cache", "no-store", "max-age=0")
HIT_HEADER = "X-Page-Cache"
SCOPES_ATTR = "_page_cache_scopes"
CAMPAIGN_FIELD = "campaign_id"
LOADED_CAMPAIGN = "_page_cache_loaded_campaign"


def enabled():
    return getattr(settings, "PAGE_CACHE", False) and ALIAS in settings.CACHES


def configured():
    return ALIAS in settings.CACHES


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
    """Place it right after WhiteNoise, before the session middleware.

    A stored entry is ``{"gens": {scope: counter}, "response": (status, headers,
    content)}``, served while each of its scopes' counters is still current
    (portal/generations.py). The counters a new entry is stored under were read
    before the render touched the database, so a purge that commits during a slow
    render makes that render's entry dead on arrival instead of serving it for
    ``PAGE_CACHE_SECONDS``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not is_anonymous_read(request):
            return self.get_response(request)
        cache = page_cache()
        key = cache_key(request)
        try:
            # One read for the entry, ``epoch`` and ``all`` (which every entry has): a
            # page that shows nothing narrower needs no second one.
            everything = generations.key(generations.ALL)
            found = cache.get_many([key, generations.key(generations.EPOCH), everything])
            stored = found.get(key)
            epoch = found.get(generations.key(generations.EPOCH))
            snapshot = {}
            if found.get(everything) is not None:
                snapshot[generations.ALL] = found[everything]
            if isinstance(stored, dict):
                rest = [scope for scope in stored["gens"] if scope not in snapshot]
                if rest:
                    snapshot.update(generations.read(cache, rest))
        except Exception:  # a cache outage must not take the site down
            logger.exception("Page cache read failed")
            return self.get_response(request)
        if isinstance(stored, dict) and all(
            snapshot.get(scope) == counter for scope, counter in stored["gens"].items()
        ):
            status, headers, content = stored["response"]
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[HIT_HEADER] = "hit"
            return response
        setattr(request, SCOPES_ATTR, {generations.ALL})
        generations.start_request(request, snapshot, epoch)
        response = self.get_response(request)
        if is_storable(request, response):
            try:
                self.store(cache, key, request, response)
            except Exception:
                logger.exception("Page cache write failed")
            response[HIT_HEADER] = "miss"
        return response

    @staticmethod
    def store(cache, key, request, response):
        scopes = getattr(request, SCOPES_ATTR)
        # Scopes learnt during the render were read then (or are read now), which is
        # only safe if no purge ran since the request began.
        counters = generations.for_request(request, cache, scopes)
        if getattr(request, generations.REQUEST_ATTR).moved:
            return
        entry = {
            "gens": counters,
            "response": (response.status_code, list(response.items()), response.content),
        }
        cache.set(key, entry)


def storing(request):
    """Whether the middleware will store the page rendered for ``request`` whole (if
    its response allows it): a fragment of it need not be kept on its own."""
    return getattr(request, REQUEST_FLAG, False) and getattr(request, SCOPES_ATTR, None) is not None


def depends_on(request, *scopes):
    """The page being rendered for ``request`` shows what ``scopes`` name: its entry
    is dropped when one of them is purged (called while rendering)."""
    if request is None:
        return
    known = getattr(request, SCOPES_ATTR, None)
    if known is not None:
        known.update(scopes)


def purge(scopes=None, **kwargs):
    """Make the cached entries of ``scopes`` (None: every entry) stale in every app
    instance, once the open transaction commits (at once outside one). Several
    purges in one transaction (a lot delivered, a form submitted) bump once more
    on commit, not each.
    Also a signal receiver (``**kwargs``), where it purges everything."""
    if not configured():
        return
    scopes = {generations.ALL} if scopes is None else set(scopes)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(scopes)
        return
    pending = next(
        (entry[1] for entry in connection.run_on_commit if isinstance(entry[1], _PendingBump)),
        None,
    )
    if pending is None:
        pending = _PendingBump()
        transaction.on_commit(pending)
    pending.scopes |= scopes
    # Now as well: this process (and a test's transaction, which never commits) sees
    # the change at once; the bump on commit is the one other processes need.
    _bump(scopes)


class _PendingBump:
    """The scopes a transaction purges, bumped once it commits."""

    def __init__(self):
        self.scopes = set()

    def __call__(self):
        _bump(self.scopes)


def _bump(scopes):
    if generations.ALL in scopes:
        scopes = {generations.ALL}
    try:
        generations.bump(page_cache(), sorted(scopes))
    except Exception:
        logger.exception("Page cache purge failed")


def purge_many_to_many(action, **kwargs):
    if action.startswith("post_"):
        purge()


def campaign_record_changed(sender, instance, **kwargs):
    """A record counted in a campaign's live figures: its campaign's pages (the one
    it had when loaded too) and the programme's figures."""
    if CAMPAIGN_FIELD not in instance.__dict__:  # not loaded: cannot tell which
        purge()
        return
    campaigns = {instance.__dict__[CAMPAIGN_FIELD], getattr(instance, LOADED_CAMPAIGN, None)}
    purge({generations.FIGURES, *(generations.campaign_scope(pk) for pk in campaigns if pk)})
    setattr(instance, LOADED_CAMPAIGN, instance.__dict__[CAMPAIGN_FIELD])


def remember_loaded_campaign(sender, instance, **kwargs):
    setattr(instance, LOADED_CAMPAIGN, instance.__dict__.get(CAMPAIGN_FIELD))


def page_published(sender, instance, **kwargs):
    """A campaign page whose listed facts did not change (``campaign_listing_changed``
    purges everything when they do) only changes its own page."""
    if getattr(instance, "page_cache_scopes", None) is not None:
        purge(instance.page_cache_scopes())
    else:
        purge()


def campaign_listing_changed(sender, instance, update_fields=None, **kwargs):
    """Before a campaign page is saved whole: when what other pages show of it (its
    title, address, card) changes, every page is purged."""
    if instance.pk is None or update_fields is not None:
        return
    fields = sender.page_cache_listed_fields
    old = sender.objects.filter(pk=instance.pk).values(*fields).first()
    if old is None or any(old[name] != getattr(instance, name) for name in fields):
        purge()


def purge_all(sender=None, created=False, **kwargs):
    """Signal receiver: everything may show what changed (but not a row created
    blank on a page's first view, as site settings are)."""
    if created and getattr(sender, "page_cache_created_blank", False):
        return
    purge()


def connect_signals():
    hooks.register("before_serve_page", _before_serve_page)

    wagtail_signals.page_published.connect(page_published, dispatch_uid="page_cache_published")
    wagtail_signals.page_unpublished.connect(purge_all, dispatch_uid="page_cache_unpublished")
    wagtail_signals.post_page_move.connect(purge_all, dispatch_uid="page_cache_moved")
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
            uid = f"{label}_{subclass.__name__}"
            post_delete.connect(purge_all, sender=subclass, dispatch_uid=f"page_cache_del_{uid}")
            if label != "wagtailcore.Page":  # pages: only publishing changes what is served
                post_save.connect(purge_all, sender=subclass, dispatch_uid=f"page_cache_save_{uid}")
            elif getattr(subclass, "page_cache_listed_fields", None):
                pre_save.connect(
                    campaign_listing_changed, sender=subclass, dispatch_uid=f"page_cache_pre_{uid}"
                )
    for label in getattr(settings, "PAGE_CACHE_CAMPAIGN_RECORDS", ()):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for subclass in [model, *_concrete_subclasses(model)]:
            uid = f"{label}_{subclass.__name__}"
            post_init.connect(
                remember_loaded_campaign, sender=subclass, dispatch_uid=f"page_cache_init_{uid}"
            )
            for signal, name in ((post_save, "save"), (post_delete, "del")):
                signal.connect(
                    campaign_record_changed,
                    sender=subclass,
                    dispatch_uid=f"page_cache_{name}_{uid}",
                )


def _before_serve_page(page, request, serve_args, serve_kwargs):
    allow(request, page)
    if getattr(page, "page_cache_scopes", None) is not None:
        depends_on(request, *page.page_cache_scopes())


def _concrete_subclasses(model):
    return [m for m in apps.get_models() if issubclass(m, model) and m is not model]
