"""Home and campaign pages in a real Chromium: keyboard navigation and axe-core."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_home_page_keyboard_and_accessibility(page, live_server, demo_site, axe):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.title().startswith("Ordinateurs solidaires")

    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    axe(page)

    # Keyboard only: tab to the campaigns menu entry and follow it.
    page.goto(live_server.url + "/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Campagnes":
            break
    else:
        pytest.fail("The 'Campagnes' menu link is not reachable with the keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/campagnes/")
    assert page.locator("h1").inner_text() == "Campagnes"
    axe(page)


def test_campaign_page_accessibility_and_disclosure(page, live_server, demo_site, axe):
    page.goto(live_server.url + "/campagnes/mon-ordi-est-une-chance/")
    assert page.locator("h1").inner_text() == "Mon ordi est une chance"
    axe(page)

    # The FAQ opens with the keyboard alone.
    summary = page.locator("summary", has_text="Que deviennent mes données ?")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.faq__item", has=summary).get_attribute("open") is not None
    assert page.get_by_text("intégralement effacées par le reconditionneur").is_visible()

    # The status filter of the campaign index works with the keyboard.
    page.goto(live_server.url + "/campagnes/")
    page.locator("#filter-status").select_option("finished")
    page.locator("#filter-status").press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**status=finished")
    assert page.locator(".card__title").all_inner_texts() == [
        "Filière solidaire de reconditionnement en Anjou",
        "Mon ordi est une chance",
        "OrdiPin40",
    ]
    axe(page)


def test_pages_work_on_a_phone(browser, live_server, demo_site, axe):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        for path in ("/", "/campagnes/ordipin40/", "/recherche/?q=ordinateur"):
            page.goto(live_server.url + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls horizontally on a phone"
            axe(page)
    finally:
        context.close()
