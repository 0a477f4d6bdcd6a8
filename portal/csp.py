"""Content-Security-Policy (django-csp): one strict policy for the public site,
the same plus what the Wagtail admin still needs under /admin/.

The public pages, the map (Leaflet and its plugin are served from our static
files; the tiles come from MAP_TILE_URL's host) and the forms run no inline
script and load nothing from another origin but the map tiles.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def tile_sources(tile_url):
    """The origin(s) of an XYZ tile URL template, for img-src ("{s}." -> "*.")."""
    parts = urlsplit(tile_url or "")
    if not parts.scheme or not parts.netloc:
        return []
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:  # another placeholder in the host: its parent domain's sub-domains
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return [f"{parts.scheme}://{host}"]


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        admin_update = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN_UPDATE", None)
        if not report_only and admin_update and request.path_info.startswith("/admin/"):
            update = dict(parts.update or {})
            for directive, sources in admin_update.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts = PolicyParts(parts.config, update, parts.replace, parts.nonce)
        return parts
