"""Template tags of the public site."""

from django import template
from django.conf import settings
from django.core.cache import caches
from wagtail.models import Site

from content.models import NavigationSettings

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
    the settings row and two page queries); that alias is cleared whenever a
    page is published, moved or deleted and when the navigation is saved.
    """
    request = context.get("request")
    if request is not None and hasattr(request, "_portal_navigation"):
        return request._portal_navigation  # the header and the footer share it
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return build_navigation(None, request)
    cache = caches["pages"] if "pages" in settings.CACHES else None
    key = f"navigation:{site.pk}"
    value = cache.get(key) if cache is not None else None
    if value is None:
        value = build_navigation(site, request)
        if cache is not None:
            cache.set(key, value)
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
