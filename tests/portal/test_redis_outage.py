"""Redis down must not mean site down: with the production cache layout on a real
redis-server (tests/redis_server.py), the server is killed in the middle of the
test: public pages keep answering 200 from the database, a whole pledge goes
through, /healthz says "degraded"; once Redis is back, pages are cached again."""

import logging
import time

import pytest
from django.core.cache import caches

from forms.kinds.pledge.models import DonorPledge
from portal import generations
from portal.page_cache import HIT_HEADER
from tests.factories import CampaignPageFactory, FormPageFactory, MapPageFactory
from tests.forms.conftest import Walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(redis_caches, home, campaign_index):
    redis_caches.PAGE_CACHE = True
    redis_caches.FORM_RATE_LIMIT = (10**6, 600)
    campaign = CampaignPageFactory(parent=campaign_index, title="Landes", slug="landes")
    campaign.save_revision().publish()
    carte = MapPageFactory(parent=home, slug="carte")
    carte.save_revision().publish()
    form_page = FormPageFactory(parent=campaign)
    return {"home": home, "campaign": campaign, "map": carte, "form": form_page}


def public_urls(site):
    return [site["home"].url, site["campaign"].url, site["map"].url]


def test_pages_and_the_pledge_wizard_keep_working_while_redis_is_down(
    client, site, redis_server, caplog
):
    for url in public_urls(site):
        client.get(url)
        assert client.get(url)[HIT_HEADER] == "hit"

    redis_server.stop()
    with caplog.at_level(logging.ERROR, logger="portal.cache_backends"):
        for url in public_urls(site):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.get(HIT_HEADER) != "hit"
        walk = Walk(client, site["form"])
        walk.fill()
        assert walk.post("verification").status_code == 302
        assert client.get(walk.thanks_url).status_code == 200
    assert DonorPledge.objects.count() == 1  # its purge was lost, the pledge was not
    assert any("served as a miss" in record.message for record in caplog.records)

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["cache"] == "degraded"


def test_the_cache_comes_back_on_its_own_when_redis_does(client, site, redis_server):
    url = site["campaign"].url
    redis_server.stop()
    assert client.get(url).status_code == 200
    redis_server.start()  # empty, as after a restart
    time.sleep(0.6)  # the fixture's retry_seconds: calls resume after it
    assert client.get(url)[HIT_HEADER] == "miss"
    assert client.get(url)[HIT_HEADER] == "hit"
    assert client.get("/healthz").json()["cache"] == "ok"


def test_every_cache_call_answers_as_a_miss_during_the_outage(site, redis_server):
    cache = caches["pages"]
    cache.set("kept", 1)
    redis_server.stop()
    assert cache.get("kept", "absent") == "absent"
    assert cache.get_many(["kept"]) == {}
    assert cache.add("other", 1) is False
    assert cache.set("other", 1) is None
    assert cache.incr("kept") is None
    assert cache.delete("kept") is False
    generations.bump(cache, [generations.ALL])  # a purge: logged, not raised
    with pytest.raises(Exception):  # noqa: B017 - /healthz must see what the rest hides
        cache.ping()
