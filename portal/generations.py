"""Generation counters in the shared cache: how a purge reaches every app instance.

A *scope* names a set of cached things that change together: ``all`` (everything),
``figures`` (the whole programme's live figures), ``campaign:<pk>`` (one campaign's
page and figures). Each scope has a counter in the ``pages`` cache alias. A purge
bumps the counters of the scopes that changed, once the transaction has committed
(before it, another process would read the old rows and store them under the new
number). A cached entry remembers the counters it was rendered under and is only
used while they are all still current, so a purge needs no scan of the keys and
several instances agree on it at once.

Every bump also bumps ``epoch``. A render that learns its scopes only while it runs
(which campaign's figures a page shows) reads ``epoch`` before touching the
database and again after: if it moved, some purge ran in between and the render is
not stored (see portal/page_cache.py).

A request reads each counter at most once (``for_request``): the page cache
middleware leaves what it read on the request, and the routing, the navigation and
the StreamField fragment keys reuse it. A counter first read during the render is
read with ``epoch``; if ``epoch`` moved since the request began, the request's page
is not stored.

A counter that the cache lost (eviction, restart) comes back as the current time in
microseconds, larger than any value it had: an entry stored under the old value is
never taken for current.
"""

import logging
import time

logger = logging.getLogger(__name__)

ALL = "all"
FIGURES = "figures"
EPOCH = "epoch"
PREFIX = "gen:"
REQUEST_ATTR = "_generations"


def campaign_scope(pk):
    return f"campaign:{pk}"


def key(scope):
    return PREFIX + scope


def _fresh():
    return time.time_ns() // 1000


def read(cache, scopes, with_epoch=False):
    """``{scope: counter}`` for ``scopes`` (a missing counter is created), plus
    ``EPOCH`` (None when never bumped) when asked, read after the scopes."""
    scopes = list(dict.fromkeys(scopes))
    keys = [key(scope) for scope in scopes]
    if with_epoch:
        keys.append(key(EPOCH))  # last: see the module docstring
    found = cache.get_many(keys)
    counters = {}
    for scope in scopes:
        value = found.get(key(scope))
        if value is None:
            cache.add(key(scope), _fresh(), timeout=None)
            value = cache.get(key(scope))
        counters[scope] = value
    if with_epoch:
        counters[EPOCH] = found.get(key(EPOCH))
    return counters


class RequestCounters:
    """The counters one request has read. ``epoch`` is the one read when the request
    began (``guarded``: the page cache may store the page); ``moved`` says that a
    purge ran since, seen by a counter read later."""

    def __init__(self, counters=None, epoch=None, guarded=False):
        self.counters = dict(counters or {})
        self.epoch = epoch
        self.guarded = guarded
        self.moved = False


def start_request(request, counters, epoch):
    """The page cache middleware: ``counters`` and ``epoch`` were read before the
    render touched the database."""
    memo = RequestCounters(counters, epoch, guarded=True)
    setattr(request, REQUEST_ATTR, memo)
    return memo


def for_request(request, cache, scopes):
    """``{scope: counter}`` for ``scopes``, each read at most once per ``request``
    (None: read now)."""
    if request is None:
        return read(cache, scopes)
    memo = getattr(request, REQUEST_ATTR, None)
    if memo is None:
        memo = RequestCounters()
        setattr(request, REQUEST_ATTR, memo)
    missing = [scope for scope in dict.fromkeys(scopes) if scope not in memo.counters]
    if missing:
        late = read(cache, missing, with_epoch=memo.guarded)
        if memo.guarded and late.pop(EPOCH) != memo.epoch:
            memo.moved = True  # a purge ran since the request began: see the docstring
        memo.counters.update(late)
    return {scope: memo.counters[scope] for scope in scopes}


def epoch(cache):
    return cache.get(key(EPOCH))


def bump(cache, scopes):
    """Move ``scopes`` (and ``epoch``, first) to a new number."""
    for scope in [EPOCH, *dict.fromkeys(scopes)]:
        name = key(scope)
        try:
            cache.incr(name)
        except ValueError:  # never set, or lost: start above any earlier value
            if not cache.add(name, _fresh(), timeout=None):
                cache.incr(name)
