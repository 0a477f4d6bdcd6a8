"""Each programme (campaign) heads the documents of its records: its identity, its
wording, its signatory; a document that would print a placeholder is refused with
what to fill; certificates are issued by the refurbisher and count what they
certify; tables fit the page and signatures stay with their text."""

import io
import threading
import unicodedata

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from forms.enums import DeviceStatus
from forms.logistics.models.documents import DocumentWording, GeneratedDocument
from forms.logistics.models.identity import ProgrammeIdentity
from forms.logistics.services.devices import build_lot, receive_devices
from forms.logistics.services.documents import (
    DocumentRefused,
    build_context,
    get_type,
    render_document,
    wording_for,
)
from forms.logistics.services.pdf import FONT_REGULAR, render_pdf
from portal.models import ProgrammeSettings
from portal.roles import COORDINATION
from tests.factories import (
    DeviceBatchFactory,
    DeviceFactory,
    DonorPledgeFactory,
    LoanFactory,
    MediationSiteFactory,
    OrganisationFactory,
    UserFactory,
    coordinated_campaign,
)
from tests.forms.test_documents import erased

pytestmark = pytest.mark.django_db
IDENTITIES = "/admin/forms/programmeidentity/"


def page_texts(document):
    reader = PdfReader(io.BytesIO(bytes(document.pdf_bytes())))
    return [
        " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
        for page in reader.pages
    ]


def page_texts_of(pdf):
    return [
        " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
        for page in PdfReader(io.BytesIO(bytes(pdf))).pages
    ]


def text_of(document):
    return " ".join(page_texts(document))


def face_identity(campaign, **fields):
    return ProgrammeIdentity.objects.create(
        campaign=campaign,
        **{
            "name": "FACE Charente-Maritime",
            "address": "12 rue du Port\n17000 La Rochelle",
            "siret": "44321737800019",
            "signatory_name": "Claire Morel",
            "signatory_role": "Directrice",
            "email": "ordis@face17.example",
            **fields,
        },
    )


@pytest.fixture
def coordinators(campaign_index):
    face = UserFactory(username="coord-face", groups=[COORDINATION])
    lorient = UserFactory(username="coord-lorient", groups=[COORDINATION])
    return {
        "face": (face, coordinated_campaign(face, parent=campaign_index, title="FACE 17")),
        "lorient": (
            lorient,
            coordinated_campaign(lorient, parent=campaign_index, title="Ordi 2.0 Lorient"),
        ),
    }


def form_data(**fields):
    return {
        "name": "",
        "address": "",
        "siret": "",
        "signatory_name": "",
        "signatory_role": "",
        "email": "",
        "phone": "",
        "logo": "",
        **fields,
    }


def test_a_coordinator_sets_their_programme_identity_and_its_documents_carry_it(
    client, coordinators
):
    (face_user, face), (lorient_user, lorient) = coordinators["face"], coordinators["lorient"]
    client.force_login(face_user)
    form = client.get(IDENTITIES + "create/").content.decode()
    # Their only campaign is chosen for them; the other programme is not offered.
    assert f'<option value="{face.pk}" selected>' in form and "Ordi 2.0 Lorient" not in form
    response = client.post(
        IDENTITIES + "create/",
        form_data(
            campaign=face.pk,
            name="FACE Charente-Maritime",
            address="12 rue du Port\n17000 La Rochelle",
            siret="443 217 378 00019",
            signatory_name="Claire Morel",
            signatory_role="Directrice",
            email="ordis@face17.example",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "FACE Charente-Maritime" in client.get(IDENTITIES).content.decode()
    identity = ProgrammeIdentity.objects.get()
    assert identity.campaign == face and identity.siret == "44321737800019"

    text = text_of(render_document("donation_agreement", DonorPledgeFactory(campaign=face)))
    for expected in (
        "FACE Charente-Maritime",
        "17000 La Rochelle",
        "SIRET 443 217 378 00019",
        "Entre le donateur désigné ci-dessous et FACE Charente-Maritime",
        "Pour FACE Charente-Maritime Claire Morel, Directrice",
    ):
        assert expected in text, expected
    assert "Ordinateurs solidaires" not in text and "Mont-de-Marsan" not in text

    # Lorient has no identity of its own yet: the site-wide fallback, never FACE.
    text = text_of(render_document("loan_agreement", LoanFactory(campaign=lorient)))
    assert "Programme Ordinateurs solidaires" in text and "FACE" not in text

    # Lorient's coordinator neither lists nor opens FACE's identity, nor the site-wide one.
    client.force_login(lorient_user)
    assert "FACE Charente-Maritime" not in client.get(IDENTITIES).content.decode()
    assert client.get(f"{IDENTITIES}edit/{identity.pk}/").status_code in (302, 403, 404)
    settings = client.get("/admin/settings/portal/programmesettings/", follow=True)
    assert settings.status_code == 403 or "Nom du programme" not in settings.content.decode()
    # Nor can they give their own campaign's identity to FACE.
    response = client.post(IDENTITIES + "create/", form_data(campaign=face.pk, name="Intrus"))
    assert response.status_code == 200 and not ProgrammeIdentity.objects.filter(name="Intrus")


def test_a_campaign_wording_replaces_the_shared_one_for_its_records(coordinators):
    face, lorient = coordinators["face"][1], coordinators["lorient"][1]
    face_identity(face)
    shared = wording_for("donation_agreement")
    own = DocumentWording.objects.create(
        campaign=face,
        kind="donation_agreement",
        title="Convention de don FACE",
        intro="Entre le donateur et {programme}, partenaire des entreprises.",
    )
    assert wording_for("donation_agreement", face) == own
    assert wording_for("donation_agreement", lorient) == shared
    text = text_of(render_document("donation_agreement", DonorPledgeFactory(campaign=face)))
    assert "Convention de don FACE" in text
    assert "Entre le donateur et FACE Charente-Maritime, partenaire" in text
    other = text_of(render_document("donation_agreement", DonorPledgeFactory(campaign=lorient)))
    assert "Convention de don de matériel informatique" in other and "FACE" not in other


def test_a_document_that_would_print_a_placeholder_is_refused_with_what_to_fill(
    client, coordinators
):
    face_user, face = coordinators["face"]
    face_identity(face, siret="", signatory_name="")
    pledge = DonorPledgeFactory(campaign=face)
    with pytest.raises(DocumentRefused) as refused:
        render_document("donation_agreement", pledge)
    message = str(refused.value)
    assert "le SIRET du programme" in message and "le signataire du programme" in message
    assert "Paramètres > Identités des programmes, « FACE 17 »" in message

    client.force_login(face_user)
    url = f"/admin/documents-programme/donation_agreement/donorpledge/{pledge.pk}/"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == pledge.admin_url()
    (shown,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "le SIRET du programme" in shown
    assert not GeneratedDocument.objects.exists()

    # The site-wide fallback is checked alike (its address is to be filled by a superuser).
    ProgrammeSettings.objects.update(address="", siret="")
    with pytest.raises(DocumentRefused, match="l'adresse du programme.*Paramètres > Programme"):
        render_document("donation_agreement", DonorPledgeFactory())
    # A wording still carrying the old placeholder text is refused too.
    ProgrammeSettings.objects.update(address="1 place de la Mairie", siret="73282932000074")
    wording = wording_for("donation_agreement")
    wording.issuer = "Atelier\nAdresse à compléter dans l'administration"
    wording.save()
    with pytest.raises(DocumentRefused, match="à compléter"):
        render_document("donation_agreement", DonorPledgeFactory())


def test_an_erasure_certificate_names_its_refurbisher_and_counts_what_it_certifies(coordinators):
    face = coordinators["face"][1]
    face_identity(face)
    pledge = DonorPledgeFactory(campaign=face)
    devices = receive_devices({"laptop": 12}, pledge=pledge)
    refurbisher = OrganisationFactory(
        name="Atelier Ré-Emploi La Rochelle",
        siret="51234567800019",
        address="5 quai Louis Durand",
        postcode="17000",
        city="La Rochelle",
    )
    erased(devices[:2], refurbisher=refurbisher)
    text = text_of(render_document("erasure_certificate", pledge))
    for expected in (
        "Atelier Ré-Emploi La Rochelle",
        "5 quai Louis Durand",
        "SIRET 512 345 678 00019",
        "2 machines effacées sur 12 reçues",
    ):
        assert expected in text, expected
    assert "à compléter" not in text and "2 sur 2" not in text

    # A refurbisher without SIRET or address: refused, naming it and where to fill it.
    refurbisher.siret = ""
    refurbisher.address = ""
    refurbisher.save()
    with pytest.raises(DocumentRefused) as refused:
        render_document("erasure_certificate", pledge)
    message = str(refused.value)
    assert "le SIRET du reconditionneur « Atelier Ré-Emploi La Rochelle »" in message
    assert "l'adresse du reconditionneur" in message and "Filière de reconditionnement" in message


LONG_CODE = "EQ-2026-FACE17-LAROCHELLE-000"


def text_runs(pdf, page=0):
    """(x, text) of each run of text drawn on ``page``."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((cm[4] + tm[4] * cm[0], text.strip()))

    PdfReader(io.BytesIO(bytes(pdf))).pages[page].extract_text(visitor_text=visit)
    return runs


def code_overflow(pdf, next_column_text):
    """How far the widest inventory code runs past the start of the next column."""
    pdfmetrics.registerFont(TTFont("DejaVuMeasure", str(FONT_REGULAR)))
    runs = text_runs(pdf)
    next_x = min(x for x, text in runs if text.startswith(next_column_text))
    ends = [
        x + pdfmetrics.stringWidth(text, "DejaVuMeasure", 8.5)
        for x, text in runs
        if text.startswith(("EQ-", "FACE17", "LAROCHELLE")) and x < next_x
    ]
    assert ends
    return max(ends) - next_x


def lot_of_long_codes(face, count):
    site = MediationSiteFactory(nom="Espace numérique de Rochefort")
    face.sites.add(site)
    face.save()
    for number in range(count):
        device = DeviceFactory(
            inventory_code=f"{LONG_CODE}{number:02d}", status=DeviceStatus.READY, campaign=face
        )
        device.mark_stages()
        device.save()
    return build_lot(site, size=count, campaign=face)


def test_signatures_stay_with_their_text_and_codes_wrap_in_their_column(coordinators):
    """A transfer agreement of many computers: whatever the number of rows, the
    last commitment, the text above the signatures and the signatures share a page;
    long inventory codes wrap inside their column."""
    face = coordinators["face"][1]
    face_identity(face)
    lot = lot_of_long_codes(face, 36)
    document = render_document("transfer_agreement", lot)
    assert code_overflow(document.pdf_bytes(), "Type") < 0  # the column next to it

    context = build_context(
        get_type("transfer_agreement"), lot, wording_for("transfer_agreement", face), 1
    )
    devices = context["devices"]
    # Lengths at which, unkept, the signatures fell alone on the next page (8) or
    # the text above them left the last commitment behind (36).
    for count in (8, 36):
        context["devices"] = devices[:count]
        pages = page_texts_of(render_pdf("documents/transfer_agreement.html", context))
        assert len(pages) >= 2
        (page,) = [p for p in pages if "Fait en deux exemplaires" in p]
        assert "Signaler au programme tout ordinateur revenu en panne." in page, count
        assert "Pour le cédant, FACE Charente-Maritime Claire Morel, Directrice" in page, count


def test_erasure_certificate_codes_stay_out_of_the_serial_number_column(coordinators):
    face = coordinators["face"][1]
    face_identity(face)
    batch = DeviceBatchFactory(campaign=face)
    devices = [
        DeviceFactory(inventory_code=f"{LONG_CODE}{n:02d}", batch=batch, campaign=face)
        for n in range(3)
    ]
    erased(devices)
    document = render_document("erasure_certificate", batch)
    assert code_overflow(document.pdf_bytes(), "N° de série") < 0
    assert "3 machines effacées sur 3 reçues" in text_of(document)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
def test_a_double_post_makes_one_document():
    """Two clicks at once: the second waits for the first's lock, then returns its document."""
    pledge = DonorPledgeFactory()
    wording_for("donation_agreement")  # the shared wording exists, as once the first is made
    barrier, made, errors = threading.Barrier(2), [], []

    def click():
        try:
            barrier.wait(5)
            made.append(render_document("donation_agreement", pledge, reuse_recent=True).pk)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and len(made) == 2 and made[0] == made[1]
    assert GeneratedDocument.objects.count() == 1


def test_a_campaign_s_own_wording_is_out_of_other_coordinators_reach(client, coordinators):
    (face_user, face), (lorient_user, _lorient) = coordinators["face"], coordinators["lorient"]
    own = DocumentWording.objects.create(
        campaign=face, kind="loan_agreement", title="Convention de prêt FACE"
    )
    wordings = "/admin/snippets/forms/documentwording/"
    client.force_login(face_user)
    assert "Convention de prêt FACE" in client.get(wordings).content.decode()
    assert client.get(f"{wordings}edit/{own.pk}/").status_code == 200
    client.force_login(lorient_user)
    listing = client.get(wordings).content.decode()
    assert "Convention de prêt FACE" not in listing and "FACE 17" not in listing
    assert client.get(f"{wordings}edit/{own.pk}/").status_code in (302, 403)
    form = client.get(f"{wordings}add/").content.decode()
    assert "FACE 17" not in form and "Ordi 2.0 Lorient" in form
