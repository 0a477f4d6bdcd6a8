"""The prescription form offers only the sites of its campaign's territory."""

import re

import pytest

from content.enums import ProgrammeStatus
from forms.kinds.prescription.models import Prescription, PriorityCriterion
from tests.factories import (
    CampaignPageFactory,
    FormPageFactory,
    MediationSiteFactory,
    prescription_steps,
)
from tests.forms.conftest import Walk

pytestmark = pytest.mark.django_db
SITE_STEP = "etape-4"


def site(nom, commune, code_postal, code_insee, latitude, longitude, **kwargs):
    return MediationSiteFactory(
        nom=nom,
        commune=commune,
        code_postal=code_postal,
        code_insee=code_insee,
        latitude=latitude,
        longitude=longitude,
        **kwargs,
    )


@pytest.fixture
def sites():
    return {
        "dax": site("Médiathèque de Dax", "Dax", "40100", "40088", 43.71, -1.05),
        "mont": site("Espace Mont-de-Marsan", "Mont-de-Marsan", "40000", "40192", 43.89, -0.50),
        "walk_in": site(
            "Café numérique Dax",
            "Dax",
            "40100",
            "40088",
            43.70,
            -1.06,
            modalites_acces="Se présenter",
        ),
        "left": site(
            "Ancien espace Dax",
            "Dax",
            "40100",
            "40088",
            43.71,
            -1.05,
            programme_status=ProgrammeStatus.LEFT,
        ),
        "suspended": site(
            "Espace suspendu",
            "Mont-de-Marsan",
            "40000",
            "40192",
            43.89,
            -0.50,
            programme_status=ProgrammeStatus.SUSPENDED,
        ),
        "poitiers": site("France Services Poitiers", "Poitiers", "86000", "86194", 46.58, 0.34),
        "buxerolles": site("Centre social Buxerolles", "Buxerolles", "86180", "86041", 46.61, 0.36),
        "chatellerault": site(
            "Espace Châtellerault", "Châtellerault", "86100", "86066", 46.82, 0.55
        ),
    }


def form_for(campaign):
    PriorityCriterion.objects.create(campaign=campaign, label="Famille avec enfants", order=1)
    return FormPageFactory(
        parent=campaign,
        slug="prescription",
        kind="prescription",
        steps=prescription_steps(),
        notify_emails="",
    )


@pytest.fixture
def landes(campaign_index):
    campaign = CampaignPageFactory(
        parent=campaign_index, title="OrdiPin40", slug="ordipin40", departments="40"
    )
    return form_for(campaign)


@pytest.fixture
def vienne(campaign_index):
    campaign = CampaignPageFactory(
        parent=campaign_index,
        title="Ordinateurs solidaires",
        slug="poitiers",
        territory="Ville de Poitiers",
        departments="86",
        communes="poitiers, 86041",
    )
    return form_for(campaign)


def answers(form, postcode, commune):
    criterion = PriorityCriterion.objects.get(campaign=form.campaign)
    return {
        "etape-1": {
            "prescriber_kind": "CCAS",
            "prescriber_organisation": "CCAS",
            "prescriber_name": "Julie Lacoste",
            "prescriber_email": "julie@example.org",
        },
        "etape-2": {
            "beneficiary_first_name": "Amina",
            "beneficiary_last_name": "Diallo",
            "beneficiary_phone": "06 12 34 56 78",
            "commune": commune,
            "postcode": postcode,
            "household_adults": "1",
            "household_children": "3",
        },
        "etape-3": {
            "priority_criterion": str(criterion.pk),
            "situation": "rsa",
            "needs": ["computer"],
        },
        "etape-5": {"beneficiary_agreement": "on", "prescriber_commitment": "on"},
    }


def offered(walk):
    html = walk.get(SITE_STEP).content.decode()
    return re.findall(r"<label for=\"id_etape-4-site_\d+\">([^<]+) –", html)


def walk_to_sites(client, form, postcode, commune):
    walk = Walk(client, form)
    walk.fill(steps=("etape-1", "etape-2", "etape-3"), answers=answers(form, postcode, commune))
    return walk


def test_each_campaign_offers_the_sites_of_its_own_departement_nearest_first(
    client, landes, vienne, sites
):
    walk = walk_to_sites(client, landes, "40000", "Mont-de-Marsan")
    # Only Landes sites that accept prescriptions and are still in the programme.
    assert offered(walk) == ["Espace Mont-de-Marsan", "Médiathèque de Dax"]

    client.cookies.clear()
    walk = walk_to_sites(client, landes, "40100", "Dax")
    assert offered(walk) == ["Médiathèque de Dax", "Espace Mont-de-Marsan"]

    client.cookies.clear()
    # Poitiers names its communes: Poitiers by name (any case), Buxerolles by INSEE code.
    walk = walk_to_sites(client, vienne, "86180", "Buxerolles")
    assert offered(walk) == ["Centre social Buxerolles", "France Services Poitiers"]


def test_a_site_outside_the_territory_is_refused_and_one_inside_is_recorded(
    client, landes, vienne, sites, django_capture_on_commit_callbacks
):
    walk = walk_to_sites(client, vienne, "86000", "Poitiers")
    for outsider in ("dax", "chatellerault"):
        response = walk.post(SITE_STEP, {"site": str(sites[outsider].pk)})
        assert response.status_code == 200
        assert "ne fait pas partie des lieux du territoire de cette campagne" in (
            response.content.decode()
        )
    response = walk.post(SITE_STEP, {"site": str(sites["poitiers"].pk)})
    assert response.status_code == 302
    walk.post("etape-5", answers(vienne, "86000", "Poitiers")["etape-5"])
    with django_capture_on_commit_callbacks(execute=True):
        walk.post("verification")
    prescription = Prescription.objects.get()
    assert prescription.site == sites["poitiers"]


@pytest.mark.parametrize("status", ["left", "suspended"])
def test_a_site_out_of_the_programme_is_never_offered_nor_accepted(client, landes, sites, status):
    walk = walk_to_sites(client, landes, "40100", "Dax")
    assert sites[status].nom not in offered(walk)
    response = walk.post(SITE_STEP, {"site": str(sites[status].pk)})
    assert response.status_code == 200
    assert "ne fait pas partie des lieux" in response.content.decode()


def test_a_campaign_listing_its_sites_offers_those_only(client, landes, sites):
    campaign = landes.campaign
    campaign.sites.set([sites["mont"], sites["walk_in"], sites["left"], sites["poitiers"]])
    campaign.save()
    walk = walk_to_sites(client, landes, "40100", "Dax")
    # Its own list, even a walk-in site or one elsewhere; never a departed one.
    assert offered(walk) == [
        "Espace Mont-de-Marsan",
        "France Services Poitiers",
        "Café numérique Dax",
    ]
    response = walk.post(SITE_STEP, {"site": str(sites["dax"].pk)})
    assert "ne fait pas partie des lieux" in response.content.decode()
