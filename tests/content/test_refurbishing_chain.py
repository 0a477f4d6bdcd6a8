"""The refurbishing chain: organisations with roles, SIRET, address and contact;
the public directory block of a campaign page; pledges matched to a supplier;
devices pointing to their refurbisher."""

import pytest

from content.models import Organisation
from forms.logistics.services.organisations import match_supplier
from tests.factories import (
    CampaignPageFactory,
    DeviceFactory,
    DonorPledgeFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def organisation_data(**fields):
    return {
        "name": "Envie Anjou",
        "is_refurbisher": "on",
        "siret": "",
        "address": "Rue de la Claie",
        "postcode": "49070",
        "city": "Beaucouzé",
        "department": "",
        "contact_name": "Atelier",
        "contact_email": "atelier@example.org",
        "contact_phone": "",
        "website": "",
        "description": "Reconditionnement",
        "is_published": "on",
        **fields,
    }


def test_coordinators_record_organisations_with_roles_and_a_valid_siret(
    client, coordination_user, communication_user
):
    client.force_login(communication_user)
    assert client.get("/admin/content/organisation/").status_code in (302, 403)
    client.force_login(coordination_user)
    url = "/admin/content/organisation/create/"
    response = client.post(url, organisation_data(siret="12345678901234"))
    assert response.status_code == 200 and not Organisation.objects.exists()
    response = client.post(url, organisation_data(is_refurbisher=""))  # no role
    assert response.status_code == 200 and not Organisation.objects.exists()
    response = client.post(url, organisation_data(siret="732 829 320 00074"))
    assert response.status_code == 302
    envie = Organisation.objects.get()
    assert envie.siret == "73282932000074" and envie.department == "49"
    assert envie.roles == ["refurbisher"]


def test_directory_block_lists_the_chain_of_its_territory(client, campaign_index):
    OrganisationFactory(name="Envie Anjou", contact_email="secret-atelier@example.org")
    OrganisationFactory(
        name="CCAS d'Angers", is_refurbisher=False, is_prescriber=True, postcode="49000"
    )
    OrganisationFactory(name="Banque donatrice", is_refurbisher=False, is_supplier=True)
    OrganisationFactory(name="Atelier des Landes", postcode="40000")
    OrganisationFactory(name="Atelier caché", is_published=False)
    page = CampaignPageFactory(
        parent=campaign_index, slug="filiere-anjou", territory="Maine-et-Loire"
    )
    page.body = [
        ("refurbishing_chain", {"heading": "La filière en Anjou", "department": "49", "roles": []})
    ]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "La filière en Anjou" in html
    for name in ("Envie Anjou", "CCAS d&#x27;Angers", "Banque donatrice"):
        assert name in html
    assert "Atelier des Landes" not in html and "Atelier caché" not in html
    assert "secret-atelier@example.org" not in html  # contacts are not public
    assert html.index("Banque donatrice") < html.index("Envie Anjou") < html.index("CCAS")


def test_pledges_are_matched_to_an_existing_supplier():
    bank = OrganisationFactory(
        name="Banque Solidaire", siret="73282932000074", is_refurbisher=False, is_supplier=True
    )
    by_siret = DonorPledgeFactory(organisation_name="BANQUE SOLIDAIRE SA", siret="73282932000074")
    assert match_supplier(by_siret) == bank
    by_name = DonorPledgeFactory(organisation_name="banque solidaire", siret="")
    assert match_supplier(by_name) == bank
    unknown = DonorPledgeFactory(organisation_name="Mairie de Dax", siret="")
    assert match_supplier(unknown) is None
    created = match_supplier(unknown, create=True)
    unknown.refresh_from_db()
    assert unknown.supplier == created and created.is_supplier and not created.is_published


def test_devices_point_to_their_refurbisher():
    atelier = OrganisationFactory()
    device = DeviceFactory(refurbisher=atelier)
    assert list(atelier.refurbished_devices.all()) == [device]
