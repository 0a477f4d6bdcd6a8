"""Programme indicators: the FACE figures against goals and the OrdiPin40 table, per
campaign without leaks between campaigns, the admin dashboard and its exports."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from forms.kinds.handover.review import OneYearReview
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.models.lot import Lot
from forms.logistics.services.report import REPORT_QUERIES, programme_report
from portal.roles import MEDIATION
from tests.factories import (
    CampaignPageFactory,
    DeviceBatchFactory,
    DeviceFactory,
    DonorPledgeFactory,
    HandoverSheetFactory,
    LoanFactory,
    MediationSiteFactory,
    OrganisationFactory,
    PrescriptionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def device(campaign, status="ready", **fields):
    made = DeviceFactory.build(campaign=campaign, status=status, **fields)
    made.mark_stages(status)
    made.save()
    return made


def transfer_agreement(lot):
    return GeneratedDocument.objects.create(
        kind="transfer_agreement",
        record=lot,
        filename="convention.pdf",
        file=ContentFile(b"%PDF", name="convention.pdf"),
    )


@pytest.fixture
def programme(campaign_index):
    """Two campaigns whose records cross: FACE (with goals) and Landes."""
    face = CampaignPageFactory(
        parent=campaign_index,
        title="Mon ordi est une chance",
        slug="face",
        goal_donor_organisations=2,
        goal_refurbishers=2,
        goal_ceremony_pct=50,
        goal_accompanied_pct=80,
        goal_reviews_pct=50,
    )
    landes = CampaignPageFactory(parent=campaign_index, title="OrdiPin40", slug="landes")
    saintes = MediationSiteFactory(nom="Centre social de Saintes")
    royan = MediationSiteFactory(nom="Espace numérique de Royan")
    dax = MediationSiteFactory(nom="Médiathèque de Dax")
    MediationSiteFactory(nom="Lieu sans rien")

    # Donors (forms.logistics.services.donors): one organisation under two spellings,
    # a new pledge (it will come), one public body; a declined pledge does not count.
    for name, status in (
        ("Entreprise Alpha", "confirmed"),
        (" entreprise ALPHA ", "collected"),
        ("Beta SA", "closed"),
        ("Gamma", "new"),
        ("Delta", "declined"),
    ):
        DonorPledgeFactory(organisation_name=name, status=status, campaign=face)
    DeviceBatchFactory(supplier_name="Mairie de Saintes", campaign=face)
    DeviceBatchFactory(kind="purchase", supplier_name="Revendeur", campaign=face)
    DonorPledgeFactory(organisation_name="Omega", status="confirmed", campaign=landes)

    # Devices: two refurbishers for FACE, a third for Landes.
    ateliers = [OrganisationFactory() for _ in range(3)]
    device(face, "ready", refurbisher=ateliers[0])
    device(face, "eliminated", refurbisher=ateliers[0])
    device(face, "allocated", refurbisher=ateliers[1], site=saintes)
    device(landes, "allocated", refurbisher=ateliers[2], site=dax)
    device(landes, "handed_over", refurbisher=ateliers[2], site=dax)

    # Lots and transfer agreements (a regenerated agreement counts once).
    face_lot = Lot.objects.create(site=saintes, campaign=face, status="delivered")
    transfer_agreement(face_lot)
    transfer_agreement(face_lot)
    landes_lot = Lot.objects.create(site=dax, status="delivered")
    device(landes, "allocated", site=dax, lot=landes_lot)  # the lot's campaign is its devices'
    transfer_agreement(landes_lot)

    # Prescriptions and their APTIC cheques.
    face_prescription = PrescriptionFactory(
        site=royan, campaign=face, aptic_cheques=2, aptic_cheques_value=Decimal("20")
    )
    PrescriptionFactory(
        site=saintes, campaign=face, aptic_cheques=3, aptic_cheques_value=Decimal("30")
    )
    PrescriptionFactory(
        site=saintes, campaign=face, aptic_cheques=1, aptic_cheques_value=Decimal("12.5")
    )
    PrescriptionFactory(site=saintes, campaign=face)  # no cheque
    PrescriptionFactory(
        site=dax, campaign=landes, aptic_cheques=5, aptic_cheques_value=Decimal("50")
    )

    # Handovers: FACE counts its own, those of its prescriptions and of its devices.
    today = timezone.localdate()
    HandoverSheetFactory(site=saintes, campaign=face, ceremony_attended=True, accompanied=True)
    HandoverSheetFactory(
        site=royan, prescription=face_prescription, ceremony_attended=True, handover_date=today
    )
    old = HandoverSheetFactory(
        site=saintes,
        device=device(face, "handed_over", site=saintes),
        accompanied=True,
        handover_date=today - timedelta(days=700),
    )
    OneYearReview.objects.create(handover=old, answered_at=timezone.now())
    HandoverSheetFactory(site=saintes, campaign=face, handover_date=today - timedelta(days=400))
    HandoverSheetFactory(site=saintes, campaign=face, ceremony_attended=True, status="cancelled")
    # A Landes handover of a FACE prescription counts for Landes only.
    HandoverSheetFactory(
        site=dax, campaign=landes, prescription=face_prescription, ceremony_attended=True
    )

    LoanFactory(campaign=face)
    LoanFactory(campaign=landes, device__campaign=landes)
    return face, landes


def test_figures_per_campaign_do_not_leak(programme):
    face, landes = programme
    report = programme_report(face)
    assert report["devices"]["taken_in"] == 4
    assert report["devices"]["sites_transferred_to"] == 1
    assert report["sites_served"] == 2  # Saintes (lot, devices, handovers), Royan (handover)
    assert report["transfer_agreements"] == 1
    assert report["loans"]["loans"] == 1
    assert report["handovers"] == {
        "recorded": 4,
        "ceremony": 2,
        "accompanied": 2,
        "reviews_due": 2,
        "reviews_done": 1,
    }
    assert report["aptic"] == {
        "cheques": 6,
        "value": Decimal("62.50"),
        "per_site": [
            {"site": "Centre social de Saintes", "cheques": 4, "value": Decimal("42.50")},
            {"site": "Espace numérique de Royan", "cheques": 2, "value": Decimal("20.00")},
        ],
    }
    assert report["indicators"] == {
        "donor_organisations": {"value": 4, "goal": 2, "unit": "count", "met": True},
        "refurbishers": {"value": 2, "goal": 2, "unit": "count", "met": True},
        "ceremony_pct": {"value": 50.0, "goal": 50, "unit": "pct", "met": True},
        "accompanied_pct": {"value": 50.0, "goal": 80, "unit": "pct", "met": False},
        "reviews_pct": {"value": 50.0, "goal": 50, "unit": "pct", "met": True},
    }

    other = programme_report(landes)
    assert other["devices"]["taken_in"] == 4  # with the lent one
    assert other["sites_served"] == 1  # Dax
    assert other["transfer_agreements"] == 1
    assert other["loans"]["loans"] == 1
    assert other["handovers"]["recorded"] == 1 and other["handovers"]["ceremony"] == 1
    assert other["aptic"]["cheques"] == 5
    assert [row["site"] for row in other["aptic"]["per_site"]] == ["Médiathèque de Dax"]
    indicators = other["indicators"]
    assert indicators["donor_organisations"] == {
        "value": 1,
        "goal": None,
        "unit": "count",
        "met": None,
    }
    assert indicators["refurbishers"]["value"] == 1
    assert indicators["reviews_pct"]["value"] is None  # no handover a year old yet

    whole = programme_report()
    assert whole["indicators"]["donor_organisations"]["value"] == 5
    assert whole["indicators"]["refurbishers"]["value"] == 3
    assert whole["sites_served"] == 3 and whole["transfer_agreements"] == 2
    assert whole["handovers"]["recorded"] == 5
    assert whole["aptic"]["cheques"] == 11


def queries_for(campaign):
    with CaptureQueriesContext(connection) as captured:
        programme_report(campaign)
    return len(captured)


def test_query_count_does_not_grow_with_records(programme):
    face, _ = programme
    before = queries_for(face)
    assert before <= REPORT_QUERIES
    site = MediationSiteFactory()
    for index in range(15):
        DonorPledgeFactory(status="confirmed", campaign=face)
        device(face, "allocated", site=site, refurbisher=OrganisationFactory())
        prescription = PrescriptionFactory(site=site, campaign=face, aptic_cheques=1)
        HandoverSheetFactory(site=site, prescription=prescription, ceremony_attended=index % 2)
        lot = Lot.objects.create(site=site, campaign=face, status="delivered")
        transfer_agreement(lot)
    assert queries_for(face) == before
    assert queries_for(None) <= REPORT_QUERIES


def test_command_formats(programme, capsys):
    call_command("programme_report", "--format", "json", "--campaign", "face")
    data = json.loads(capsys.readouterr().out)
    assert data["indicators"]["accompanied_pct"] == {
        "value": 50.0,
        "goal": 80,
        "unit": "pct",
        "met": False,
    }
    assert data["aptic"]["value"] == "62.50" and data["transfer_agreements"] == 1
    call_command("programme_report", "--format", "csv", "--campaign", "landes")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["section", "figure", "value", "goal", "met"]
    assert ["aptic_cheques", "Médiathèque de Dax", "5", "", ""] in rows
    assert ["network", "sites_served", "1", "", ""] in rows
    call_command("programme_report", "--campaign", "face")
    text = capsys.readouterr().out
    assert "indicators accompanied_pct: 50.0 (goal 80, not met)" in text


# The admin dashboard ------------------------------------------------------
def test_coordinator_sees_the_dashboard(client, programme, coordination_user):
    face, landes = programme
    coordination_user.coordinated_campaigns.add(face, landes)
    client.force_login(coordination_user)
    home = client.get("/admin/").content.decode()
    assert "/admin/programme/indicateurs/" in home and "Indicateurs du programme" in home
    index = client.get("/admin/programme/indicateurs/").content.decode()
    assert f"/admin/programme/{face.pk}/indicateurs/" in index
    assert f"/admin/programme/{landes.pk}/indicateurs/" in index

    response = client.get(f"/admin/programme/{face.pk}/indicateurs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 2 and "<title id=" in html and "<desc id=" in html
    assert "Organisations donatrices" in html
    assert "Centre social de Saintes" in html and "Médiathèque de Dax" not in html
    assert "vers 1 lieux sous 1 conventions" in html
    assert "non atteint" in html
    for export_format in ("csv", "xlsx", "pdf"):
        assert f"/admin/programme/{face.pk}/indicateurs/export/{export_format}/" in html


def test_others_cannot_see_it(client, programme, communication_user):
    face, _ = programme
    site_staff = UserFactory(username="mediation", groups=[MEDIATION])
    MediationSiteFactory(staff=[site_staff])
    for user in (communication_user, site_staff):
        client.force_login(user)
        assert "/admin/programme/indicateurs/" not in client.get("/admin/").content.decode()
        for url in (
            "/admin/programme/indicateurs/",
            f"/admin/programme/{face.pk}/indicateurs/",
            f"/admin/programme/{face.pk}/indicateurs/export/csv/",
        ):
            assert client.get(url).status_code in (302, 403), (user, url)
    client.logout()
    assert client.get(f"/admin/programme/{face.pk}/indicateurs/").status_code == 302


def test_exports(client, programme, coordination_user):
    face, _ = programme
    coordination_user.coordinated_campaigns.add(face)
    client.force_login(coordination_user)
    base = f"/admin/programme/{face.pk}/indicateurs/export/"

    response = client.get(base + "csv/")
    assert response["Content-Disposition"].startswith('attachment; filename="indicateurs-face-')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Rubrique", "Chiffre", "Valeur", "Objectif", "Objectif atteint"]
    assert [
        "Indicateurs d’évaluation",
        "Bénéficiaires accompagnés",
        "50,0",  # a French CSV: decimals with a comma
        "80",
        "non atteint",
    ] in rows
    assert ["Chèques APTIC par lieu", "Centre social de Saintes", "4", "", ""] in rows

    response = client.get(base + "xlsx/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Indicateurs du programme"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # numbers are numbers (formula-like text is still neutralised by portal.exports)
    assert ["Indicateurs d’évaluation", "Reconditionneurs", 2, 2, "atteint"] in values
    assert [
        "Indicateurs d’évaluation",
        "Bénéficiaires accompagnés",
        50.0,
        80,
        "non atteint",
    ] in values

    response = client.get(base + "pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        ).split()
    )
    for expected in (
        "Mon ordi est une chance",
        "Organisations donatrices",
        "Centre social de Saintes",
        "Ordinateurs à chaque étape",
        "50,0 % / 80 %",
    ):
        assert expected in text, expected
    assert client.get(base + "html/").status_code == 404
