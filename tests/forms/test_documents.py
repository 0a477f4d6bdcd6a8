"""Documents: each one's text, safe rendering of hostile input, verification page,
versioned wording, donor follow-up link."""

import io
import socket
import threading
import unicodedata

import pytest
from django.core import mail
from pypdf import PdfReader

from forms.logistics.models.documents import DocumentWording, GeneratedDocument
from forms.logistics.models.donor_link import DonorFollowUpLink
from forms.logistics.services.devices import build_lot, receive_devices
from forms.logistics.services.documents import render_document, wording_for
from forms.logistics.services.labels import render_labels
from tests.factories import (
    CampaignPageFactory,
    DeviceBatchFactory,
    DonorPledgeFactory,
    MediationSiteFactory,
    OrganisationFactory,
    coordinated_campaign,
)

pytestmark = pytest.mark.django_db


def pdf_text(data):
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(data))).pages)
    return unicodedata.normalize("NFKC", text)


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def listener():
    """A loopback server that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.1)
    hits, stop = [], threading.Event()

    def run():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                hits.append(1)
                connection.close()
            except OSError:
                continue

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join(1)
    server.close()


def certified_refurbisher():
    """A refurbisher whose SIRET and address its certificates print."""
    return OrganisationFactory(
        name="Atelier Ré-Emploi", siret="44321737800019", address="3 rue des Ateliers"
    )


def erased(devices, operator="Jeanne Dupont", refurbisher=None):
    refurbisher = refurbisher or certified_refurbisher()
    for device in devices:
        device.refurbisher = device.refurbisher or refurbisher
        device.erasure_method = "overwrite"
        device.erasure_tool = "ShredOS"
        device.erasure_passes = 1
        device.erasure_verified = True
        device.erasure_date = "2026-03-02"
        device.erasure_operator = operator
        device.erasure_result = "success"
        device.save()
    return devices


def test_hostile_input_is_escaped_and_nothing_is_fetched(listener):
    port, hits = listener
    hostile = f'<img src="http://127.0.0.1:{port}/x.png"><b>Évé</b>'
    pledge = DonorPledgeFactory(
        organisation_name=(hostile + " Жанна Ελένη שלום مرحبا " + "A" * 150)[:200],
        contact_name=f'<img src="http://127.0.0.1:{port}/y">',
        address=(f'<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">' + "B" * 200)[:255],
    )
    devices = erased(receive_devices({"laptop": 3}, pledge=pledge), operator="Ngọc Ánh Трофимов")
    devices[0].serial_number = "Z" * 80
    devices[0].save()
    for kind in ("donation_agreement", "erasure_certificate"):
        text = flat(pdf_text(render_document(kind, pledge).pdf_bytes()))
        assert "<img" in text and "<b>Évé</b>" in text  # shown as text, not markup
        for word in ("Жанна", "Ελένη", "שלום", "مرحبا"):
            assert word in text, (kind, word)
    assert "Ngọc Ánh Трофимов" in flat(
        pdf_text(render_document("erasure_certificate", pledge).pdf_bytes())
    )
    assert hits == []


def test_donation_agreement_text():
    pledge = DonorPledgeFactory(organisation_name="Atlantique Logistique", laptops=25, screens=4)
    document = render_document("donation_agreement", pledge)
    text = flat(pdf_text(document.pdf_bytes()))
    for expected in (
        "Convention de don",
        "Atlantique Logistique",
        "Ordinateurs portables 25",
        "gratuitement aux bénéficiaires",
        "code d'inventaire",
        "attestation d'effacement",
        "cérémonie de remise",
        pledge.reference,
    ):
        assert expected in text, expected
    assert document.filename == f"convention-de-don-{pledge.reference}.pdf"


def test_a_campaign_s_own_donation_agreement_wording_replaces_the_programme_s():
    campaign = CampaignPageFactory(
        donation_agreement_wording=(
            "La Ville de Poitiers s'engage : gratuité pour le bénéficiaire.\n\n"
            "Traçabilité du matériel donné."
        )
    )
    pledge = DonorPledgeFactory(organisation_name="Clinique du Parc", campaign=campaign)
    text = flat(pdf_text(render_document("donation_agreement", pledge).pdf_bytes()))
    assert "La Ville de Poitiers s'engage" in text and "Traçabilité du matériel donné" in text
    assert "gratuitement aux bénéficiaires" not in text  # the programme's default text
    other = DonorPledgeFactory(organisation_name="Sans campagne propre")
    assert "gratuitement aux bénéficiaires" in flat(
        pdf_text(render_document("donation_agreement", other).pdf_bytes())
    )


def test_erasure_certificate_for_a_batch_and_verification_page(client):
    batch = DeviceBatchFactory(supplier_name="Mairie de Dax")
    devices = erased(receive_devices({"laptop": 2}, batch=batch))
    document = render_document("erasure_certificate", batch)
    text = flat(pdf_text(document.pdf_bytes()))
    for expected in ("Attestation d'effacement", "Mairie de Dax", "Jeanne Dupont", "Succès"):
        assert expected in text, expected
    assert devices[0].serial_number in text and document.verification_code in text
    assert document.device_count == 2
    response = client.get(f"/verification/{document.verification_code.lower()}/")
    html = response.content.decode()
    assert response.status_code == 200 and "2" in html
    assert "Atelier Ré-Emploi" in html  # the refurbisher who erased them
    assert "Mairie de Dax" not in html and "Jeanne Dupont" not in html
    assert client.get("/verification/AAAA-BBBB-CCCC-DDDD/").status_code == 404


def test_transfer_agreement_text():
    site = MediationSiteFactory(nom="Espace numérique de Morcenx", commune="Morcenx")
    devices = receive_devices({"laptop": 2})
    for device in devices:
        device.transition("ready")
    lot = build_lot(site, size=2)
    lot.transition("delivered")
    text = flat(pdf_text(render_document("transfer_agreement", lot).pdf_bytes()))
    for expected in (
        "Convention de cession",
        "Espace numérique de Morcenx",
        "1,00 €",
        lot.reference,
    ):
        assert expected in text, expected
    for device in devices:
        assert device.inventory_code in text and device.serial_number in text


class FakeSite:
    nom = "Centre social Ωmega"
    adresse = "1 rue de la Paix"
    code_postal = "40000"
    commune = "Mont-de-Marsan"


class FakePrescription:
    reference = "PRE-2026-00001"
    site = FakeSite()
    created_at = None
    beneficiary_first_name = "Léa"
    beneficiary_last_name = "Дюбуа"
    prescriber_organisation = "CCAS de Dax"
    prescriber_name = "Paul Martin"
    priority_criterion = "1. Famille avec enfants"
    _meta = None


def test_prescription_and_handover_sheets_render_from_duck_typed_records():
    from forms.logistics.services.documents import build_context, get_type
    from forms.logistics.services.pdf import render_pdf

    for kind, record, expected in (
        (
            "prescription_sheet",
            FakePrescription(),
            ["Fiche de prescription", "Дюбуа", "CCAS de Dax"],
        ),
    ):
        wording = wording_for(kind)
        context = build_context(get_type(kind), record, wording, 1)
        text = flat(pdf_text(render_pdf(get_type(kind).template_name, context)))
        for item in expected + ["Centre social Ωmega"]:
            assert item in text

    class Sheet:
        reference = "REM-2026-00001"
        site = FakeSite()
        handover_date = None
        device_code = "EQ-2026-00042"
        loan_end_date = None

        def get_handover_kind_display(self):
            return "Don"

    wording = wording_for("handover_sheet")
    context = build_context(get_type("handover_sheet"), Sheet(), wording, 1)
    text = flat(pdf_text(render_pdf("documents/handover_sheet.html", context)))
    assert "EQ-2026-00042" in text and "non-revente" in text and "ne pas revendre" in text


def test_wording_edits_are_versioned_and_the_version_is_stored():
    pledge = DonorPledgeFactory()
    first = render_document("donation_agreement", pledge)
    wording = DocumentWording.objects.get(kind="donation_agreement")
    wording.title = "Convention de don (modèle 2027)"
    wording.save()
    wording.save_revision()
    second = render_document("donation_agreement", pledge)
    assert (first.wording_version, second.wording_version) == (1, 2)
    assert second.wording_snapshot["title"] == "Convention de don (modèle 2027)"
    assert first.wording_snapshot["title"] == "Convention de don de matériel informatique"
    assert "modèle 2027" in pdf_text(second.pdf_bytes())


def test_admin_generate_and_download(client, coordination_user, communication_user):
    pledge = DonorPledgeFactory(campaign=coordinated_campaign(coordination_user))
    client.force_login(coordination_user)
    url = f"/admin/documents-programme/donation_agreement/donorpledge/{pledge.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    # Back on the pledge, told so, with the link to download it.
    assert response.redirect_chain[-1][0] == pledge.admin_url()
    document = GeneratedDocument.objects.get()
    download = f"/admin/documents-programme/pdf/{document.pk}/"
    html = response.content.decode()
    assert "Convention de don générée pour" in html and download in html
    # A second click within the minute returns the same document.
    client.post(url)
    assert GeneratedDocument.objects.get() == document
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf" and response.getvalue().startswith(b"%PDF")
    client.force_login(communication_user)
    assert client.get(f"/admin/documents-programme/pdf/{document.pk}/").status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert GeneratedDocument.objects.count() == 1


def test_labels_have_qr_codes(client, coordination_user):
    pledge = DonorPledgeFactory(campaign=coordinated_campaign(coordination_user))
    devices = receive_devices({"laptop": 4}, pledge=pledge)
    pdf = render_labels(devices)
    reader = PdfReader(io.BytesIO(pdf))
    assert devices[0].inventory_code in pdf_text(pdf)
    assert reader.pages[0].images  # the QR codes
    client.force_login(coordination_user)
    response = client.get(f"/admin/forms/device/labels/?pledge={pledge.pk}")
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")


def test_donor_follow_up_link(client, coordination_user, django_capture_on_commit_callbacks):
    pledge = DonorPledgeFactory(
        organisation_name="Atlantique Logistique", campaign=coordinated_campaign(coordination_user)
    )
    devices = erased(receive_devices({"laptop": 3}, pledge=pledge))
    devices[0].transition("ready")
    certificate = render_document("erasure_certificate", pledge)
    client.force_login(coordination_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/suivi-don/{pledge.pk}/envoyer/")
    assert response.status_code == 302
    link = DonorFollowUpLink.objects.get()
    assert len(mail.outbox) == 1 and link.token in mail.outbox[0].body
    client.logout()
    response = client.get(f"/suivi-don/{link.token}/")
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Atlantique Logistique" in html and ">3<" in html and ">1<" in html
    pdf = client.get(f"/suivi-don/{link.token}/attestations/{certificate.pk}/")
    assert pdf.status_code == 200 and pdf.getvalue().startswith(b"%PDF")
    assert client.get("/suivi-don/not-a-token/").status_code == 404
    link.revoke()
    assert client.get(f"/suivi-don/{link.token}/").status_code == 404
    assert client.get(f"/suivi-don/{link.token}/attestations/{certificate.pk}/").status_code == 404
