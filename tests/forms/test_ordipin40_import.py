"""Done when: a file shaped like the OrdiPin40 programme's hardware-test
and erasure log imports in one go, and the reuse report shows exactly its figures.

Seed figures: 1,805 laptops taken in, 264 eliminated at hardware tests, 1,541
refurbished, 70 returned broken, 101 lent (to digital advisers), 1,341
transferred to 26 mediation sites; the other 29 refurbished laptops are in stock.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan
from tests.factories import MediationSiteFactory, OrganisationFactory, coordinated_campaign

pytestmark = pytest.mark.django_db

# Erasure wording as the tools write it in their logs.
WORDINGS = [
    "nwipe PRNG 1 pass, verified",
    "ShredOS v2021.08.2_23.4 nwipe DoD short",
    "DBAN 2.3.0 autonuke",
    "Blancco Drive Eraser 7.5 - NIST 800-88 Clear",
    "BitRaser 3 passes",
    "shred -v -n 1 -z",
    "hdparm --security-erase",
    "nvme format --ses=1",
    "blkdiscard --secure",
]
ELIMINATED_WORDINGS = ["destruction", "Broyage", "shredded", ""]
HEADER = [
    "n° inventaire",  # a French heading of the inventory code (device_import.vocabulary)
    "serial_number",
    "type",
    "brand",
    "model",
    "status",
    "hardware_test",
    "campaign",
    "refurbisher",
    "site",
    "borrower",
    "erasure_method",
    "erasure_date",
    "os",
]


def ordipin40_rows():
    plan = (
        [("eliminated", None)] * 264
        + [("returned_broken", None)] * 70
        + [("lent", None)] * 101
        + [("handed_over", "site")] * 1000
        + [("allocated", "site")] * 341
        + [("ready", None)] * 29
    )
    for number, (status, at_site) in enumerate(plan):
        eliminated = status == "eliminated"
        yield [
            f"ALPI-{number:05d}",
            f"5CG{number:07d}",
            "Ordinateur portable",
            "HP" if number % 2 else "Lenovo",
            "EliteBook 840 G3" if number % 2 else "ThinkPad T460",
            status,
            "failed" if eliminated else "passed",
            "ordipin40",
            "Atelier Alpi",
            f"site-40-{number % 26:02d}" if at_site else "",
            f"Conseiller numérique {number % 12}" if status == "lent" else "",
            ELIMINATED_WORDINGS[number % 4] if eliminated else WORDINGS[number % len(WORDINGS)],
            "" if eliminated and number % 4 == 3 else f"{1 + number % 28:02d}/03/2022",
            "" if eliminated else "Linux Mint 21",
        ]


def build_file():
    lines = [";".join(HEADER)]
    lines += [";".join(row) for row in ordipin40_rows()]
    # Windows-1252, semicolons, CRLF: what a French spreadsheet saves
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_ordipin40_file_imports_in_one_go_and_the_report_shows_its_figures(
    client, coordination_user, campaign_index, capsys
):
    # the coordinator imports within their campaign, to the sites serving it (forms.access)
    campaign = coordinated_campaign(
        coordination_user, parent=campaign_index, slug="ordipin40", territory="Landes"
    )
    OrganisationFactory(name="Atelier Alpi", postcode="40000", city="Mont-de-Marsan")
    for number in range(26):
        campaign.sites.add(MediationSiteFactory(identifier=f"site-40-{number:02d}"))
    campaign.save()  # a page's many-to-many is written when it is saved
    data = build_file()
    client.force_login(coordination_user)
    # the upload lands on the job's page, where the check has run
    response = client.post(
        "/admin/forms/device/import/",
        {"import_file": SimpleUploadedFile("ordipin40.csv", data, content_type="text/csv")},
        follow=True,
    )
    report = response.context["report"]
    assert (report.created, report.updated, report.rejected) == (1805, 0, 0)
    assert report.unknown_columns == []
    assert any("n° inventaire" in mapping for mapping in report.mappings)
    job = response.context["job"]
    response = client.post(f"/admin/forms/device/import/{job.pk}/confirm/")
    assert response.status_code == 302
    assert Device.objects.count() == 1805

    call_command("programme_report", "--json", "--campaign", "ordipin40")
    figures = json.loads(capsys.readouterr().out)
    assert (
        figures["devices"]
        | {
            "taken_in": 1805,
            "eliminated": 264,
            "refurbished": 1541,
            "returned_broken": 70,
            "lent": 101,
            "transferred_to_sites": 1341,
            "handed_over": 1000,
            "in_stock": 29,
        }
        == figures["devices"]
    )
    assert figures["rates"]["eliminated_pct"] == 14.6
    assert figures["rates"]["refurbished_pct"] == 85.4
    assert figures["rates"]["returned_broken_pct"] == 4.5
    # the lent laptops are loans to their borrowers, ongoing
    assert figures["loans"]["loans"] == 101 and figures["loans"]["ongoing"] == 101
    assert Loan.objects.filter(borrower_name="Conseiller numérique 3").exists()
    assert Device.objects.filter(campaign=campaign).count() == 1805
    assert set(
        Device.objects.exclude(status="eliminated").values_list("erasure_method", flat=True)
    ) == {
        "overwrite",
        "secure_erase",
    }
    assert Device.objects.filter(erasure_method="destruction").count() == 198

    # a second run of the same file updates, never duplicates
    response = client.post(
        "/admin/forms/device/import/",
        {"import_file": SimpleUploadedFile("ordipin40.csv", data, content_type="text/csv")},
        follow=True,
    )
    assert (response.context["report"].created, response.context["report"].updated) == (0, 1805)
