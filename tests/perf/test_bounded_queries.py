"""Public pages, API listings and wizard steps make the same number of queries on a
small site and on one ten times larger (pages, images, mediation sites, records)."""

import re

import pytest

from tests.forms.conftest import VALID_ANSWERS
from tests.perf.conftest import build_site, count, grow

SMALL, LARGE = 2, 20

PUBLIC = {
    "home": lambda s: s["home"].url,
    "campaign index": lambda s: s["index"].url,
    "campaign": lambda s: s["campaign"].url,
    "map": lambda s: s["map"].url,
    "mediation site": lambda s: s["map"].site_url(s["site"]),
    "api pages": lambda s: "/api/v2/pages/",
    "api campaigns": lambda s: "/api/v2/pages/?type=content.CampaignPage",
    "api campaigns, all fields": lambda s: "/api/v2/pages/?type=content.CampaignPage&fields=*",
    "api images": lambda s: "/api/v2/images/",
    "api documents": lambda s: "/api/v2/documents/",
    "api mediation sites": lambda s: "/api/v2/mediation-sites/",
    "geojson": lambda s: "/api/mediation-sites.geojson",
}
WALK = ("etape-1", "etape-2", "etape-3", "etape-5", "verification")


def public_counts(client, site):
    counts = {}
    for name, url in PUBLIC.items():
        client.get(url(site))  # warm: renditions, routes and fragments are cached once
        response, queries = count(client, url(site))
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def walk_counts(client, form_page, warm=True):
    """Queries of each GET and POST of a whole pledge walk (after a first, unmeasured one)."""
    if warm:
        walk_counts(client, form_page, warm=False)
    response = client.get(form_page.url)
    token = re.search(r"/([0-9a-f]{32})/", response["Location"]).group(1)
    counts = {}
    for step in WALK:
        url = f"{form_page.url}{token}/{step}/"
        response, queries = count(client, url)
        assert response.status_code == 200, (step, response.status_code)
        counts[f"{step} GET"] = len(queries)
        data = {f"{step}-{k}": v for k, v in VALID_ANSWERS.get(step, {}).items()}
        data[f"form_{form_page.pk}_{token}-current_step"] = step
        response, queries = count(client, url, "post", **data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
        counts[f"{step} POST"] = len(queries)
    return counts


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data(client, settings):
    settings.FORM_RATE_LIMIT = (10**6, 600)
    site = build_site(SMALL)
    small = {**public_counts(client, site), **walk_counts(client, site["form_page"])}

    grow(site, LARGE - SMALL)  # ten times more of everything
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    client.cookies.clear()
    large = {**public_counts(client, site), **walk_counts(client, site["form_page"])}

    grown = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    assert not grown, f"queries (small, 10x) that grew with the data: {grown}"
