"""Loans (Défis / Ordi 2.0): a device lent to a household through its
prescription (income criterion) or to an association (with maintenance); the
signed agreement; extension, return, overdue list, reminders; the report."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from forms.engine.models.records import StatusLog
from forms.enums import DeviceStatus as S
from forms.logistics.models.device import Device
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.models.loan import Loan, MaintenanceEntry
from forms.logistics.services.report import programme_report
from portal.roles import MEDIATION
from tests.factories import (
    DeviceFactory,
    MediationSiteFactory,
    OrganisationFactory,
    PrescriptionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def create_loan(client, **fields):
    data = {
        "borrower_kind": "household",
        "start_date": day(0),
        "due_date": day(90),
        "condition_out": "good",
        "borrower_name": "",
        "borrower_email": "",
        "notes": "",
        **fields,
    }
    return client.post("/admin/forms/loan/create/", data)


@pytest.fixture
def programme(campaign, coordination_user):
    """The coordinator's campaign: coordinators see only their campaigns' records."""
    coordination_user.coordinated_campaigns.add(campaign)
    return campaign


def device_log(device):
    return list(
        StatusLog.objects.filter(content_type__model="device", object_id=device.pk).values_list(
            "to_status", flat=True
        )
    )


def test_household_loan_lifecycle(client, coordination_user, programme):
    device = DeviceFactory(status=S.READY, campaign=programme)
    prescription = PrescriptionFactory(campaign=programme)
    client.force_login(coordination_user)
    # the income criterion is checked
    response = create_loan(
        client,
        device=device.pk,
        prescription=prescription.pk,
        family_quotient="1500",
        campaign=programme.pk,
    )
    assert response.status_code == 200 and not Loan.objects.exists()
    assert "ceiling" in response.content.decode() or "plafond" in response.content.decode()
    response = create_loan(
        client,
        device=device.pk,
        prescription=prescription.pk,
        family_quotient="620",
        campaign=programme.pk,
    )
    loan = Loan.objects.get()
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.status == S.LENT and device.lent_at and device.loan_return_date == loan.due_date
    assert loan.site == prescription.site and loan.status == "ongoing"
    # no personal data in how the borrower is shown
    assert prescription.beneficiary_last_name not in str(loan)

    # the signed loan agreement, from its editable wording
    response = client.post(f"/admin/documents-programme/loan_agreement/loan/{loan.pk}/")
    assert response.status_code == 302
    document = GeneratedDocument.for_record(loan).get(kind="loan_agreement")
    pdf = client.get(f"/admin/documents-programme/pdf/{document.pk}/")
    assert pdf["Content-Type"] == "application/pdf"

    # extension
    response = client.post(f"/admin/forms/loan/{loan.pk}/extend/", {"due_date": day(120)})
    loan.refresh_from_db()
    assert response.status_code == 302 and loan.due_date.isoformat() == day(120)
    assert loan.extensions == 1
    response = client.post(f"/admin/forms/loan/{loan.pk}/extend/", {"due_date": day(10)})
    assert response.status_code == 200  # must be later than the current due date

    # return: available again
    response = client.post(
        f"/admin/forms/loan/{loan.pk}/return/",
        {"returned_on": day(0), "condition_back": "worn", "available": "1"},
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    device.refresh_from_db()
    assert loan.status == "returned" and loan.condition_back == "worn"
    assert device.status == S.READY and device.lent_to == ""
    assert device_log(device)[-3:] == ["lent", "returned", "ready"]
    # a device cannot be lent twice at once, and only a ready device is lent
    other = DeviceFactory(status=S.ALLOCATED, campaign=programme)
    response = create_loan(
        client,
        device=other.pk,
        prescription=prescription.pk,
        family_quotient="620",
        campaign=programme.pk,
    )
    assert response.status_code == 200 and Loan.objects.count() == 1


def test_return_can_retire_the_device(coordination_user, client, programme):
    device = DeviceFactory(status=S.READY, campaign=programme)
    client.force_login(coordination_user)
    create_loan(
        client,
        device=device.pk,
        borrower_kind="association",
        borrower_name="Les Bons Clics",
        campaign=programme.pk,
    )
    loan = Loan.objects.get()
    client.post(
        f"/admin/forms/loan/{loan.pk}/return/",
        {"returned_on": day(0), "condition_back": "broken", "available": "0"},
    )
    device.refresh_from_db()
    assert device.status == S.RECYCLED
    assert device_log(device)[-3:] == ["lent", "returned", "recycled"]


def test_association_loan_has_a_maintenance_log(client, coordination_user, programme):
    association = OrganisationFactory(name="Défis", is_refurbisher=False, is_prescriber=True)
    device = DeviceFactory(status=S.READY, campaign=programme)
    client.force_login(coordination_user)
    create_loan(
        client,
        device=device.pk,
        borrower_kind="association",
        association=association.pk,
        campaign=programme.pk,
    )
    loan = Loan.objects.get()
    response = client.post(
        f"/admin/forms/loan/{loan.pk}/maintenance/",
        {"done_on": day(0), "description": "Nettoyage, mises à jour, batterie changée"},
    )
    assert response.status_code == 302
    entry = MaintenanceEntry.objects.get()
    assert entry.loan == loan and entry.by == coordination_user
    html = client.get(f"/admin/forms/loan/edit/{loan.pk}/").content.decode()
    assert "batterie changée" in html
    household = Loan.objects.create(
        device=DeviceFactory(status=S.LENT, lent_to="x", campaign=programme),
        borrower_kind="household",
        prescription=PrescriptionFactory(campaign=programme),
        family_quotient=500,
    )
    assert client.get(f"/admin/forms/loan/{household.pk}/maintenance/").status_code in (302, 403)


def make_loan(site=None, due=None, email="asso@example.org", **fields):
    return Loan.objects.create(
        device=DeviceFactory(status=S.LENT, lent_to="Asso"),
        borrower_kind="association",
        borrower_name="Asso",
        borrower_email=email,
        site=site,
        start_date=TODAY - datetime.timedelta(days=100),
        due_date=due,
        **fields,
    )


def test_overdue_view_and_report(client, coordination_user, programme):
    late = make_loan(due=TODAY - datetime.timedelta(days=3))
    make_loan(due=TODAY + datetime.timedelta(days=30))
    make_loan(due=None)
    make_loan(due=TODAY - datetime.timedelta(days=30), status="returned")
    Loan.objects.update(campaign=programme)
    client.force_login(coordination_user)
    html = client.get("/admin/forms/loan/", {"overdue": "yes"}).content.decode()
    assert late.reference in html and html.count("PRET-") == 1
    loans = programme_report()["loans"]
    assert loans == {"loans": 4, "ongoing": 3, "returned": 1, "overdue": 1}


def test_reminders_before_and_after_the_due_date_once(django_capture_on_commit_callbacks):
    staff = UserFactory(username="med", groups=[MEDIATION], email="lieu@example.org")
    site = MediationSiteFactory(staff=[staff])
    soon = make_loan(site=site, due=TODAY + datetime.timedelta(days=5), email="a@example.org")
    late = make_loan(site=site, due=TODAY - datetime.timedelta(days=1), email="b@example.org")
    make_loan(site=site, due=TODAY + datetime.timedelta(days=40), email="c@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_loan_reminders")
    sent = {(tuple(m.to), m.subject) for m in mail.outbox}
    assert any(to == ("a@example.org",) and soon.reference in subject for to, subject in sent)
    assert any(to == ("b@example.org",) and late.reference in subject for to, subject in sent)
    assert any(to == ("lieu@example.org",) and late.reference in subject for to, subject in sent)
    assert len(mail.outbox) == 3
    body = next(m.body for m in mail.outbox if m.to == ["b@example.org"])
    assert late.device.inventory_code in body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_loan_reminders")
    assert len(mail.outbox) == 3  # once per due date


def test_site_staff_see_and_return_only_their_sites_loans(client):
    staff = UserFactory(username="med", groups=[MEDIATION])
    own = make_loan(site=MediationSiteFactory(staff=[staff]), due=TODAY)
    other = make_loan(site=MediationSiteFactory(), due=TODAY)
    client.force_login(staff)
    html = client.get("/admin/forms/loan/").content.decode()
    assert own.reference in html and other.reference not in html
    assert client.get(f"/admin/forms/loan/edit/{other.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/forms/loan/{other.pk}/return/").status_code in (302, 403)
    assert client.get(f"/admin/forms/loan/{own.pk}/return/").status_code == 200
    assert client.get("/admin/forms/loan/create/").status_code in (302, 403)
    assert Device.objects.filter(status=S.LENT).count() == 2
