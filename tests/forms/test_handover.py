"""Site staff record handover sheets: anonymous, scoped to their sites, closing the prescription."""

import csv
import io

import pytest
from django.core import mail

from forms.kinds.handover.models import HandoverSheet
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.documents import GeneratedDocument
from portal.roles import MEDIATION
from tests.factories import (
    CampaignPageFactory,
    DeviceFactory,
    FormPageFactory,
    HandoverSheetFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    handover_steps,
)
from tests.forms.conftest import Walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(username="maud", groups=[MEDIATION])


@pytest.fixture
def site(staff):
    return MediationSiteFactory(nom="Espace Mont-de-Marsan", staff=[staff])


@pytest.fixture
def other_site():
    return MediationSiteFactory(nom="France Services Poitiers")


@pytest.fixture
def device(site):
    """A computer delivered to the site in a lot, waiting in its stock."""
    return DeviceFactory(inventory_code="OS-00042", status="allocated", site=site)


@pytest.fixture
def handover_form(campaign):
    return FormPageFactory(
        parent=campaign, slug="remise", kind="handover", steps=handover_steps(), notify_emails=""
    )


def step1(site, **extra):
    return {
        "site": str(site.pk),
        "handover_date": "2026-11-20",
        "device_code": "OS-00042",
        "handover_kind": "donation",
        **extra,
    }


STEP2 = {
    "sex": "female",
    "age_class": "25_39",
    "social_status": "employed",
    "prescriber_kind": "CCAS",
    "diagnostic_tool": "pix",
    "training_sessions": "4",
    "training_hours": "8",
    "no_resale_accepted": "on",
    "ceremony_attended": "yes",
}


def test_the_public_is_sent_to_the_login_page(client, handover_form):
    response = client.get(handover_form.url, follow=False)
    walk_url = response["Location"]
    response = client.get(walk_url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_walk_links_the_prescription_which_becomes_equipped(
    client, staff, site, device, handover_form, django_capture_on_commit_callbacks
):
    prescription = PrescriptionFactory(site=site, status="in_training")
    client.force_login(staff)
    walk = Walk(client, handover_form)
    walk.get("etape-1")
    assert walk.post("etape-1", step1(site, prescription=prescription.reference.lower()))[
        "Location"
    ] == walk.url("etape-2")
    walk.post("etape-2", STEP2)
    with django_capture_on_commit_callbacks(execute=True):
        walk.post("verification")
    sheet = HandoverSheet.objects.get()
    assert sheet.reference.startswith("REM-")
    assert (sheet.site, sheet.device_code, sheet.prescription) == (site, "OS-00042", prescription)
    device.refresh_from_db()
    assert (sheet.device, device.status) == (device, "handed_over")
    assert device.status_changes.last().by == staff
    assert sheet.no_resale_text == "Je ne revendrai pas cet ordinateur (v1)."
    prescription.refresh_from_db()
    assert prescription.status == "equipped"
    last = prescription.status_changes.last()
    assert (last.to_status, last.by) == ("equipped", staff)
    status_mail = next(m for m in mail.outbox if "julie@example.org" in m.to)
    assert prescription.reference in status_mail.subject
    assert (
        "Amina" not in status_mail.body
        and prescription.beneficiary_last_name not in status_mail.body
    )
    assert prescription.follow_url() in status_mail.body


def test_staff_choose_only_their_sites_and_their_prescriptions(
    client, staff, site, other_site, handover_form
):
    foreign = PrescriptionFactory(site=other_site)
    client.force_login(staff)
    walk = Walk(client, handover_form)
    html = walk.get("etape-1").content.decode()
    assert "Espace Mont-de-Marsan" in html and "France Services Poitiers" not in html
    response = walk.post("etape-1", step1(other_site))
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = walk.post("etape-1", step1(site, prescription=foreign.reference))
    assert "Aucune prescription en cours de vos lieux" in response.content.decode()


def test_the_device_must_be_in_the_sites_stock(
    client, staff, site, other_site, device, handover_form
):
    DeviceFactory(inventory_code="OS-ELSEWHERE", status="allocated", site=other_site)
    DeviceFactory(inventory_code="OS-READY", status="ready")
    client.force_login(staff)
    walk = Walk(client, handover_form)
    walk.get("etape-1")
    for code, message in (
        ("OS-NOPE", "Aucun équipement n&#x27;a le code d&#x27;inventaire « OS-NOPE »"),
        ("OS-ELSEWHERE", "n&#x27;est pas dans le stock de votre lieu"),
        ("OS-READY", "n&#x27;est pas dans le stock de votre lieu"),
    ):
        response = walk.post("etape-1", step1(site, device_code=code))
        assert response.status_code == 200
        assert message in response.content.decode().replace("’", "&#x27;"), code
    assert walk.post("etape-1", step1(site, device_code=" os-00042 ")).status_code == 302


def test_a_site_serving_two_campaigns_hands_over_each_campaigns_device_with_its_form(
    client, staff, site, device, handover_form, campaign, campaign_index
):
    """The sheet counts for the campaign of the form it was written with: a device (or a
    prescription) of another campaign is refused there, and recorded with its own form."""
    other = CampaignPageFactory(parent=campaign_index, title="Ordi 2.0", slug="ordi-2-0")
    device.campaign = other
    device.save()
    prescription = PrescriptionFactory(site=site, status="accepted", campaign=other)
    client.force_login(staff)
    walk = Walk(client, handover_form)
    walk.get("etape-1")
    walk.post("etape-1", step1(site))
    assert walk.post("etape-2", STEP2).status_code == 302
    review = client.get(walk.post("verification")["Location"])
    text = review.content.decode().replace("&#x27;", "'")
    assert "L'équipement « OS-00042 » appartient à une autre campagne" in text
    device.campaign = campaign
    device.save()
    walk = Walk(client, handover_form)
    walk.get("etape-1")
    walk.post("etape-1", step1(site, prescription=prescription.reference))
    walk.post("etape-2", STEP2)
    review = client.get(walk.post("verification")["Location"])
    assert "Cette prescription appartient à une autre campagne." in review.content.decode()
    assert not HandoverSheet.objects.exists()

    own_form = FormPageFactory(
        parent=other, slug="remise", kind="handover", steps=handover_steps(), notify_emails=""
    )
    device.campaign = other
    device.save()
    walk = Walk(client, own_form)
    walk.get("etape-1")
    walk.post("etape-1", step1(site, prescription=prescription.reference))
    walk.post("etape-2", STEP2)
    assert walk.post("verification").status_code == 302
    assert HandoverSheet.objects.get().campaign == other


def test_a_loan_needs_an_end_date(client, staff, site, device, handover_form):
    client.force_login(staff)
    walk = Walk(client, handover_form)
    walk.get("etape-1")
    response = walk.post("etape-1", step1(site, handover_kind="loan"))
    assert response.status_code == 200 and "Champ requis." in response.content.decode()
    response = walk.post("etape-1", step1(site, handover_kind="loan", loan_end_date="2027-11-20"))
    assert response.status_code == 302


def test_the_handover_sheet_is_anonymous_by_construction():
    names = {field.name for field in HandoverSheet._meta.get_fields()}
    personal = {
        "first_name",
        "last_name",
        "name",
        "email",
        "phone",
        "address",
        "beneficiary_first_name",
        "beneficiary_last_name",
        "beneficiary_phone",
        "beneficiary_email",
        "commune",
    }
    assert not names & personal


def test_handover_export_has_no_personal_column(client, coordination_user, site):
    HandoverSheetFactory(site=site, prescription=PrescriptionFactory(site=site))
    client.force_login(coordination_user)
    response = client.get("/admin/forms/handoversheet/", {"export": "csv"})
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    body = response.content.decode("utf-8-sig")
    assert "sexe" in header and "tranche d'âge" in header
    assert "Amina" not in body and "0612345678" not in body and "julie@example.org" not in body


def test_admin_handover_with_the_site_preselected(client, staff, site, device):
    prescription = PrescriptionFactory(site=site, status="accepted")
    client.force_login(staff)
    html = client.get("/admin/forms/handoversheet/create/").content.decode()
    assert f'<option value="{site.pk}" selected>' in html
    response = client.post(
        "/admin/forms/handoversheet/create/",
        {
            "site": site.pk,
            "handover_date": "2026-11-20",
            "device_code": "OS-00042",
            "handover_kind": "donation",
            "prescription": prescription.pk,
            "sex": "male",
            "age_class": "18_24",
            "social_status": "in_school",
            "prescriber_kind": "",
            "diagnostic_tool": "none",
            "training_sessions": "0",
            "training_hours": "0",
            "no_resale_accepted": "on",
            "status": "recorded",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    sheet = HandoverSheet.objects.get()
    assert sheet.reference.startswith("REM-") and sheet.device == device
    prescription.refresh_from_db()
    assert prescription.status == Prescription.Status.EQUIPPED
    device.refresh_from_db()
    assert device.status == "handed_over"
    # The same device cannot be handed over twice.
    response = client.post(
        "/admin/forms/handoversheet/create/",
        {
            "site": site.pk,
            "handover_date": "2026-11-21",
            "device_code": "OS-00042",
            "handover_kind": "donation",
            "sex": "male",
            "age_class": "18_24",
            "social_status": "in_school",
            "diagnostic_tool": "none",
            "training_sessions": "0",
            "training_hours": "0",
            "no_resale_accepted": "on",
        },
    )
    assert response.status_code == 200
    assert "a déjà été remis" in response.content.decode()


def test_site_staff_print_the_sheets_of_their_own_records_only(
    client, staff, site, other_site, device
):
    from pypdf import PdfReader

    own = PrescriptionFactory(
        site=site, beneficiary_first_name="Léa", beneficiary_last_name="Дюбуа"
    )
    foreign = PrescriptionFactory(site=other_site)
    sheet = HandoverSheetFactory(site=site, device_code="OS-00042", prescription=own)
    client.force_login(staff)
    for kind, model_name, record, expected in (
        (
            "prescription_sheet",
            "prescription",
            own,
            ["Fiche de prescription", "Дюбуа", own.reference],
        ),
        ("handover_sheet", "handoversheet", sheet, ["OS-00042", "non-revente", sheet.reference]),
    ):
        url = f"/admin/documents-programme/{kind}/{model_name}/{record.pk}/"
        assert client.get(url).status_code == 200
        response = client.post(url)  # back to the record, with the link to the PDF
        assert response.status_code == 302 and "documents-programme" not in response["Location"]
        document = GeneratedDocument.for_record(record).get(kind=kind)
        response = client.get(f"/admin/documents-programme/pdf/{document.pk}/")
        pdf = b"".join(response.streaming_content) if response.streaming else response.content
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        for item in expected:
            assert item in text, (kind, item)
    # Another site's record: refused (the admin sends the user back to its home page).
    response = client.post(
        f"/admin/documents-programme/prescription_sheet/prescription/{foreign.pk}/"
    )
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"
