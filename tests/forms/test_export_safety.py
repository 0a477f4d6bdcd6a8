"""Every export opens and runs no formula: control characters never get
stored, and one export base neutralises formula-like cells the same way everywhere."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from content import importexport
from content.models import MediationSite
from forms.kinds.pledge.models import DonorPledge
from forms.logistics.models.device import Device
from portal.exports import safe_cell
from tests.factories import (
    DeviceFactory,
    DonorPledgeFactory,
    HandoverSheetFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    coordinated_campaign,
)

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"]


def xlsx_values(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell.value for row in sheet.iter_rows() for cell in row]


def csv_cells(response):
    text = response.content.decode("utf-8-sig")
    header = text.split("\n", 1)[0]  # record exports: semicolons; the sites' standard: commas
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def test_safe_cell_is_one_rule():
    for value in FORMULAS:
        assert safe_cell(value) == "'" + value
    for value in ("+33 5 58 12 34 56", "-3", "12,5", "Mairie", "", None, 7):
        assert safe_cell(value) == value
    assert safe_cell("Société\x01\x00 Zèbre\x7f") == "Société Zèbre"


def test_control_characters_are_stripped_on_save_and_the_pledge_xlsx_opens(
    client, coordination_user
):
    pledge = DonorPledgeFactory(
        organisation_name="Société\x01 Zèbre",
        contact_name="A\x00B",
        campaign=coordinated_campaign(coordination_user),
    )
    pledge.refresh_from_db()
    assert (pledge.organisation_name, pledge.contact_name) == ("Société Zèbre", "AB")
    # Even a row written behind the models' back (bulk update) cannot break the export.
    DonorPledge.objects.filter(pk=pledge.pk).update(city="La\x01 Rochelle")
    client.force_login(coordination_user)
    response = client.get("/admin/forms/donorpledge/", {"export": "xlsx"})
    assert response.status_code == 200
    values = xlsx_values(response.content)
    assert "Société Zèbre" in values and "La Rochelle" in values


def test_a_nul_in_an_imported_device_csv_does_not_break_the_device_xlsx(
    tmp_path, client, coordination_user
):
    coordinated_campaign(coordination_user, slug="landes")  # the devices' campaign
    path = tmp_path / "devices.csv"
    # Past the first 4 KB, which are checked for binary content as a whole.
    padding = b"".join(
        b"EQ-PAD-%d,laptop,HP,840,SN%d,received,landes\n" % (n, n) for n in range(150)
    )
    path.write_bytes(
        b"inventory_code,type,brand,model,serial_number,status,campaign\n"
        + padding
        + b"EQ-NUL,laptop,De\x00ll,Lat\x01itude,S\x1b1,received,landes\n"
    )
    call_command("import_devices", str(path))
    device = Device.objects.get(inventory_code="EQ-NUL")
    assert (device.brand, device.model_name, device.serial_number) == ("Dell", "Latitude", "S1")
    client.force_login(coordination_user)
    response = client.get("/admin/forms/device/", {"export": "xlsx"})
    assert response.status_code == 200 and "Dell" in xlsx_values(response.content)


def test_mediation_site_import_strips_control_characters(tmp_path):
    MediationSiteFactory(identifier="seed")
    csv_text = importexport.export_csv()
    path = tmp_path / "sites.csv"
    path.write_text(
        csv_text.replace(",seed,", ",seed,").replace("Mont-de-Marsan", "Mont\x01-de-Marsan")
    )
    call_command("import_mediation_sites", str(path))
    assert MediationSite.objects.get(identifier="seed").commune == "Mont-de-Marsan"


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_export_neutralises_formulas_the_same_way(client, coordination_user, formula):
    campaign = coordinated_campaign(coordination_user)
    site = MediationSiteFactory(nom=formula)
    DonorPledgeFactory(organisation_name=formula, campaign=campaign)
    PrescriptionFactory(site=site, prescriber_organisation=formula, campaign=campaign)
    HandoverSheetFactory(site=site, device_code=formula, campaign=campaign)
    DeviceFactory(brand=formula, campaign=campaign)
    client.force_login(coordination_user)
    expected = "'" + formula
    for url in (
        "/admin/forms/donorpledge/",
        "/admin/forms/prescription/",
        "/admin/forms/handoversheet/",
        "/admin/forms/device/",
    ):
        assert expected in csv_cells(client.get(url, {"export": "csv"})), url
        assert expected in xlsx_values(client.get(url, {"export": "xlsx"}).content), url
    sites = reverse("content_mediationsite:index")
    assert expected in csv_cells(client.get(sites, {"standard_export": "csv"}))
    assert expected in xlsx_values(client.get(sites, {"standard_export": "xlsx"}).content)
    assert expected in importexport.export_csv()
