"""Point the default Wagtail Site at the address the portal is served on.

Wagtail builds absolute page URLs (the read API's ``html_url``, links in emails)
from the default Site's hostname and port. `make run HOST=… PORT=…` calls this
command with the address it serves on; in production it takes the address from
``WAGTAILADMIN_BASE_URL`` (run it once per release, after ``migrate``).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


def site_address(url):
    """(hostname, port) of an absolute URL such as ``https://ordis.example.org``."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(url)
    default_port = 443 if parts.scheme == "https" else 80
    return parts.hostname, parts.port or default_port


class Command(BaseCommand):
    help = "Sets the default site's hostname and port from a URL (default: WAGTAILADMIN_BASE_URL)."

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", help="e.g. http://127.0.0.1:8001")

    def handle(self, *args, url=None, **options):
        url = url or settings.WAGTAILADMIN_BASE_URL
        try:
            hostname, port = site_address(url)
        except ValueError as error:
            raise CommandError(f"Not an absolute http(s) URL: {url}") from error
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("No default site: run `manage.py load_demo` or create one.")
        if (site.hostname, site.port) != (hostname, port):
            site.hostname, site.port = hostname, port
            site.save(update_fields=["hostname", "port"])
        self.stdout.write(f"Site address: {site.root_url}")
