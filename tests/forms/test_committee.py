"""A campaign's allocation committee: the waiting prescriptions ranked by the campaign's
criteria, decisions of a meeting recorded at once, and the acceptance that lets the
site accept the person and hand the computer over."""

import datetime
import html
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from forms.engine.kinds import get_kind
from forms.engine.models.records import StatusLog
from forms.engine.submission import RecordInvalid, create_record
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.prescription.models import Prescription, PriorityCriterion
from portal.roles import COORDINATION, MEDIATION
from tests.factories import (
    CampaignPageFactory,
    DeviceFactory,
    FormPageFactory,
    HandoverSheetFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    coordinated_campaign,
    handover_steps,
)
from tests.forms.conftest import Walk
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db
S = Prescription.Status
COMMITTEE = "Comité d'attribution"


@pytest.fixture
def coordinator():
    return UserFactory(username="claire", groups=[COORDINATION])


@pytest.fixture
def committee_campaign(campaign_index, coordinator):
    campaign = CampaignPageFactory(
        parent=campaign_index, title="Ordinateurs solidaires", slug="poitiers"
    )
    campaign.requires_committee = True
    campaign.coordinators.set([coordinator])
    campaign.save()
    return campaign


@pytest.fixture
def criteria(committee_campaign):
    """The campaign's own ordered criteria (Poitiers' steering committee)."""
    labels = ["Famille avec enfants sans ordinateur", "Demandeur d'emploi", "Étudiant"]
    return [
        PriorityCriterion.objects.create(campaign=committee_campaign, order=order, label=label)
        for order, label in enumerate(labels, start=1)
    ]


@pytest.fixture
def staff():
    return UserFactory(username="maud", groups=[MEDIATION])


@pytest.fixture
def site(staff):
    return MediationSiteFactory(nom="Espace Poitiers Couronneries", staff=[staff])


def waiting(campaign, site, **fields):
    return PrescriptionFactory(campaign=campaign, site=site, **fields)


def url_of(campaign):
    return f"/admin/comite/{campaign.pk}/"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def menu_labels(client):
    """The labels of the admin's sidebar menu (JSON props, as the sidebar reads them)."""
    page = client.get("/admin/").content.decode()
    props = re.search(
        r'id="wagtail-sidebar-props" type="application/json">(.*?)</script>', page, re.S
    )
    labels = re.findall(r'"label": "((?:[^"\\]|\\.)*)"', props.group(1))
    return [json.loads(f'"{label}"') for label in labels]


def page_text(response):
    return html.unescape(response.content.decode())


# The committee view ---------------------------------------------------------------
def test_waiting_prescriptions_are_ranked_by_the_campaigns_criteria_then_date(
    client, coordinator, committee_campaign, criteria, site, campaign
):
    now = timezone.now()
    student = waiting(
        committee_campaign, site, priority_criterion=criteria[2], created_at=now - timedelta(9)
    )
    family_new = waiting(committee_campaign, site, priority_criterion=criteria[0], created_at=now)
    family_old = waiting(
        committee_campaign,
        site,
        priority_criterion=criteria[0],
        created_at=now - timedelta(5),
        household_adults=2,
        household_children=3,
    )
    job_seeker = waiting(
        committee_campaign,
        site,
        priority_criterion=criteria[1],
        created_at=now - timedelta(1),
        committee_decision="waiting_list",
        committee_meeting_date=datetime.date(2026, 2, 3),
    )
    # Not waiting: decided, closed, or of another campaign.
    waiting(committee_campaign, site, priority_criterion=criteria[0], committee_decision="accepted")
    waiting(committee_campaign, site, priority_criterion=criteria[0], status=S.WITHDRAWN)
    waiting(campaign, site, priority_criterion=criteria[0])

    client.force_login(coordinator)
    response = client.get(url_of(committee_campaign))
    assert response.status_code == 200
    expected = [family_old, family_new, job_seeker, student]
    assert [row["prescription"] for row in response.context["rows"]] == expected
    assert [row["rank"] for row in response.context["rows"]] == [1, 2, 3, 4]
    text = page_text(response)
    assert COMMITTEE in text and "Ordinateurs solidaires" in text
    for header in ("Rang", "Référence", "Critère de priorité", "Lieu", "Foyer", "Reçue le"):
        assert f'<th scope="col">{header}' in text
    assert "2 adultes, 3 enfants" in text and "1 adulte, 0 enfant" in text
    assert "Famille avec enfants sans ordinateur" in text
    assert "Liste d’attente (03/02/2026)" in text
    # Every tick box has a label (RGAA).
    form = read_form(response.content.decode())
    assert not form.unlabelled()


def test_the_committee_page_queries_are_bounded(
    client, coordinator, committee_campaign, criteria, site, django_assert_max_num_queries
):
    for index in range(25):
        waiting(committee_campaign, site, priority_criterion=criteria[index % 3])
    client.force_login(coordinator)
    client.get(url_of(committee_campaign))
    with django_assert_max_num_queries(25):
        response = client.get(url_of(committee_campaign))
    assert len(response.context["rows"]) == 25


def test_only_the_campaigns_coordinators_reach_the_committee(
    client, coordinator, committee_campaign, staff, site
):
    other_coordinator = UserFactory(username="paul", groups=[COORDINATION])
    client.force_login(coordinator)
    assert COMMITTEE in menu_labels(client)
    # One campaign: the menu's page opens it directly.
    response = client.get("/admin/comite/")
    assert response.status_code == 302 and response["Location"] == url_of(committee_campaign)
    for user in (staff, other_coordinator):
        client.force_login(user)
        assert COMMITTEE not in menu_labels(client)
        for response in (
            client.get("/admin/comite/"),
            client.get(url_of(committee_campaign)),
            client.post(url_of(committee_campaign), {}),
        ):  # the admin sends those without permission back to its home
            assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_a_campaign_without_committee_has_no_committee_page(client, superuser, campaign):
    client.force_login(superuser)
    response = client.get(url_of(campaign))
    assert (response.status_code, response["Location"]) == (302, "/admin/")


# Recording decisions -----------------------------------------------------------------
def test_one_decision_for_several_prescriptions_of_a_meeting(
    client, coordinator, committee_campaign, criteria, site
):
    first, second, third = (
        waiting(committee_campaign, site, priority_criterion=criteria[0]) for _ in range(3)
    )
    client.force_login(coordinator)
    response = client.post(
        url_of(committee_campaign),
        {
            "prescriptions": [first.pk, second.pk],
            "meeting_date": "2026-03-12",
            "decision": "accepted",
            "reason": "",
        },
    )
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert message == (
        "Décision « Acceptée » du comité du 12/03/2026 enregistrée pour 2 prescriptions : "
        f"{first.reference}, {second.reference}."
    )
    for prescription in (first, second):
        prescription.refresh_from_db()
        assert prescription.committee_decision == "accepted"
        assert prescription.committee_meeting_date == datetime.date(2026, 3, 12)
        assert prescription.status == S.GRANTED  # the site accepts the person itself
        log = prescription.status_changes.last()
        assert (log.from_status, log.to_status) == (S.RECEIVED, S.GRANTED)
        assert (log.by, log.note) == (coordinator, "Comité d'attribution du 12/03/2026 : Acceptée.")
    third.refresh_from_db()
    assert third.committee_decision == "" and not third.status_changes.exists()
    # Decided prescriptions leave the list; the third still waits.
    rows = client.get(url_of(committee_campaign)).context["rows"]
    assert [row["prescription"] for row in rows] == [third]


def test_a_refusal_needs_a_reason_and_closes_the_prescription(
    client, coordinator, committee_campaign, criteria, site
):
    prescription = waiting(committee_campaign, site, priority_criterion=criteria[1])
    client.force_login(coordinator)
    data = {"prescriptions": [prescription.pk], "meeting_date": "2026-03-12", "decision": "refused"}
    response = client.post(url_of(committee_campaign), {**data, "reason": "  "})
    assert response.status_code == 200
    assert "Indiquez le motif du refus du comité." in page_text(response)
    assert "checked" in response.content.decode()  # the ticks are kept
    prescription.refresh_from_db()
    assert prescription.committee_decision == "" and prescription.status == S.RECEIVED

    response = client.post(
        url_of(committee_campaign), {**data, "reason": "Foyer déjà équipé par le CCAS"}
    )
    assert response.status_code == 302
    prescription.refresh_from_db()
    assert prescription.committee_decision == "refused"
    assert prescription.committee_reason == "Foyer déjà équipé par le CCAS"
    assert (prescription.status, prescription.refusal_reason) == (S.REFUSED, "not_eligible")
    assert prescription.closed_at is not None
    notes = list(prescription.status_changes.values_list("to_status", "note", "by"))
    decision = "Comité d'attribution du 12/03/2026 : Refusée."
    assert notes == [(S.REFUSED, decision, coordinator.pk)]
    assert not any("CCAS" in note for _status, note, _by in notes)  # the reason stays on the record


def test_the_waiting_list_keeps_the_prescription_waiting(
    client, coordinator, committee_campaign, criteria, site
):
    prescription = waiting(committee_campaign, site, priority_criterion=criteria[0])
    client.force_login(coordinator)
    client.post(
        url_of(committee_campaign),
        {
            "prescriptions": [prescription.pk],
            "meeting_date": "2026-03-12",
            "decision": "waiting_list",
        },
    )
    prescription.refresh_from_db()
    assert prescription.committee_decision == "waiting_list"
    assert prescription.status == S.WAITING_LIST
    response = client.get(url_of(committee_campaign))
    assert [row["prescription"] for row in response.context["rows"]] == [prescription]


def test_nothing_is_decided_without_a_ticked_prescription_or_a_date(
    client, coordinator, committee_campaign, criteria, site
):
    prescription = waiting(committee_campaign, site, priority_criterion=criteria[0])
    decided_elsewhere = waiting(committee_campaign, site, committee_decision="accepted")
    client.force_login(coordinator)
    response = client.post(url_of(committee_campaign), {"decision": "accepted"})
    assert response.status_code == 200
    assert "Cochez au moins une prescription." in page_text(response)
    # A prescription no longer waiting cannot be slipped in.
    response = client.post(
        url_of(committee_campaign),
        {
            "prescriptions": [decided_elsewhere.pk],
            "meeting_date": "2026-03-12",
            "decision": "refused",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    decided_elsewhere.refresh_from_db()
    assert decided_elsewhere.committee_decision == "accepted"
    prescription.refresh_from_db()
    assert prescription.committee_decision == ""


# The decision lets the site proceed --------------------------------------------------
def test_site_staff_accept_only_what_the_committee_accepted(
    client, staff, coordinator, committee_campaign, criteria, site
):
    prescription = waiting(committee_campaign, site, priority_criterion=criteria[0])
    client.force_login(staff)
    url = f"/admin/forms/prescription/transition/{prescription.pk}/accepted/"
    response = client.get(url)
    assert response.status_code == 302
    expected = (
        "Le comité d'attribution de la campagne « Ordinateurs solidaires » n'a pas accepté la "
        f"prescription {prescription.reference} (pas encore de décision) : le lieu ne peut pas "
        "encore l'accepter."
    )
    assert messages_of(response) == [expected]
    response = client.post(url, {"note": ""})
    assert messages_of(response)[-1] == expected
    prescription.refresh_from_db()
    assert prescription.status == S.RECEIVED

    client.force_login(coordinator)
    client.post(
        url_of(committee_campaign),
        {"prescriptions": [prescription.pk], "meeting_date": "2026-03-12", "decision": "accepted"},
    )
    client.force_login(staff)
    assert client.post(url, {"note": ""}).status_code == 302
    prescription.refresh_from_db()
    assert prescription.status == S.ACCEPTED


def test_a_campaign_without_committee_is_not_held_back(client, staff, campaign, site):
    prescription = PrescriptionFactory(campaign=campaign, site=site)
    client.force_login(staff)
    client.post(f"/admin/forms/prescription/transition/{prescription.pk}/accepted/", {"note": ""})
    prescription.refresh_from_db()
    assert prescription.status == S.ACCEPTED


HANDOVER_POST = {
    "handover_date": "2026-11-20",
    "device_code": "OS-00042",
    "handover_kind": "donation",
    "sex": "male",
    "age_class": "18_24",
    "social_status": "in_school",
    "prescriber_kind": "",
    "diagnostic_tool": "none",
    "training_sessions": "0",
    "training_hours": "0",
    "no_resale_accepted": "on",
}


def test_no_handover_sheet_without_the_committees_acceptance(
    client, staff, committee_campaign, criteria, site
):
    device = DeviceFactory(inventory_code="OS-00042", status="allocated", site=site)
    prescription = waiting(
        committee_campaign,
        site,
        priority_criterion=criteria[0],
        committee_decision="waiting_list",
        committee_meeting_date=datetime.date(2026, 3, 12),
    )
    client.force_login(staff)
    data = {**HANDOVER_POST, "site": site.pk, "prescription": prescription.pk}
    response = client.post("/admin/forms/handoversheet/create/", data)
    assert response.status_code == 200
    text = page_text(response)
    assert (
        f"Le comité d'attribution de la campagne « Ordinateurs solidaires » n'a pas accepté la "
        f"prescription {prescription.reference} (liste d’attente) : l'ordinateur ne peut pas "
        "être remis."
    ) in text
    assert not HandoverSheet.objects.exists()
    device.refresh_from_db()
    assert device.status == "allocated"

    prescription.committee_decision = "accepted"
    prescription.save()
    response = client.post("/admin/forms/handoversheet/create/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert HandoverSheet.objects.get().prescription == prescription


def test_the_handover_wizard_refuses_a_prescription_the_committee_refused(
    client, staff, committee_campaign, criteria, site
):
    DeviceFactory(inventory_code="OS-00042", status="allocated", site=site)
    prescription = waiting(
        committee_campaign,
        site,
        priority_criterion=criteria[0],
        committee_decision="refused",
        committee_reason="Hors critères",
        committee_meeting_date=datetime.date(2026, 3, 12),
    )
    handover_form = FormPageFactory(
        parent=committee_campaign,
        slug="remise",
        kind="handover",
        steps=handover_steps(),
        notify_emails="",
    )
    client.force_login(staff)
    walk = Walk(client, handover_form)
    walk.get("etape-1")
    response = walk.post(
        "etape-1",
        {
            "site": str(site.pk),
            "handover_date": "2026-11-20",
            "device_code": "OS-00042",
            "handover_kind": "donation",
            "prescription": prescription.reference,
        },
    )
    assert response.status_code == 200
    assert "n'a pas accepté la prescription" in page_text(response)
    assert "(refusée)" in page_text(response)


def test_the_creation_service_applies_the_committee_rule(committee_campaign, criteria, site):
    prescription = waiting(committee_campaign, site, priority_criterion=criteria[0])
    device = DeviceFactory(inventory_code="OS-00077", status="allocated", site=site)
    sheet = HandoverSheetFactory.build(
        site=site, device_code=device.inventory_code, prescription=prescription
    )
    with pytest.raises(RecordInvalid) as refused:
        create_record(sheet)
    ((message, fields),) = refused.value.problems
    assert fields == ("prescription",) and "comité d'attribution" in message


# The prescription's edit view ------------------------------------------------------------
def test_site_staff_read_the_decision_coordinators_edit_it(
    client, staff, coordinator, committee_campaign, criteria, site
):
    prescription = waiting(committee_campaign, site, priority_criterion=criteria[0])
    url = f"/admin/forms/prescription/edit/{prescription.pk}/"

    client.force_login(staff)
    page = client.get(url).content.decode()
    assert COMMITTEE in html.unescape(page)
    form = read_form(page, action_contains="/edit/")
    assert re.search(r'<select name="committee_decision"[^>]*disabled', page)  # shown, read-only
    data = form.data()
    data.update(
        committee_decision="accepted", committee_meeting_date="2026-03-12", commune="Poitiers"
    )
    assert client.post(url, data).status_code == 302
    prescription.refresh_from_db()
    assert prescription.commune == "Poitiers" and prescription.committee_decision == ""

    client.force_login(coordinator)
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    assert data["committee_decision"] == ""
    data.update(committee_decision="refused", committee_meeting_date="2026-03-12")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Indiquez le motif du refus du comité." in page_text(response)
    data["committee_reason"] = "Revenus au-dessus du plafond"
    assert client.post(url, data).status_code == 302
    prescription.refresh_from_db()
    assert prescription.committee_decision == "refused"
    assert (prescription.status, prescription.refusal_reason) == (S.REFUSED, "not_eligible")
    log = StatusLog.objects.filter(object_id=prescription.pk, to_status=S.RECEIVED).last()
    assert log.by == coordinator and "Décision du comité" in log.note  # labels, not values
    assert "Revenus" not in log.note


def test_the_committee_block_is_hidden_for_a_campaign_without_committee(
    client, coordination_user, campaign, site
):
    prescription = PrescriptionFactory(campaign=campaign, site=site)
    page = client_get(client, coordination_user, prescription)
    assert COMMITTEE not in page


def client_get(client, user, prescription):
    client.force_login(user)
    return html.unescape(
        client.get(f"/admin/forms/prescription/edit/{prescription.pk}/").content.decode()
    )


# New fields in the admin and the kinds -----------------------------------------------------
def test_aptic_cheques_round_trip_through_the_prescription_edit_form(
    client, coordination_user, site
):
    prescription = PrescriptionFactory(site=site, campaign=coordinated_campaign(coordination_user))
    client.force_login(coordination_user)
    url = f"/admin/forms/prescription/edit/{prescription.pk}/"
    page = client.get(url).content.decode()
    assert "valeur des chèques aptic (€)" in html.unescape(page).lower()
    data = read_form(page, action_contains="/edit/").data()
    data.update(aptic_cheques="3", aptic_cheques_value="60.00")
    assert client.post(url, data).status_code == 302
    prescription.refresh_from_db()
    assert (prescription.aptic_cheques, prescription.aptic_cheques_value) == (3, Decimal("60.00"))
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    assert (data["aptic_cheques"], data["aptic_cheques_value"]) == ("3", "60.00")


def test_ceremony_and_accompaniment_round_trip_through_the_handover_edit_form(
    client, coordination_user, site
):
    device = DeviceFactory(inventory_code="OS-00042", status="handed_over", site=site)
    sheet = HandoverSheetFactory(
        site=site,
        device=device,
        device_code=device.inventory_code,
        campaign=coordinated_campaign(coordination_user),
    )
    client.force_login(coordination_user)
    url = f"/admin/forms/handoversheet/edit/{sheet.pk}/"
    page = html.unescape(client.get(url).content.decode()).lower()
    assert "a assisté à la cérémonie de remise" in page and "accompagné par le lieu" in page
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    assert "ceremony_attended" not in data and "accompanied" not in data
    data.update(ceremony_attended="on", accompanied="on")
    assert client.post(url, data).status_code == 302
    sheet.refresh_from_db()
    assert sheet.ceremony_attended and sheet.accompanied
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    assert data["ceremony_attended"] == "on" and data["accompanied"] == "on"
    del data["accompanied"]
    assert client.post(url, data).status_code == 302
    sheet.refresh_from_db()
    assert sheet.ceremony_attended and not sheet.accompanied


def test_the_forms_may_ask_the_new_fields():
    assert {"ceremony_attended", "accompanied"} <= set(get_kind("handover").core_field_names())
    assert "aptic_cheques_value" in get_kind("prescription").core_field_names()
