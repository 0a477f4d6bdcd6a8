"""Template tags of the public site."""

from django import template
from wagtail.models import Site

from content import caching
from content.blocks import figures_scope, shows_live_figures
from content.caching import generation, shared_cache
from content.models import NavigationSettings
from portal import generations
from portal.page_cache import depends_on, storing

register = template.Library()


@register.simple_tag(takes_context=True)
def link_href(context, link):
    """The address of a LinkBlock value, resolved with the current request.

    ``page.url`` without a request reads the site's root paths from the shared
    cache on every call; with the request Wagtail reads them once per request.
    """
    return link.href_for(context.get("request"))


@register.simple_tag(takes_context=True)
def navigation(context):
    """The main menu and the footer of the current site, as plain data.

    Read from the page-cache alias when there is one (one cache read instead of
    the settings row and two page queries), under the ``all`` generation that a
    page's new title or address and a saved navigation bump (content/caching.py).
    """
    request = context.get("request")
    if request is not None and hasattr(request, "_portal_navigation"):
        return request._portal_navigation  # the header and the footer share it
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return build_navigation(None, request)
    cache = shared_cache()
    key = f"navigation:{site.pk}@{generation(cache, request)}" if cache is not None else None
    value = caching.get(cache, key) if cache is not None else None
    if value is None:
        value = build_navigation(site, request)
        if cache is not None:
            caching.put(cache, key, value)
    if request is not None:
        request._portal_navigation = value
    return value


def build_navigation(site, request):
    if site is None:
        return {"menu": [], "footer_links": [], "footer_text": ""}
    nav = NavigationSettings.for_site(site)

    def items(stream):
        links = []
        for block in stream:
            page = block.value.get("page")
            links.append(
                {
                    "href": block.value.href_for(request),
                    "text": str(block.value.text or ""),
                    "page_id": page.pk if page else None,
                }
            )
        return links

    return {
        "menu": items(nav.main_menu),
        "footer_links": items(nav.footer_links),
        "footer_text": nav.footer_text,
    }


@register.simple_tag(takes_context=True)
def stream_cache_key(context, page, stream, name):
    """What a published page's cached StreamField fragment is kept under: the page,
    its publication, and the generations of what it shows (``all``; its live figures'
    scope when it has that block), read before it renders. Also tells the page cache
    that the page shows them, even when the fragment comes from the cache.

    Empty when the page cache stores the whole page (``storing``): the fragment is
    then rendered in place, saving its own cache read and write."""
    request = context.get("request")
    scopes = [generations.ALL]
    if shows_live_figures(stream):
        scopes.append(figures_scope(page))
    depends_on(request, *scopes)
    if storing(request):
        return ""
    cache = shared_cache()
    if cache is None:
        return f"{page.pk}:{name}:{page.last_published_at.isoformat()}"
    counters = generations.for_request(request, cache, scopes).values()
    return f"{page.pk}:{name}:{page.last_published_at.isoformat()}:" + ":".join(
        str(counter) for counter in counters
    )
