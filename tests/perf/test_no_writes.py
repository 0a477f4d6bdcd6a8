"""An anonymous visitor reading public pages never writes to the database: no image
rendition in the database cache, no session, nothing logged. Caches fill once (on
the first view after a change), then every view is a read."""

import pytest

from tests.perf.conftest import build_site, count, writes
from tests.perf.test_bounded_queries import PUBLIC

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page_cache", [True, False], ids=["page cache on", "page cache off"])
def test_anonymous_views_write_nothing(client, database_caches, page_cache):
    database_caches.PAGE_CACHE = page_cache
    site = build_site(2)
    for name, url in PUBLIC.items():
        client.get(url(site))  # fills the caches
        response, queries = count(client, url(site))
        assert response.status_code == 200, name
        assert not writes(queries), (name, writes(queries))
        assert "sessionid" not in response.cookies, name
        assert "sessionid" not in client.cookies, name
