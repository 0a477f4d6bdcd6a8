"""The campaign page a pledge just changed: its first view renders anew (the pledge
bumped the campaign's generation) in a fixed, small number of queries, the live
figures included. `make bench` times the same view against stock Wagtail's home."""

import pytest

from portal.page_cache import HIT_HEADER
from tests.factories import DonorPledgeFactory
from tests.perf.conftest import build_site, count

pytestmark = pytest.mark.django_db

# The route (1), the live figures (5: the campaign's mediation sites, pledged
# computers, devices, handover sheets, donor organisations), the partners' logos
# (1) and the call to action's page (1).
FIRST_VIEW_QUERIES = 8
FIGURE_TABLES = ("forms_", "content_mediationsite")


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


def test_first_view_after_a_pledge_renders_the_new_figures_in_bounded_queries(client):
    campaign = build_site(1)["campaign"]
    client.get(campaign.url)
    before = client.get(campaign.url)
    assert before[HIT_HEADER] == "hit"

    DonorPledgeFactory(campaign=campaign, laptops=7)
    response, queries = count(client, campaign.url)

    assert response[HIT_HEADER] == "miss"
    assert response.content != before.content
    figure_queries = [q for q in queries if any(t in q["sql"] for t in FIGURE_TABLES)]
    assert len(figure_queries) <= 5, [q["sql"][:120] for q in figure_queries]
    assert len(queries) <= FIRST_VIEW_QUERIES, [q["sql"][:120] for q in queries]
    assert client.get(campaign.url)[HIT_HEADER] == "hit"
