"""The public map in Chromium: filter, read the list, open a site, axe-core."""

import pytest

from tests.factories import (
    CampaignPageFactory,
    MapPageFactory,
    MediationSiteFactory,
    make_site_tree,
)

COMPUTERS = "Acquisition de matériel informatique à prix solidaire"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def map_url(live_server):
    home, _index = make_site_tree()
    page = MapPageFactory(parent=home)
    MediationSiteFactory(
        nom="Atelier Ordi'Partage Dax",
        commune="Dax",
        code_postal="40100",
        latitude=43.71,
        longitude=-1.05,
        services=COMPUTERS,
    )
    MediationSiteFactory(
        nom="Médiathèque de Poitiers",
        commune="Poitiers",
        code_postal="86000",
        latitude=46.58,
        longitude=0.34,
        services="Loisirs et créations numériques",
        modalites_acces="Téléphoner",
    )
    MediationSiteFactory(nom="Lieu caché", is_published=False)
    return live_server.url + page.url


def block_tiles(page):
    # No network on test machines: tile requests fail, the page must still work.
    page.route("**/*.tile.openstreetmap.fr/**", lambda route: route.abort())


def test_filter_map_and_list_then_open_a_site(page, axe, map_url):
    block_tiles(page)
    page.goto(map_url)
    page.wait_for_function("() => window.siteMap && window.siteMap.ready")
    assert page.evaluate("window.siteMap.count") == 2
    assert page.locator("#site-count").inner_text().startswith("2")
    axe(page)

    page.locator("#filter-materiel").check()
    page.locator("#site-filters button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('#site-count').textContent.trim().startsWith('1')"
    )
    page.wait_for_function("() => window.siteMap.ready && window.siteMap.count === 1")
    items = page.locator("#site-list li.site-card")
    assert items.count() == 1
    assert "Dax" in items.first.inner_text()
    assert "materiel=1" in page.url

    page.get_by_role("link", name="Atelier Ordi'Partage Dax").click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Atelier Ordi'Partage Dax"
    assert page.locator("h2#site-hours").count() == 1
    axe(page)


def test_list_works_without_javascript(browser, map_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(map_url)
    assert not page.locator("#site-map").is_visible()
    page.locator("#filter-q").fill("Poitiers")
    page.locator("#site-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#site-list li.site-card").count() == 1
    assert "Poitiers" in page.locator("#site-list").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    context.close()


def test_filter_by_campaign_updates_list_and_map(page, axe, live_server):
    home, index = make_site_tree()
    map_page = MapPageFactory(parent=home)
    MediationSiteFactory(nom="Atelier de Dax", commune="Dax", code_postal="40100")
    MediationSiteFactory(
        nom="Centre de Poitiers",
        commune="Poitiers",
        code_postal="86000",
        latitude=46.58,
        longitude=0.34,
    )
    campaign = CampaignPageFactory(parent=index, title="Ordinateurs solidaires", slug="poitiers")
    campaign.departments = "86"
    campaign.save_revision().publish()
    block_tiles(page)
    page.goto(live_server.url + map_page.url)
    page.wait_for_function("() => window.siteMap && window.siteMap.ready")
    assert page.evaluate("window.siteMap.count") == 2

    page.get_by_label("Campagne").select_option("poitiers")
    page.locator("#site-filters button[type=submit]").click()
    page.wait_for_function(
        "() => document.querySelector('#site-count').textContent.trim().startsWith('1')"
    )
    page.wait_for_function("() => window.siteMap.ready && window.siteMap.count === 1")
    assert "Poitiers" in page.locator("#site-list").inner_text()
    assert "campagne=poitiers" in page.url
    axe(page)
