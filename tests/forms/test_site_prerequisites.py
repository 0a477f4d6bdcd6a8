"""A site receives computers only when it meets the programme's prerequisites and has
signed its agreement; a site that left keeps its history but receives nothing new."""

import datetime
import html

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from content.enums import ProgrammeStatus
from forms.engine.submission import RecordInvalid, create_record
from forms.enums import DeviceStatus
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.device import Device
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.models.loan import Loan
from forms.logistics.models.lot import Lot
from forms.logistics.services.devices import build_lot
from forms.logistics.services.documents import DocumentRefused, render_document
from forms.logistics.services.loans import start_loan
from portal.roles import MEDIATION
from tests.factories import (
    DeviceFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    coordinated_campaign,
    criteria_for,
)
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

NETWORK = "membre du réseau"
MAP = "présent sur la carte publique"
TRAINING = "offre de formation formalisée"
AGREEMENT = "une convention signée"


def candidate_site(**fields):
    """A site that has not qualified yet: no prerequisite, no agreement."""
    defaults = {
        "programme_status": ProgrammeStatus.CANDIDATE,
        "agreement_date": None,
        "is_network_member": False,
        "is_on_national_map": False,
        "has_training_offer": False,
    }
    return MediationSiteFactory(**{**defaults, **fields})


@pytest.fixture
def programme(coordination_user):
    """The campaign the coordinator of these tests coordinates (they see only its records)."""
    return coordinated_campaign(coordination_user)


def serving(campaign, *sites):
    """``sites`` serve ``campaign`` (a coordinator chooses among their campaigns' sites)."""
    campaign.sites.add(*sites)
    campaign.save()
    return sites[0]


def ready_devices(count, campaign=None):
    devices = [DeviceFactory(status=DeviceStatus.READY, campaign=campaign) for _ in range(count)]
    for device in devices:
        device.mark_stages()
        device.save()
    return devices


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def page_text(response):
    return html.unescape(response.content.decode())


# The prerequisites, named ------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({}, [NETWORK, MAP, TRAINING]),
        ({"is_network_member": True}, [MAP, TRAINING]),
        ({"is_network_member": True, "is_on_national_map": True}, [TRAINING]),
        (
            {"is_network_member": True, "is_on_national_map": True, "has_training_offer": True},
            [],
        ),
    ],
)
def test_missing_prerequisites_are_named_and_meets_prerequisites_agrees(fields, missing):
    site = candidate_site(**fields)
    assert [str(label) for label in site.missing_prerequisites()] == missing
    assert site.meets_prerequisites() is (not missing)
    # Receiving computers also needs the agreement, signed and dated.
    assert [str(label) for label in site.missing_for_supply()] == [
        *missing,
        "une convention signée (statut « convention signée » et sa date)",
    ]


def test_a_qualified_signed_site_lacks_nothing():
    site = MediationSiteFactory()
    assert site.missing_for_supply() == [] and site.has_signed_agreement
    signed_without_date = MediationSiteFactory(agreement_date=None)
    assert [str(label) for label in signed_without_date.missing_for_supply()] == [
        "une convention signée (statut « convention signée » et sa date)"
    ]


# Lots ---------------------------------------------------------------------------
def test_admin_lot_for_an_unqualified_site_names_each_missing_prerequisite(
    client, coordination_user, programme
):
    site = serving(programme, candidate_site(nom="Tiers-lieu de Sabres", is_network_member=True))
    ready_devices(10, programme)
    client.force_login(coordination_user)
    response = client.post(
        "/admin/forms/lot/create/",
        {"site": site.pk, "size": 10, "price": "1.00", "notes": "", "campaign": programme.pk},
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Le lieu « Tiers-lieu de Sabres » ne peut pas recevoir un lot d'ordinateurs" in text
    for label in (MAP, TRAINING, AGREEMENT):
        assert label in text
    assert NETWORK not in text.split("ne peut pas recevoir")[1].split("</")[0]
    assert not Lot.objects.exists()
    assert Device.objects.filter(lot__isnull=False).count() == 0


def test_build_lot_refuses_an_unqualified_site():
    ready_devices(2)
    with pytest.raises(ValidationError) as refused:
        build_lot(candidate_site(), size=2)
    message = refused.value.message_dict["site"][0]
    for label in (NETWORK, MAP, TRAINING, AGREEMENT):
        assert label in message
    assert not Lot.objects.exists()


def test_delivery_is_refused_when_the_site_no_longer_qualifies(
    client, coordination_user, programme
):
    site = serving(programme, MediationSiteFactory(nom="Espace de Morcenx"))
    ready_devices(10, programme)
    lot = build_lot(site, size=10, campaign=programme)
    site.is_on_national_map = False
    site.save()
    client.force_login(coordination_user)
    url = f"/admin/forms/lot/transition/{lot.pk}/delivered/"
    # The confirmation page is not even offered: the edit view says why.
    response = client.get(url)
    assert response.status_code == 302
    assert any(MAP in message for message in messages_of(response))
    response = client.post(url, {"note": ""})
    assert response.status_code == 302
    message = messages_of(response)[-1]
    assert "Le lieu « Espace de Morcenx » ne peut pas recevoir un lot d'ordinateurs" in message
    assert MAP in message and NETWORK not in message
    lot.refresh_from_db()
    assert lot.status == Lot.Status.DRAFT
    assert not Device.objects.in_site_stock(site).exists()
    # Once the site is back on the map, the delivery goes through.
    site.is_on_national_map = True
    site.save()
    assert client.post(url, {"note": ""}).status_code == 302
    lot.refresh_from_db()
    assert lot.status == Lot.Status.DELIVERED
    assert Device.objects.in_site_stock(site).count() == 10


def test_a_draft_lot_cannot_be_moved_to_an_unqualified_site(client, coordination_user, programme):
    ready_devices(2, programme)
    candidate = candidate_site(nom="Médiathèque de Pissos")
    site = serving(programme, MediationSiteFactory(), candidate)
    lot = build_lot(site, size=2, campaign=programme)
    client.force_login(coordination_user)
    url = f"/admin/forms/lot/edit/{lot.pk}/"
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    data["site"] = str(candidate.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Le lieu « Médiathèque de Pissos » ne peut pas recevoir" in page_text(response)
    lot.refresh_from_db()
    assert lot.site != candidate


# Transfer agreements -----------------------------------------------------------------
def delivered_lot(site, size=2, campaign=None):
    ready_devices(size, campaign)
    lot = build_lot(site, size=size, campaign=campaign)
    lot.transition(Lot.Status.DELIVERED)
    return lot


def test_transfer_agreement_refused_to_a_site_that_left(client, coordination_user, programme):
    site = serving(programme, MediationSiteFactory(nom="Espace de Tartas"))
    lot = delivered_lot(site, campaign=programme)
    site.programme_status = ProgrammeStatus.LEFT
    site.save()
    client.force_login(coordination_user)
    url = f"/admin/documents-programme/transfer_agreement/lot/{lot.pk}/"
    response = client.post(url)
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert "Le lieu « Espace de Tartas » a quitté le programme ou en est suspendu" in message
    assert "Sorti du programme" in message
    assert not GeneratedDocument.objects.exists()
    # Its history stays: the delivered lot is still listed and opens.
    assert client.get(f"/admin/forms/lot/edit/{lot.pk}/").status_code == 200
    assert lot.reference in client.get("/admin/forms/lot/").content.decode()


def test_transfer_agreement_names_the_missing_prerequisites():
    site = MediationSiteFactory()
    lot = delivered_lot(site)
    site.has_training_offer = False
    site.agreement_date = None
    site.save()
    with pytest.raises(DocumentRefused) as refused:
        render_document("transfer_agreement", lot)
    assert TRAINING in str(refused.value) and AGREEMENT in str(refused.value)
    assert NETWORK not in str(refused.value)
    site.has_training_offer = True
    site.agreement_date = datetime.date(2025, 1, 15)
    site.save()
    assert render_document("transfer_agreement", lot).pdf_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("status", [ProgrammeStatus.LEFT, ProgrammeStatus.SUSPENDED])
def test_no_lot_for_a_site_that_left_or_is_suspended(status):
    ready_devices(2)
    site = MediationSiteFactory(programme_status=status)
    with pytest.raises(ValidationError) as refused:
        build_lot(site, size=2)
    assert "a quitté le programme ou en est suspendu" in refused.value.message_dict["site"][0]


# Prescriptions and loans ---------------------------------------------------------------
def new_prescription(site):
    return Prescription(
        site=site,
        prescriber_kind="CCAS",
        prescriber_organisation="CCAS de Dax",
        prescriber_name="Julie Lacoste",
        prescriber_email="julie@example.org",
        beneficiary_first_name="Amina",
        beneficiary_last_name="Diallo",
        beneficiary_phone="0612345678",
        commune="Dax",
        postcode="40100",
        situation="rsa",
        needs=["computer"],
        priority_criterion=None,  # a campaign may ask for no criterion
        beneficiary_agreement=True,
        prescriber_commitment=True,
    )


def test_no_new_prescription_for_a_site_that_left():
    site = MediationSiteFactory(nom="Espace de Mimizan", programme_status=ProgrammeStatus.LEFT)
    with pytest.raises(RecordInvalid) as refused:
        create_record(new_prescription(site))
    ((message, fields),) = [p for p in refused.value.problems if "site" in p[1]]
    assert "Le lieu « Espace de Mimizan » a quitté le programme" in message
    assert not Prescription.objects.exists()
    # A candidate site still receives prescriptions (it trains people while qualifying).
    assert create_record(new_prescription(candidate_site())).reference.startswith("PRE-")


def test_a_site_that_left_keeps_its_records_editable(client):
    staff = UserFactory(username="maud", groups=[MEDIATION])
    site = MediationSiteFactory(staff=[staff])
    prescription = PrescriptionFactory(site=site)
    site.programme_status = ProgrammeStatus.LEFT
    site.save()
    client.force_login(staff)
    url = f"/admin/forms/prescription/edit/{prescription.pk}/"
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    data["commune"] = "Saint-Paul-lès-Dax"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    prescription.refresh_from_db()
    assert prescription.commune == "Saint-Paul-lès-Dax" and prescription.site == site


def test_an_existing_prescription_cannot_be_sent_to_a_site_that_left(
    client, coordination_user, programme
):
    criteria_for(programme)
    departed = MediationSiteFactory(nom="Espace de Pontonx", programme_status="suspended")
    site = serving(programme, MediationSiteFactory(), departed)
    prescription = PrescriptionFactory(site=site, campaign=programme)
    client.force_login(coordination_user)
    url = f"/admin/forms/prescription/edit/{prescription.pk}/"
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    data["site"] = str(departed.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Le lieu « Espace de Pontonx » a quitté le programme" in page_text(response)
    prescription.refresh_from_db()
    assert prescription.site != departed


def test_no_new_loan_from_a_site_that_left():
    site = MediationSiteFactory(programme_status=ProgrammeStatus.LEFT)
    (device,) = ready_devices(1)
    loan = Loan(
        device=device,
        borrower_kind="association",
        borrower_name="Les Bons Clics",
        site=site,
    )
    with pytest.raises(ValidationError) as refused:
        start_loan(loan)
    assert "a quitté le programme" in refused.value.message_dict["site"][0]
    device.refresh_from_db()
    assert device.status == DeviceStatus.READY
