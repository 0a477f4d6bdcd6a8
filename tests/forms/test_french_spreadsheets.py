"""Spreadsheets read right in French: an XLSX stores numbers as numbers and dates
as dates, on a sheet named after its rows; a CSV (semicolons) writes dates as
DD/MM/YYYY and decimals with a comma. Formula-like text stays neutralised."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from tests.factories import (
    DeviceFactory,
    DonorPledgeFactory,
    PrescriptionFactory,
    coordinated_campaign,
)

pytestmark = pytest.mark.django_db


def sheet_of(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def column(sheet, header):
    """The first data row's cell under ``header``."""
    headers = [cell.value for cell in sheet[1]]
    return sheet.cell(row=2, column=headers.index(header) + 1)


def csv_rows(response, delimiter=";"):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture
def coordinator(client, coordination_user):
    client.force_login(coordination_user)
    return coordinated_campaign(coordination_user)


def test_pledges_xlsx_numbers_dates_and_sheet_name(client, coordinator):
    DonorPledgeFactory(campaign=coordinator, laptops=12, organisation_name="=1+1", postcode="01000")
    sheet = sheet_of(client.get("/admin/forms/donorpledge/", {"export": "xlsx"}))
    assert sheet.title == "Promesses de don"
    laptops = column(sheet, "ordinateurs portables")
    assert (laptops.value, laptops.data_type) == (12, "n")
    sent = column(sheet, "reçue le")
    assert sent.is_date and isinstance(sent.value, datetime.datetime)
    assert sent.number_format == "DD/MM/YYYY HH:MM"
    # Text stays text: a postcode keeps its leading zero, a formula never runs.
    assert column(sheet, "code postal").value == "01000"
    name = column(sheet, "nom de l'organisation")
    assert (name.value, name.data_type) == ("'=1+1", "s")


def test_prescriptions_csv_decimals_with_a_comma_and_french_dates(client, coordinator):
    prescription = PrescriptionFactory(
        campaign=coordinator, aptic_cheques=3, aptic_cheques_value=Decimal("37.50")
    )
    (row,) = csv_rows(client.get("/admin/forms/prescription/", {"export": "csv"}))
    assert row["valeur des chèques APTIC (€)"] == "37,50"
    received = timezone.localtime(prescription.created_at).strftime("%d/%m/%Y %H:%M")
    assert row["reçue le"] == received
    # A comma-separated CSV keeps the decimal point (a comma would split the cell).
    (row,) = csv_rows(
        client.get("/admin/forms/prescription/", {"export": "csv", "delimiter": "comma"}), ","
    )
    assert row["valeur des chèques APTIC (€)"] == "37.50"

    sheet = sheet_of(client.get("/admin/forms/prescription/", {"export": "xlsx"}))
    assert sheet.title == "Fiches de prescription"
    value = column(sheet, "valeur des chèques APTIC (€)")
    assert value.data_type == "n" and value.value == 37.5


def test_devices_xlsx_numbers_and_dates(client, coordinator):
    DeviceFactory(
        campaign=coordinator, ram_gb=8, erasure_date=datetime.date(2026, 3, 2), notes="@SUM(A1)"
    )
    sheet = sheet_of(client.get("/admin/forms/device/", {"export": "xlsx"}))
    assert sheet.title == "Équipements"
    ram = column(sheet, "ram_gb")
    assert (ram.value, ram.data_type) == (8, "n")
    erased = column(sheet, "erasure_date")
    assert erased.is_date and erased.value.date() == datetime.date(2026, 3, 2)
    assert erased.number_format == "DD/MM/YYYY"
    assert column(sheet, "notes").value == "'@SUM(A1)"
