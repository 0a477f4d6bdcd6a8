"""The campaign page a pledge just changed: its first view renders anew (the pledge
bumped the campaign's generation) in a fixed, small number of queries, the live
figures included; and the home page after a purge of everything. `make bench` times
the same views against stock Wagtail's home.

With the database cache (production's layout) every cache read and write is a query
too: the generation counters are read once per request (portal/generations.py
``for_request``) and a page stored whole does not also store its body's fragment
(content_tags.stream_cache_key)."""

import pytest

from portal.page_cache import HIT_HEADER, purge
from tests.factories import DonorPledgeFactory
from tests.perf.conftest import build_site, count

pytestmark = pytest.mark.django_db

# The route (1), the live figures (2: the campaign's mediation sites, and one for
# the devices with the pledged computers, handover sheets and donor organisations in
# subqueries: forms/logistics/services/figures.py), the partners' logos (1) and the
# call to action's page (1).
FIRST_VIEW_QUERIES = 5
FIGURE_QUERIES = 2
FIGURE_TABLES = ("forms_", "content_mediationsite")
# The same, plus the database cache: one read for the page entry with ``epoch`` and
# ``all``, one for the campaign's counter, one each for the route, the view
# restrictions and the navigation, and the page entry's write (5: count for culling,
# savepoint, look-up, update, release).
FIRST_VIEW_QUERIES_DATABASE_CACHE = 15
# The home page after a purge of everything, database cache: every fact kept under
# ``all`` (route, view restrictions, navigation) is computed and written again.
HOME_AFTER_PURGE_QUERIES_DATABASE_CACHE = 34
READ = 'SELECT "cache_key", "value"'


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


def first_view_after_a_pledge(client):
    campaign = build_site(1)["campaign"]
    client.get(campaign.url)
    before = client.get(campaign.url)
    assert before[HIT_HEADER] == "hit"

    DonorPledgeFactory(campaign=campaign, laptops=7)
    response, queries = count(client, campaign.url)

    assert response[HIT_HEADER] == "miss"
    assert response.content != before.content
    figure_queries = [q for q in queries if any(t in q["sql"] for t in FIGURE_TABLES)]
    assert len(figure_queries) <= FIGURE_QUERIES, [q["sql"][:120] for q in figure_queries]
    assert client.get(campaign.url)[HIT_HEADER] == "hit"
    return queries


def test_first_view_after_a_pledge_renders_the_new_figures_in_bounded_queries(client):
    queries = first_view_after_a_pledge(client)
    assert len(queries) <= FIRST_VIEW_QUERIES, [q["sql"][:120] for q in queries]


def test_first_view_after_a_pledge_with_the_database_cache(client, database_caches):
    database_caches.PAGE_CACHE = True
    queries = first_view_after_a_pledge(client)
    assert len(queries) <= FIRST_VIEW_QUERIES_DATABASE_CACHE, [q["sql"][:120] for q in queries]
    reads = [q["sql"] for q in queries if q["sql"].startswith(READ)]
    # Each counter read once: ``all`` with the page entry, the campaign's on its own.
    assert sum(":gen:all" in sql for sql in reads) == 1, reads
    assert sum(":gen:campaign:" in sql for sql in reads) == 1, reads
    # The body is not kept apart from the page that holds it.
    assert not [sql for sql in reads if "template.cache.streamfield" in sql], reads


def test_home_after_a_purge_with_the_database_cache(client, database_caches):
    database_caches.PAGE_CACHE = True
    build_site(1)
    client.get("/")
    assert client.get("/")[HIT_HEADER] == "hit"

    purge()
    response, queries = count(client, "/")

    assert response[HIT_HEADER] == "miss"
    assert len(queries) <= HOME_AFTER_PURGE_QUERIES_DATABASE_CACHE, [
        q["sql"][:120] for q in queries
    ]
    reads = [q["sql"] for q in queries if q["sql"].startswith(READ)]
    assert sum(":gen:all" in sql for sql in reads) == 1, reads
    assert client.get("/")[HIT_HEADER] == "hit"


def test_pages_served_again_read_no_fact_kept_under_all_from_the_cache(client, database_caches):
    """Page cache off: the route, the view restrictions, the navigation and the private
    sections excluded from the home's campaigns are this process's copies (their keys
    carry the ``all`` generation, content/caching.py), not cache reads."""
    database_caches.PAGE_CACHE = False
    campaign = build_site(1)["campaign"]
    for url in (campaign.url, "/"):
        first = client.get(url)
        response, queries = count(client, url)
        assert response.content == first.content
        sqls = [q["sql"] for q in queries]
        for kept in (":route:", ":restricted:", ":navigation:", ":private-sections"):
            assert not [sql for sql in sqls if kept in sql], (url, sqls)
        assert not [sql for sql in sqls if "wagtailcore_pageviewrestriction" in sql], (url, sqls)


def test_a_purge_ends_the_process_copies(client, database_caches):
    database_caches.PAGE_CACHE = False
    site = build_site(1)
    campaign = site["campaign"]
    client.get(campaign.url)
    assert client.get(campaign.url).status_code == 200
    campaign.unpublish()
    assert client.get(campaign.url).status_code == 404


def test_no_process_copy_without_a_generation():
    from content import caching

    caching._keep("route:x@None", "stale")
    assert "route:x@None" not in caching._local
