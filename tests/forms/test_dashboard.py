"""The admin home as a site's staff and the coordinators start their day from it."""

import datetime
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from forms.enums import LotStatus
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.lot import Lot
from portal.roles import MEDIATION
from tests.factories import (
    HandoverSheetFactory,
    LoanFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    coordinated_campaign,
)

pytestmark = pytest.mark.django_db
S = Prescription.Status


@pytest.fixture
def staff():
    return UserFactory(username="maud", groups=[MEDIATION])


@pytest.fixture
def site(staff):
    return MediationSiteFactory(nom="Espace Nelson Mandela", staff=[staff])


def prescription(site, status=S.RECEIVED, days_ago=0, **kwargs):
    record = PrescriptionFactory(site=site, **kwargs)
    when = timezone.now() - timedelta(days=days_ago)
    Prescription.objects.filter(pk=record.pk).update(
        status=status, created_at=when, updated_at=when
    )
    record.refresh_from_db()
    return record


def lot(site, status, **kwargs):
    record = Lot.objects.create(site=site, size=kwargs.pop("size", 10), **kwargs)
    Lot.objects.filter(pk=record.pk).update(status=status, delivered_at=timezone.now())
    return record


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h3", start + 1)
    return html[start : end if end != -1 else None]


def test_site_staff_see_their_day_each_line_one_click_from_its_action(client, staff, site):
    other_site = MediationSiteFactory(nom="Ailleurs")
    recent = prescription(site, days_ago=2)
    oldest = prescription(site, days_ago=12)
    prescription(other_site, days_ago=30, reference="PRE-2026-99999")
    training = prescription(site, S.IN_TRAINING, days_ago=5)
    overdue = prescription(site, S.ACCEPTED, days_ago=45)
    handed = prescription(site, S.IN_TRAINING, days_ago=60)
    HandoverSheetFactory(site=site, prescription=handed)  # already reported
    expected = lot(site, LotStatus.DRAFT, size=8)
    received = lot(site, LotStatus.DELIVERED, size=5)
    lot(other_site, LotStatus.DRAFT)
    loan = HandoverSheetFactory(
        site=site,
        handover_kind="loan",
        handover_date=timezone.localdate() - timedelta(days=300),
        loan_end_date=timezone.localdate() + timedelta(days=10),
    )

    programme_loan = LoanFactory(
        site=site,
        start_date=timezone.localdate() - timedelta(days=100),
        due_date=timezone.localdate() - timedelta(days=3),
    )
    LoanFactory(site=other_site, due_date=timezone.localdate())

    html = dashboard(client, staff)
    assert "Espace Nelson Mandela" in html and "Ailleurs" not in html

    waiting = section(html, "dashboard-waiting")
    assert "2 fiches de prescription en attente" in waiting
    assert waiting.index(oldest.reference) < waiting.index(recent.reference)  # oldest first
    assert "12 jours" in waiting and "2 jours" in waiting
    assert "PRE-2026-99999" not in html
    assert f"/admin/forms/prescription/transition/{oldest.pk}/accepted/" in waiting
    assert f'href="{oldest.admin_url()}"' in waiting

    in_training = section(html, "dashboard-training")
    assert "2 personnes en formation" in in_training
    assert training.reference in in_training

    to_fill = section(html, "dashboard-to-fill")
    assert "2 fiches de remise à remplir, 1 en retard" in to_fill
    assert training.reference in to_fill and overdue.reference in to_fill
    assert handed.reference not in to_fill
    assert "/admin/forms/handoversheet/create/" in to_fill

    lots = section(html, "dashboard-lots")
    assert expected.reference in lots and "8 équipements attendus" in lots
    assert received.reference in lots and "5 équipements reçus le" in lots
    assert "/admin/forms/device/stock/" in lots

    loans = section(html, "dashboard-loans")
    assert loan.reference in loans and f'href="{loan.admin_url()}"' in loans
    assert programme_loan.reference in loans and f'href="{programme_loan.admin_url()}"' in loans
    assert loans.index(programme_loan.reference) < loans.index(loan.reference)  # soonest first
    assert "terminé le" in loans  # the programme loan is past its due date
    assert loans.count("<li>") == 2

    # One click: each link opens for the staff member.
    for url in (
        oldest.admin_url(),
        f"/admin/forms/prescription/transition/{oldest.pk}/accepted/",
        programme_loan.admin_url(),
    ):
        assert client.get(url).status_code == 200


def test_staff_with_nothing_to_do_are_told_so(client, staff, site):
    html = dashboard(client, staff)
    assert "Rien ne vous attend" in html


def test_coordinators_see_each_site_and_the_sites_reporting_late(client, coordination_user):
    campaign = coordinated_campaign(coordination_user)
    late = MediationSiteFactory(nom="Lieu en retard")
    busy = MediationSiteFactory(nom="Lieu très demandé")
    MediationSiteFactory(nom="Lieu tranquille")
    prescription(late, S.ACCEPTED, days_ago=50, campaign=campaign)
    for days in (3, 9, 1):
        prescription(busy, days_ago=days, campaign=campaign)
    lending = MediationSiteFactory(nom="Lieu qui prête")
    LoanFactory(site=lending, due_date=timezone.localdate(), campaign=campaign)
    # Another programme's sites and records are not the coordinator's.
    elsewhere = MediationSiteFactory(nom="Lieu d'un autre programme")
    prescription(elsewhere, S.ACCEPTED, days_ago=50, campaign=coordinated_campaign())

    html = dashboard(client, coordination_user)
    overview = html[html.index('id="site-dashboard-heading"') :]
    assert "Lieu tranquille" not in overview
    assert "Lieu d'un autre programme" not in html.replace("&#x27;", "'")
    late_part = section(html, "dashboard-late").split("</ul>")[0]
    assert "1 lieu est en retard" in late_part and "Lieu en retard" in late_part
    assert "Lieu très demandé" not in late_part
    row = overview[overview.index("Lieu très demandé") :]
    row = row[: row.index("</tr>")]
    assert ">3</a>" in row and "9 jours" in row
    row = overview[overview.index("Lieu qui prête") :]
    assert re.findall(r"<td>\s*(\d+)\s*</td>", row[: row.index("</tr>")])[-1] == "1"


def test_communication_staff_get_no_site_dashboard(client, communication_user):
    html = dashboard(client, communication_user)
    assert "site-dashboard" not in html


def test_dashboard_queries_do_not_grow_with_records(client, staff, site, coordination_user):
    campaign = coordinated_campaign(coordination_user)

    def fill(count):
        for index in range(count):
            prescription(site, days_ago=index, campaign=campaign)
            prescription(site, S.IN_TRAINING, days_ago=index, campaign=campaign)
            prescription(MediationSiteFactory(), S.ACCEPTED, days_ago=40 + index, campaign=campaign)
            lot(site, LotStatus.DRAFT, campaign=campaign)
            HandoverSheetFactory(
                site=site,
                handover_kind="loan",
                handover_date=datetime.date(2026, 1, 1),
                loan_end_date=timezone.localdate(),
                campaign=campaign,
            )
            LoanFactory(site=site, due_date=timezone.localdate(), campaign=campaign)

    def count_queries(user):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/").status_code == 200
        return len(queries)

    fill(2)
    few = {user.pk: count_queries(user) for user in (staff, coordination_user)}
    fill(25)
    # Long lists are cut and counted: at most one count per list (3 lists) more.
    many = {user.pk: count_queries(user) for user in (staff, coordination_user)}
    for user in (staff, coordination_user):
        assert many[user.pk] <= few[user.pk] + 3
    fill(25)
    for user in (staff, coordination_user):
        assert count_queries(user) == many[user.pk]
