"""Template tags of the public site."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def link_href(context, link):
    """The address of a LinkBlock value, resolved with the current request.

    ``page.url`` without a request reads the site's root paths from the shared
    cache on every call; with the request Wagtail reads them once per request.
    """
    return link.href_for(context.get("request"))
