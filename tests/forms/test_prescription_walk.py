"""A prescriber refers a person to a mediation site, without an account."""

import re

import pytest
from django.core import mail

from forms.kinds.prescription.models import Prescription, PriorityCriterion
from tests.factories import (
    CampaignPageFactory,
    FormPageFactory,
    MediationSiteFactory,
    UserFactory,
    criteria_for,
    prescription_steps,
)
from tests.forms.conftest import Walk

pytestmark = pytest.mark.django_db
COMPUTERS = "Acquisition de matériel informatique à prix solidaire"


@pytest.fixture
def sites():
    staff = UserFactory(username="mediatrice", email="mediatrice@example.org")
    return {
        "dax": MediationSiteFactory(
            nom="Médiathèque de Dax",
            commune="Dax",
            code_postal="40100",
            latitude=43.71,
            longitude=-1.05,
            staff=[staff],
        ),
        "mont": MediationSiteFactory(
            nom="Espace Mont-de-Marsan",
            commune="Mont-de-Marsan",
            code_postal="40000",
            latitude=43.89,
            longitude=-0.50,
        ),
        "no_prescriptions": MediationSiteFactory(
            nom="Café numérique Dax",
            commune="Dax",
            code_postal="40100",
            latitude=43.70,
            longitude=-1.06,
            modalites_acces="Se présenter",
        ),
        "poitiers": MediationSiteFactory(
            nom="France Services Poitiers",
            commune="Poitiers",
            code_postal="86000",
            latitude=46.58,
            longitude=0.34,
        ),
        "hidden": MediationSiteFactory(nom="Lieu caché", is_published=False),
    }


@pytest.fixture
def prescription_form(campaign):
    criteria_for(campaign)  # each campaign orders its own criteria
    return FormPageFactory(
        parent=campaign,
        slug="prescription",
        kind="prescription",
        steps=prescription_steps(),
        notify_emails="",
    )


def answers(sites):
    return {
        "etape-1": {
            "prescriber_kind": "CCAS",
            "prescriber_organisation": "CCAS de Dax",
            "prescriber_name": "Julie Lacoste",
            "prescriber_email": "julie@example.org",
        },
        "etape-2": {
            "beneficiary_first_name": "Amina",
            "beneficiary_last_name": "Diallo",
            "beneficiary_phone": "06 12 34 56 78",
            "commune": "Dax",
            "postcode": "40100",
            "household_adults": "1",
            "household_children": "3",
        },
        "etape-3": {
            "priority_criterion": str(
                PriorityCriterion.objects.filter(order=1).order_by("pk").first().pk
            ),
            "situation": "rsa",
            "needs": ["computer", "training"],
            "owned_equipment": ["smartphone"],
            "aptic_cheques": "2",
        },
        "etape-4": {"site": str(sites["dax"].pk)},
        "etape-5": {"beneficiary_agreement": "on", "prescriber_commitment": "on"},
    }


def test_site_chooser_puts_sites_accepting_prescriptions_first_then_the_nearest(
    client, prescription_form, sites
):
    walk = Walk(client, prescription_form)
    walk.fill(steps=("etape-1", "etape-2", "etape-3"), answers=answers(sites))
    html = walk.get("etape-4").content.decode()
    order = re.findall(r"<label for=\"id_etape-4-site_\d+\">([^<]+) –", html)
    assert order == [
        "Médiathèque de Dax",
        "Espace Mont-de-Marsan",
        "France Services Poitiers",
        "Café numérique Dax",
    ]
    assert "Lieu caché" not in html
    assert "data-site-chooser" in html


def test_full_prescription_walk(
    client, prescription_form, sites, django_capture_on_commit_callbacks
):
    walk = Walk(client, prescription_form)
    walk.fill(steps=("etape-1", "etape-2", "etape-3", "etape-4", "etape-5"), answers=answers(sites))
    review = walk.get("verification").content.decode()
    assert "Famille avec enfants sans ordinateur" in review and "Médiathèque de Dax" in review
    with django_capture_on_commit_callbacks(execute=True):
        walk.post("verification")
    prescription = Prescription.objects.get()
    assert re.fullmatch(r"PRE-\d{4}-00001", prescription.reference)
    assert prescription.site == sites["dax"]
    assert prescription.status == "received"
    assert prescription.priority_criterion.order == 1
    assert prescription.needs == ["computer", "training"]
    assert prescription.beneficiary_phone == "0612345678"
    assert prescription.aptic_cheques == 2
    assert prescription.beneficiary_agreement_text == "La personne est d'accord (v1)."
    assert prescription.prescriber_commitment_text == "Je protège ses données (v1)."
    assert prescription.reference in walk.client.get(walk.thanks_url).content.decode()

    ack, staff = mail.outbox
    assert ack.to == ["julie@example.org"] and prescription.reference in ack.subject
    assert staff.to == ["mediatrice@example.org"]
    assert prescription.reference in staff.body
    assert (
        "Amina" not in staff.body and "Diallo" not in staff.body and "0612345678" not in staff.body
    )


def test_a_way_to_reach_the_person_is_required(client, prescription_form, sites):
    walk = Walk(client, prescription_form)
    walk.fill(steps=("etape-1",), answers=answers(sites))
    step2 = dict(answers(sites)["etape-2"], beneficiary_phone="", beneficiary_email="")
    response = walk.post("etape-2", step2)
    assert response.status_code == 200
    assert "au moins un moyen de contacter la personne" in response.content.decode()


def test_a_hidden_or_unknown_site_cannot_be_posted(client, prescription_form, sites):
    walk = Walk(client, prescription_form)
    walk.fill(steps=("etape-1", "etape-2", "etape-3"), answers=answers(sites))
    for value in (sites["hidden"].pk, 999999, "abc"):
        response = walk.post("etape-4", {"site": str(value)})
        assert response.status_code == 200
        assert "Sélectionnez un choix valide" in response.content.decode()


def test_campaign_may_use_its_own_criteria(
    client, prescription_form, sites, campaign, campaign_index
):
    PriorityCriterion.objects.filter(campaign=campaign).delete()
    PriorityCriterion.objects.create(label="Lycéen boursier", order=1, campaign=campaign)
    # Another campaign's list is not shared.
    criteria_for(CampaignPageFactory(parent=campaign_index), ["Retraité isolé"])
    walk = Walk(client, prescription_form)
    walk.fill(steps=("etape-1", "etape-2"), answers=answers(sites))
    html = walk.get("etape-3").content.decode()
    assert "Lycéen boursier" in html
    assert "Famille avec enfants sans ordinateur" not in html
    assert "Retraité isolé" not in html


def test_a_campaign_without_criteria_asks_for_none(client, prescription_form, sites, campaign):
    given = answers(sites)
    step3 = {k: v for k, v in given["etape-3"].items() if k != "priority_criterion"}
    PriorityCriterion.objects.filter(campaign=campaign).delete()
    walk = Walk(client, prescription_form)
    walk.fill(steps=("etape-1", "etape-2"), answers=given)
    response = walk.post("etape-3", step3)
    assert response.status_code == 302, response.content.decode()[:500]


def test_site_page_links_to_the_form_with_the_site_preselected(
    client, prescription_form, sites, home
):
    from tests.factories import MapPageFactory

    MapPageFactory(parent=home)
    url = sites["dax"].get_prescription_url()
    assert url == f"{prescription_form.url}?lieu={sites['dax'].identifier}"
    assert sites["no_prescriptions"].get_prescription_url() is None
    response = client.get(url)
    walk_url = response["Location"]
    assert walk_url.endswith(f"/etape-1/?lieu={sites['dax'].identifier}")
    client.get(walk_url)
    walk = Walk.resume(client, prescription_form, walk_url)
    for step in ("etape-1", "etape-2", "etape-3"):
        walk.post(step, answers(sites)[step])
    html = walk.get("etape-4").content.decode()
    assert re.search(rf'value="{sites["dax"].pk}"[^>]*checked', html)
    assert len(re.findall(r"<input[^>]*checked", html)) == 1
