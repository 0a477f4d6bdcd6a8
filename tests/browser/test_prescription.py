"""A prescriber fills the prescription form with the keyboard only; site staff read their queue."""

import pytest

from forms.kinds.prescription.models import Prescription
from portal.roles import MEDIATION
from tests.browser.test_pledge_form import next_step, tab_to, type_into
from tests.factories import (
    CampaignPageFactory,
    FormPageFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    criteria_for,
    make_site_tree,
    prescription_steps,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def prescription_form():
    _, index = make_site_tree()
    campaign = CampaignPageFactory(parent=index, slug="ordipin40")
    criteria_for(campaign)
    MediationSiteFactory(
        nom="Médiathèque de Dax",
        commune="Dax",
        code_postal="40100",
        latitude=43.71,
        longitude=-1.05,
    )
    MediationSiteFactory(nom="Espace Mont-de-Marsan", commune="Mont-de-Marsan", code_postal="40000")
    return FormPageFactory(
        parent=campaign,
        slug="prescription",
        kind="prescription",
        steps=prescription_steps(),
        notify_emails="",
    )


def test_keyboard_only_prescription_with_accessibility_checks(
    page, live_server, prescription_form, axe
):
    page.goto(live_server.url + prescription_form.url)
    axe(page)
    tab_to(page, "#id_etape-1-prescriber_kind")
    page.keyboard.type("Centres communaux")  # type-ahead in the drop-down list
    type_into(page, "id_etape-1-prescriber_organisation", "CCAS de Dax")
    type_into(page, "id_etape-1-prescriber_name", "Julie Lacoste")
    type_into(page, "id_etape-1-prescriber_email", "julie@example.org")
    next_step(page, axe)

    type_into(page, "id_etape-2-beneficiary_first_name", "Amina")
    type_into(page, "id_etape-2-beneficiary_last_name", "Diallo")
    type_into(page, "id_etape-2-beneficiary_phone", "06 12 34 56 78")
    type_into(page, "id_etape-2-commune", "Dax")
    type_into(page, "id_etape-2-postcode", "40100")
    next_step(page, axe)

    tab_to(page, "#id_etape-3-priority_criterion_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_etape-3-situation_0")
    page.keyboard.press("ArrowDown")  # RSA
    tab_to(page, "#id_etape-3-needs_0")
    page.keyboard.press("Space")
    next_step(page, axe)

    # The site chooser's search box narrows the list.
    tab_to(page, ".site-filter input")
    page.keyboard.type("mont-de")
    assert page.inner_text(".site-filter__count") == "1 lieu(x) affiché(s)"
    assert page.locator("label", has_text="Médiathèque de Dax").is_hidden()
    page.keyboard.press("Enter")  # does not send the step
    assert "Étape 4" in page.inner_text(".wizard__progress")
    tab_to(page, "input[data-site-chooser]:not([hidden] *)")
    page.keyboard.press("Space")
    next_step(page, axe)

    tab_to(page, "#id_etape-5-beneficiary_agreement")
    page.keyboard.press("Space")
    tab_to(page, "#id_etape-5-prescriber_commitment")
    page.keyboard.press("Space")
    next_step(page, axe)
    assert page.inner_text("h1") == "Vérifiez vos réponses"
    tab_to(page, "button[data-submit-once]")
    with page.expect_navigation(url="**/merci/"):
        page.keyboard.press("Enter")
    axe(page)
    prescription = Prescription.objects.get()
    assert prescription.site.nom == "Espace Mont-de-Marsan"
    assert prescription.prescriber_kind == "CCAS"
    assert prescription.reference in page.inner_text(".confirmation")


def test_site_staff_queue_in_the_admin(page, live_server):
    staff = UserFactory(username="maud", groups=[MEDIATION])
    staff.set_password("maud-secret")
    staff.save()
    own = MediationSiteFactory(nom="Espace Mont-de-Marsan", staff=[staff])
    other = MediationSiteFactory(nom="France Services Poitiers")
    _, index = make_site_tree()
    campaign = CampaignPageFactory(parent=index)
    criteria = {c.order: c for c in criteria_for(campaign)}
    PrescriptionFactory(
        site=own,
        campaign=campaign,
        beneficiary_last_name="Étudiant",
        priority_criterion=criteria[4],
    )
    PrescriptionFactory(
        site=own, campaign=campaign, beneficiary_last_name="Famille", priority_criterion=criteria[1]
    )
    PrescriptionFactory(
        site=other,
        campaign=campaign,
        beneficiary_last_name="Ailleurs",
        priority_criterion=criteria[1],
    )

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "maud")
    page.fill("#id_password", "maud-secret")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(live_server.url + "/admin/forms/prescription/")
    rows = page.locator("table.listing tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert "Famille" in rows[0] and "Étudiant" in rows[1]
    assert "Ailleurs" not in page.inner_text("main")
    # No export of personal data for site staff.
    assert page.locator("text=CSV").count() == 0
