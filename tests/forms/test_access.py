"""Who sees what: every role × every record type × list, detail, edit, export and API."""

import io

import pytest
from pypdf import PdfReader

from portal.roles import COMMUNICATION, COORDINATION, MEDIATION
from tests.factories import (
    DonorPledgeFactory,
    HandoverSheetFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    coordinated_campaign,
)
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

ALLOWED, DENIED = True, False
RECORDS = {"pledge": "donorpledge", "prescription": "prescription", "handover": "handoversheet"}
ACTIONS = ("list", "detail", "edit", "export")

# role -> record type -> action -> allowed. "own"/"other": a record of the user's site or of another.
EXPECTED = {
    "coordination": {
        "pledge": dict.fromkeys(ACTIONS, ALLOWED),
        "prescription_own": dict.fromkeys(ACTIONS, ALLOWED),
        "prescription_other": dict.fromkeys(ACTIONS, ALLOWED),
        "handover_own": dict.fromkeys(ACTIONS, ALLOWED),
        "handover_other": dict.fromkeys(ACTIONS, ALLOWED),
    },
    "mediation": {
        "pledge": dict.fromkeys(ACTIONS, DENIED),
        "prescription_own": {"list": ALLOWED, "detail": ALLOWED, "edit": ALLOWED, "export": DENIED},
        "prescription_other": {"list": DENIED, "detail": DENIED, "edit": DENIED, "export": DENIED},
        "handover_own": {"list": ALLOWED, "detail": ALLOWED, "edit": ALLOWED, "export": ALLOWED},
        "handover_other": {"list": DENIED, "detail": DENIED, "edit": DENIED, "export": DENIED},
    },
    "communication": {
        key: dict.fromkeys(ACTIONS, DENIED)
        for key in (
            "pledge",
            "prescription_own",
            "prescription_other",
            "handover_own",
            "handover_other",
        )
    },
    "anonymous": {
        key: dict.fromkeys(ACTIONS, DENIED)
        for key in (
            "pledge",
            "prescription_own",
            "prescription_other",
            "handover_own",
            "handover_other",
        )
    },
}


@pytest.fixture
def world():
    users = {
        "coordination": UserFactory(username="coord", groups=[COORDINATION]),
        "mediation": UserFactory(username="med", groups=[MEDIATION]),
        "communication": UserFactory(username="com", groups=[COMMUNICATION]),
    }
    own_site = MediationSiteFactory(nom="Lieu A", staff=[users["mediation"]])
    other_site = MediationSiteFactory(nom="Lieu B")
    # Coordinators see the records of the campaigns they coordinate (forms.access).
    campaign = coordinated_campaign(users["coordination"])
    records = {
        "pledge": DonorPledgeFactory(organisation_name="Société Zèbre", campaign=campaign),
        "prescription_own": PrescriptionFactory(
            site=own_site, beneficiary_last_name="Alpha", campaign=campaign
        ),
        "prescription_other": PrescriptionFactory(
            site=other_site, beneficiary_last_name="Omega", campaign=campaign
        ),
        "handover_own": HandoverSheetFactory(site=own_site, device_code="OWN-1", campaign=campaign),
        "handover_other": HandoverSheetFactory(
            site=other_site, device_code="OTHER-1", campaign=campaign
        ),
    }
    return users, records


def marker(key, record):
    return {
        "pledge": "Société Zèbre",
        "prescription_own": "Alpha",
        "prescription_other": "Omega",
        "handover_own": "OWN-1",
        "handover_other": "OTHER-1",
    }[key]


@pytest.mark.parametrize("role", list(EXPECTED))
def test_access_matrix(client, world, role):
    users, records = world
    if role != "anonymous":
        client.force_login(users[role])
    for key, record in records.items():
        base = f"/admin/forms/{RECORDS[key.split('_')[0]]}/"
        expected = EXPECTED[role][key]
        response = client.get(base)
        listed = response.status_code == 200 and marker(key, record) in response.content.decode()
        assert listed == expected["list"], (role, key, "list")
        url = f"{base}edit/{record.pk}/"
        # Detail: the record's page opens and shows the record.
        response = client.get(url)
        seen = response.status_code == 200 and marker(key, record) in response.content.decode()
        assert seen == expected["detail"], (role, key, "detail", response.status_code)
        # Edit: the whole form, posted back as a browser does, is saved.
        before = type(record).objects.filter(pk=record.pk).values().get()
        data = read_form(response.content.decode(), action_contains="/edit/").data() if seen else {}
        response = client.post(url, data)
        saved = response.status_code == 302 and response["Location"] == base
        assert saved == expected["edit"], (role, key, "edit", response.status_code)
        if not saved:
            assert type(record).objects.filter(pk=record.pk).values().get() == before
        response = client.get(base, {"export": "csv"})
        exported = response.status_code == 200 and marker(key, record) in response.content.decode(
            "utf-8-sig"
        )
        assert exported == expected["export"], (role, key, "export")


def test_no_api_endpoint_exposes_records(client, world):
    users, records = world
    client.force_login(users["coordination"])
    for path in (
        "/api/v2/pages/?type=forms.FormPage",
        "/api/v2/mediation-sites/",
        "/api/v2/pages/",
    ):
        body = client.get(path).content.decode()
        for key, record in records.items():
            assert marker(key, record) not in body
            assert record.reference not in body
    for name in ("prescriptions", "handover-sheets", "pledges", "donor-pledges"):
        assert client.get(f"/api/v2/{name}/").status_code == 404


def test_exports_of_personal_data_are_logged(client, world):
    from forms.engine.models.export_log import PersonalDataExport

    users, _ = world
    client.force_login(users["coordination"])
    client.get("/admin/forms/prescription/", {"export": "xlsx", "status__exact": "received"})
    client.get("/admin/forms/handoversheet/", {"export": "csv"})  # anonymous: not personal data
    log = PersonalDataExport.objects.get()
    assert (log.by, log.model, log.export_format) == (
        users["coordination"],
        "forms.Prescription",
        "xlsx",
    )
    assert log.filters == "status__exact=received" and log.row_count == 2


# Devices, lots, batches, documents and history pages -------------
LOGISTICS_ACTIONS = ("list", "detail", "edit", "export", "history", "document")
ADMIN_PATHS = {
    "pledge": "donorpledge",
    "prescription": "prescription",
    "handover": "handoversheet",
    "device": "device",
    "lot": "lot",
    "batch": "devicebatch",
    "loan": "loan",
}
DOCUMENT_KINDS = {
    "pledge": "donation_agreement",
    "prescription": "prescription_sheet",
    "handover": "handover_sheet",
    "lot": "transfer_agreement",
    "loan": "loan_agreement",
}


def expected_for(role, key):
    """What ``role`` may do with record ``key`` ("device_a": a device of site A)."""
    kind, _, site = key.partition("_")
    nothing = dict.fromkeys(LOGISTICS_ACTIONS, DENIED)
    if role == "coordination":
        return {
            **dict.fromkeys(LOGISTICS_ACTIONS, ALLOWED),
            "export": kind not in ("lot", "batch", "loan"),  # lots, batches, loans: no export
            "document": kind in DOCUMENT_KINDS,
        }
    own_site = {"mediation": "a", "mediation2": "b"}.get(role)
    if own_site is None or site != own_site:
        return nothing  # communication, anonymous, another site's records, pledges, batches
    return {
        "list": ALLOWED,
        "history": ALLOWED,
        # Devices and lots: the model permission given below is "view" only (no edit view).
        "detail": kind in ("prescription", "handover", "loan"),
        "edit": kind in ("prescription", "handover", "loan"),
        "export": kind in ("handover", "device"),  # prescriptions: personal data, coordinators
        "document": kind in DOCUMENT_KINDS,
    }


@pytest.fixture
def two_sites():
    from django.contrib.auth.models import Permission

    from forms.logistics.models.lot import Lot
    from forms.logistics.services.documents import render_document
    from tests.factories import DeviceBatchFactory, DeviceFactory, LoanFactory

    users = {
        "coordination": UserFactory(username="coord", groups=[COORDINATION]),
        "communication": UserFactory(username="com", groups=[COMMUNICATION]),
        "mediation": UserFactory(username="med", groups=[MEDIATION]),
        "mediation2": UserFactory(username="med2", groups=[MEDIATION]),
    }
    # Even with the model permission, a site's staff see only their site's devices and lots.
    extra = Permission.objects.filter(
        content_type__app_label="forms", codename__in=["view_device", "view_lot"]
    )
    for name in ("mediation", "mediation2"):
        users[name].user_permissions.add(*extra)
    site_a = MediationSiteFactory(nom="Lieu A", staff=[users["mediation"]])
    site_b = MediationSiteFactory(nom="Lieu B", staff=[users["mediation2"]])
    # Coordinators see the records of the campaigns they coordinate (forms.access).
    campaign = coordinated_campaign(users["coordination"])
    records = {
        "pledge": DonorPledgeFactory(organisation_name="Société Zèbre", campaign=campaign),
        "batch": DeviceBatchFactory(supplier_name="Fournisseur Zêta", campaign=campaign),
    }
    markers = {"pledge": "Société Zèbre", "batch": "Fournisseur Zêta"}
    for name, site in (("a", site_a), ("b", site_b)):
        records[f"prescription_{name}"] = PrescriptionFactory(
            site=site, beneficiary_last_name=f"Bénéficiaire{name.upper()}", campaign=campaign
        )
        markers[f"prescription_{name}"] = f"Bénéficiaire{name.upper()}"
        records[f"handover_{name}"] = HandoverSheetFactory(
            site=site, device_code=f"HO-{name}", campaign=campaign
        )
        markers[f"handover_{name}"] = f"HO-{name}"
        records[f"device_{name}"] = DeviceFactory(
            site=site,
            inventory_code=f"EQ-SITE-{name.upper()}",
            status="allocated",
            campaign=campaign,
        )
        markers[f"device_{name}"] = f"EQ-SITE-{name.upper()}"
        records[f"lot_{name}"] = Lot.objects.create(site=site, size=1, campaign=campaign)
        markers[f"lot_{name}"] = records[f"lot_{name}"].reference
        # Loans: their site's staff return, extend and maintain them.
        records[f"loan_{name}"] = LoanFactory(site=site, campaign=campaign)
        markers[f"loan_{name}"] = records[f"loan_{name}"].reference
    documents = {
        key: render_document(DOCUMENT_KINDS[key.split("_")[0]], record)
        for key, record in records.items()
        if key.split("_")[0] in DOCUMENT_KINDS
    }
    return users, records, markers, documents


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "role", ["coordination", "communication", "mediation", "mediation2", "anonymous"]
)
def test_access_matrix_with_logistics_documents_and_history(client, two_sites, role):
    users, records, markers, documents = two_sites
    if role != "anonymous":
        client.force_login(users[role])
    seen = {}
    for key, record in records.items():
        base = f"/admin/forms/{ADMIN_PATHS[key.split('_')[0]]}/"
        marker = markers[key]
        response = client.get(base)
        seen["list"] = response.status_code == 200 and marker in response.content.decode()
        seen["detail"] = client.get(f"{base}edit/{record.pk}/").status_code == 200
        seen["edit"] = client.post(f"{base}edit/{record.pk}/", {}).status_code == 200
        response = client.get(base, {"export": "csv"})
        seen["export"] = (
            response.status_code == 200
            and response["Content-Type"].startswith("text/csv")
            and marker in body(response)
        )
        seen["history"] = client.get(f"{base}history/{record.pk}/").status_code == 200
        document = documents.get(key)
        seen["document"] = bool(
            document
            and client.get(f"/admin/documents-programme/pdf/{document.pk}/").status_code == 200
        )
        assert seen == expected_for(role, key), (role, key)


def test_device_labels_are_scoped(client, two_sites):
    users, records, _, _ = two_sites
    client.force_login(users["mediation"])
    codes = f"{records['device_a'].inventory_code},{records['device_b'].inventory_code}"
    response = client.get("/admin/forms/device/labels/", {"codes": codes})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = "".join(page.extract_text() for page in pages)
    assert records["device_a"].inventory_code in text
    assert records["device_b"].inventory_code not in text
