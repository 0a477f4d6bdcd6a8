"""Page routing in one query instead of two per level of the tree.

Wagtail finds a page level by level: one query for the child with the next
slug, one more for its specific type. A campaign three levels below the home
page cost six queries before any rendering. ``route_from`` fetches the whole
chain of pages named by the URL at once (by ``url_path``, which Wagtail keeps
up to date), then hands over to the deepest page's own ``route``. A page that
routes its own sub-paths (``RoutablePageMixin``) stops the walk there, so it
sees exactly the path Wagtail would have given it.

``serve`` (mounted in front of Wagtail's own view) keeps what routing found, the
site, the page and how much of the path it consumed, in the ``pages`` cache,
under the ``all`` generation (content/caching.py) that every unpublish, move,
deletion or change of a page's address bumps: a known address
then costs one query for the page itself. The page's own ``route`` still runs
(it checks that the page is live, and a routable page resolves its sub-path),
and Wagtail's view does the rest (before-serve hooks, view restrictions).
"""

import hashlib

from django.apps import apps
from django.http import Http404
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from content import caching
from content.caching import for_request, generation, shared_cache

ROUTE_ATTR = "_portal_route"


def serve(request, path):
    cache = shared_cache()
    if cache is None or request.method not in ("GET", "HEAD", "POST"):
        return wagtail_views.serve(request, path)
    with for_request(cache, request):
        raw = f"{request.get_host()}|{path}"
        key = f"route:{hashlib.sha256(raw.encode()).hexdigest()}@{generation(cache)}"
        entry = caching.get(cache, key)
        if entry is not None and _use(request, path, entry):
            return wagtail_views.serve(request, path)
        response = wagtail_views.serve(request, path)
        found = getattr(request, ROUTE_ATTR, None)
        site = getattr(request, "_wagtail_site", None)
        if found is not None and site is not None:
            # Kept on the request as Wagtail does (Page._get_site_root_paths), so that the
            # page's links rendered next do not read them from the cache again.
            if not hasattr(request, "_wagtail_cached_site_root_paths"):
                request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
            caching.put(cache, key, (site, *found, request._wagtail_cached_site_root_paths))
        return response


def _use(request, path, entry):
    site, page_pk, label, consumed, root_paths = entry
    model = apps.get_model(label)
    # No ORDER BY (the page manager orders by path): one row by primary key, and
    # compiling the ordering cost a third of this query's time.
    found = list(
        model.objects.select_related(*getattr(model, "route_select_related", ()))
        .filter(pk=page_pk)
        .order_by()[:1]
    )
    if not found:
        return False
    page = found[0]
    components = [component for component in path.split("/") if component]
    request._wagtail_site = site
    request._wagtail_cached_site_root_paths = root_paths
    try:
        request._wagtail_route_for_request = page.route(request, components[consumed:])
    except Http404:
        request._wagtail_route_for_request = None
    return True


def route_from(root, request, path_components):
    prefixes = [
        root.url_path + "/".join(path_components[:length]) + "/"
        for length in range(1, len(path_components) + 1)
    ]
    # The root itself (the home page) names no page below it: no query to build.
    chain = (
        Page.objects.filter(url_path__in=prefixes, path__startswith=root.path, depth__gt=root.depth)
        .order_by("depth")
        .select_related("content_type")
        if prefixes
        else ()
    )
    page, consumed = root, 0
    for candidate in chain:
        if consumed and not _routes_like_page(page):
            break  # a page with sub-routes of its own decides for the rest
        if (
            candidate.depth != root.depth + consumed + 1
            or candidate.slug != path_components[consumed]
        ):
            break
        candidate._cached_parent_obj = page
        page, consumed = candidate, consumed + 1
    if page is root:
        if not path_components:
            setattr(request, ROUTE_ATTR, (root.pk, root._meta.label, 0))
        return Page.route(root, request, path_components)
    specific = _specific(page)
    specific._cached_parent_obj = page._cached_parent_obj
    setattr(request, ROUTE_ATTR, (page.pk, specific._meta.label, consumed))
    return specific.route(request, path_components[consumed:])


def _specific(page):
    model = page.specific_class
    related = getattr(model, "route_select_related", ())
    if model is None or not related:
        return page.specific
    return model.objects.select_related(*related).get(pk=page.pk)


def _routes_like_page(page):
    specific_class = page.specific_class
    return specific_class is not None and specific_class.route is Page.route
