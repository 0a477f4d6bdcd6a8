"""Who sees what: every role × every record type × list, detail, edit, export and API."""

import pytest

from portal.roles import COMMUNICATION, COORDINATION, MEDIATION
from tests.factories import (
    DonorPledgeFactory,
    HandoverSheetFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
)

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
    records = {
        "pledge": DonorPledgeFactory(organisation_name="Société Zèbre"),
        "prescription_own": PrescriptionFactory(site=own_site, beneficiary_last_name="Alpha"),
        "prescription_other": PrescriptionFactory(site=other_site, beneficiary_last_name="Omega"),
        "handover_own": HandoverSheetFactory(site=own_site, device_code="OWN-1"),
        "handover_other": HandoverSheetFactory(site=other_site, device_code="OTHER-1"),
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
        for action, url in (
            ("detail", f"{base}edit/{record.pk}/"),
            ("edit", f"{base}edit/{record.pk}/"),
        ):
            response = client.get(url) if action == "detail" else client.post(url, {})
            allowed = response.status_code == 200
            assert allowed == expected[action], (role, key, action, response.status_code)
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
    from forms.models import PersonalDataExport

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
