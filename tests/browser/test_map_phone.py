"""On a 360 px phone, the list and the map are one tap away, above the fold."""

import pytest

from content.models import MapPage
from portal.demo.mediation_sites import MAP_PAGE
from tests.browser.test_map import block_tiles, map_url  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 360, "height": 640}


def in_first_screen(locator):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_list_and_map_reachable_at_once_on_a_phone(browser, axe, map_url):  # noqa: F811
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    block_tiles(page)
    # The demo's own title and introduction, as long as a programme would write them.
    MapPage.objects.update(title=MAP_PAGE["title"], intro=MAP_PAGE["intro"])
    page.goto(map_url)
    page.wait_for_function("() => window.siteMap && window.siteMap.ready")

    list_button = page.get_by_role("button", name="Liste")
    map_button = page.get_by_role("button", name="Carte")
    assert in_first_screen(list_button) and in_first_screen(map_button)
    assert list_button.get_attribute("aria-pressed") == "true"
    # The list is shown first; one tap brings it into view.
    assert page.locator("#site-list").is_visible()
    assert not page.locator("#site-map").is_visible()
    axe(page)
    list_button.click()
    assert in_first_screen(page.locator("#site-list li.site-card").first.locator("h3, h2").first)

    map_button.click()
    assert map_button.get_attribute("aria-pressed") == "true"
    site_map = page.locator("#site-map")
    assert site_map.is_visible() and not page.locator("#site-list").is_visible()
    assert site_map.bounding_box()["y"] < PHONE["height"]
    assert page.evaluate("window.siteMap.count") == 2
    page.wait_for_selector("#site-map .leaflet-marker-icon")
    axe(page)

    list_button.click()
    assert page.locator("#site-list").is_visible() and not site_map.is_visible()
    # The filters stay one tap away.
    page.get_by_role("link", name="Filtres").click()
    assert in_first_screen(page.locator("#filters-title"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
