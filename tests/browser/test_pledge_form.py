"""A company fills the pledge form in Chromium with the keyboard only; axe-core on every step."""

import pytest

from forms.kinds.pledge.models import DonorPledge
from tests.factories import CampaignPageFactory, FormPageFactory, make_site_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector, limit=60):
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    pytest.fail(f"{selector} cannot be reached with the Tab key")


def type_into(page, field_id, text):
    tab_to(page, f"#{field_id}")
    page.keyboard.type(text)


def next_step(page, axe):
    tab_to(page, "button[data-wizard-next]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe(page)


@pytest.fixture
def pledge_form():
    _, index = make_site_tree()
    campaign = CampaignPageFactory(parent=index, slug="mon-ordi")
    return FormPageFactory(parent=campaign)


def test_keyboard_only_pledge_with_accessibility_checks(page, live_server, pledge_form, axe):
    page.goto(live_server.url + pledge_form.url)
    assert "Étape 1 sur 5" in page.inner_text(".wizard__progress")
    axe(page)

    # Sending an empty step: errors summarised at the top, focus moved there.
    next_step(page, axe)
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "problèmes sur cette page" in page.inner_text("#error-summary")

    type_into(page, "id_etape-1-organisation_name", "Atlantique Logistique")
    tab_to(page, "#id_etape-1-organisation_kind_0")
    page.keyboard.press("Space")
    type_into(page, "id_etape-1-siret", "732 829 320 00074")
    next_step(page, axe)
    assert "Étape 2 sur 5" in page.inner_text(".wizard__progress")

    type_into(page, "id_etape-2-contact_name", "Sophie Martin")
    type_into(page, "id_etape-2-contact_email", "sophie@example.com")
    next_step(page, axe)

    type_into(page, "id_etape-3-address", "12 rue du Port")
    type_into(page, "id_etape-3-postcode", "17000")
    type_into(page, "id_etape-3-city", "La Rochelle")
    tab_to(page, "#id_etape-3-pickup_address_differs_0")
    page.keyboard.press("ArrowDown")  # "Non"
    next_step(page, axe)
    assert page.inner_text("h1") == "Matériel et engagements"

    type_into(page, "id_etape-5-laptops", "12")
    tab_to(page, "#id_etape-5-accessories_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_etape-5-erasure_by_0")
    page.keyboard.press("Space")
    # The conditional question appears only when "Autre" is chosen.
    assert page.locator("[data-field-name=connu_par_autre]").is_hidden()
    tab_to(page, "#id_etape-5-connu_par_0")
    page.keyboard.press("ArrowDown")  # "Autre"
    assert page.locator("[data-field-name=connu_par_autre]").is_visible()
    type_into(page, "id_etape-5-connu_par_autre", "Un salon")
    tab_to(page, "#id_etape-5-terms_accepted")
    page.keyboard.press("Space")
    next_step(page, axe)

    assert page.inner_text("h1") == "Vérifiez vos réponses"
    assert "Atlantique Logistique" in page.inner_text("main")
    tab_to(page, "button[data-submit-once]")
    with page.expect_navigation(url="**/merci/"):
        page.keyboard.press("Enter")
    axe(page)
    pledge = DonorPledge.objects.get()
    assert pledge.reference in page.inner_text(".confirmation")
    assert pledge.extra_answers["connu_par_autre"]["value"] == "Un salon"
