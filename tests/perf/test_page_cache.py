"""The anonymous page cache: what it stores, what it never stores, when it forgets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.page_cache import HIT_HEADER
from tests.factories import (
    CampaignPageFactory,
    FormPageFactory,
    MapPageFactory,
    MediationSiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


@pytest.fixture
def campaign(campaign_index):
    page = CampaignPageFactory(parent=campaign_index, title="Landes", slug="landes")
    publish(page)
    return page


def test_second_anonymous_view_is_served_from_the_cache_in_one_query(client, campaign):
    first = client.get(campaign.url)
    assert first[HIT_HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(campaign.url)
    assert second[HIT_HEADER] == "hit"
    assert second.content == first.content
    assert len(queries) <= 1  # one cache read (none at all with Redis)
    assert "sessionid" not in second.cookies


def test_publishing_unpublishing_moving_and_deleting_purge(client, campaign, campaign_index):
    client.get(campaign.url)
    publish(campaign, title="Landes solidaires")
    assert b"Landes solidaires" in client.get(campaign.url).content

    client.get(campaign.url)
    campaign.unpublish()
    assert client.get(campaign.url).status_code == 404

    publish(campaign)
    other_index = CampaignPageFactory(parent=campaign_index, slug="autre")
    old_url = campaign.url
    client.get(old_url)
    campaign.move(other_index, pos="last-child")
    campaign.refresh_from_db()
    moved = client.get(old_url)  # Wagtail's automatic redirect, not the cached page
    assert moved.status_code == 301
    assert moved["Location"] == campaign.url

    assert client.get(campaign.url).status_code == 200
    campaign.delete()
    assert client.get(campaign.url).status_code == 404


def test_a_record_shown_on_a_page_purges_it(client, home):
    map_page = MapPageFactory(parent=home)
    publish(map_page)
    site = MediationSiteFactory(nom="Espace du port")
    assert b"Espace du port" in client.get(map_page.url).content
    site.nom = "Espace de la gare"
    site.save()
    assert b"Espace de la gare" in client.get(map_page.url).content


def test_logged_in_editors_are_never_served_nor_stored(client, campaign, superuser):
    client.force_login(superuser)
    response = client.get(campaign.url)
    assert HIT_HEADER not in response
    client.logout()
    client.cookies.clear()
    assert client.get(campaign.url)[HIT_HEADER] == "miss"  # nothing was stored for the editor


def test_wizard_steps_and_follow_up_links_are_never_stored(client, campaign):
    form_page = FormPageFactory(parent=campaign)
    start = client.get(form_page.url)
    step = client.get(start["Location"])
    assert step.status_code == 200
    assert HIT_HEADER not in step
    client.cookies.clear()
    assert HIT_HEADER not in client.get(start["Location"])
    assert HIT_HEADER not in client.get("/suivi-don/not-a-real-token/")


def test_a_visitor_with_a_session_is_not_served_from_the_cache(client, campaign):
    client.get(campaign.url)
    client.cookies["sessionid"] = "someone"
    assert HIT_HEADER not in client.get(campaign.url)


def test_the_setting_turns_it_off(client, campaign, settings):
    settings.PAGE_CACHE = False
    client.get(campaign.url)
    assert HIT_HEADER not in client.get(campaign.url)


def test_pages_holding_a_csrf_token_are_not_stored(client, rf, campaign):
    from portal.page_cache import REQUEST_FLAG, is_storable

    request = rf.get(campaign.url)
    setattr(request, REQUEST_FLAG, True)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    from django.http import HttpResponse

    assert not is_storable(request, HttpResponse("<form>"))
