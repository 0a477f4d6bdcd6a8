"""Notifications follow the programme: each event goes to the people of ITS campaign and
site who should act (the campaign's rules, set in its "Notifications" tab, else the
defaults); a free form's answers reach its coordinators and their admin home; the
allocation committee's decision changes the prescription's status, shows on the
prescriber's follow page and is emailed to the site's staff and the prescriber.

Two demo-like programmes: FACE Charente-Maritime and Landes, each with its own
coordinator, and the demo's all-programme coordinator listed on both."""

import datetime
import html
import re

import pytest
from django.core import mail
from django.utils import timezone

from content.enums import NotificationEvent as Event
from content.enums import NotificationRecipients as To
from content.models import CampaignNotificationRule
from forms.engine.models.form_page import FormPage
from forms.engine.recipients import audience
from forms.kinds.generic.models import FormAnswer
from forms.kinds.prescription.models import Prescription
from forms.logistics.services.loans import send_reminders
from portal.roles import COORDINATION, MEDIATION
from tests.factories import (
    FormPageFactory,
    LoanFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    coordinated_campaign,
)
from tests.forms.conftest import Walk
from tests.forms.test_form_builder import form_page_data
from tests.forms.test_generic_forms import LOAN_STEPS, walk_loan
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db
S = Prescription.Status
DONOR = "sophie@example.com"  # tests.forms.conftest.VALID_ANSWERS
PRESCRIBER = "julie@example.org"


@pytest.fixture
def national():
    """The demo's all-programme coordinator: listed on every campaign."""
    return UserFactory(username="coordination", groups=[COORDINATION])


@pytest.fixture
def face_coordinator():
    return UserFactory(username="coord-face17", groups=[COORDINATION])


@pytest.fixture
def landes_coordinator():
    return UserFactory(username="coord-landes", groups=[COORDINATION])


@pytest.fixture
def face(campaign_index, national, face_coordinator):
    return coordinated_campaign(
        national,
        face_coordinator,
        parent=campaign_index,
        title="Mon ordi est une chance",
        slug="face-17",
        territory="Charente-Maritime",
    )


@pytest.fixture
def landes(campaign_index, national, landes_coordinator):
    return coordinated_campaign(
        national,
        landes_coordinator,
        parent=campaign_index,
        title="Ordipin 40",
        slug="ordipin40",
        territory="Landes",
    )


@pytest.fixture
def site_staff():
    return UserFactory(username="maud", groups=[MEDIATION])


@pytest.fixture
def site(site_staff):
    return MediationSiteFactory(nom="Espace numérique de Rochefort", staff=[site_staff])


def addresses(*users):
    return sorted(user.email for user in users)


def staff_notices(donor=DONOR):
    return [message for message in mail.outbox if message.to != [donor]]


def give(client, form, capture):
    """A donor walks the pledge form to the end."""
    mail.outbox.clear()
    walk = Walk(client, form)
    walk.fill()
    with capture(execute=True):
        response = walk.post("verification")
    assert response.status_code == 302


def set_rules(client, campaign, rules):
    """An administrator sets the campaign's rules in its "Notifications" tab: the whole
    edit form posted, as a browser does, and published."""
    edit_url = f"/admin/pages/{campaign.pk}/edit/"
    page = client.get(edit_url)
    assert page.status_code == 200
    assert "Notifications" in page.content.decode()
    data = read_form(page.content.decode(), action_contains="/edit/").data()
    data = {name: value for name, value in data.items() if "__prefix__" not in name}
    data.setdefault("body-count", "0")
    data["notification_rules-TOTAL_FORMS"] = str(len(rules))
    for index, (event, recipients, email) in enumerate(rules):
        data.update(
            {
                f"notification_rules-{index}-event": event,
                f"notification_rules-{index}-recipients": recipients,
                f"notification_rules-{index}-email": email,
                f"notification_rules-{index}-ORDER": str(index + 1),
                f"notification_rules-{index}-id": "",
            }
        )
    data["action-publish"] = "publish"
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


# Pledges --------------------------------------------------------------------------------
def test_a_pledge_emails_its_own_programmes_coordinators_not_the_others(
    client, face, landes, national, face_coordinator, landes_coordinator,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    face_form = FormPageFactory(parent=face, notify_emails="")
    landes_form = FormPageFactory(parent=landes, notify_emails="")

    give(client, face_form, django_capture_on_commit_callbacks)
    (notice,) = staff_notices()
    assert notice.to == addresses(national, face_coordinator)
    assert landes_coordinator.email not in notice.to

    give(client, landes_form, django_capture_on_commit_callbacks)
    (notice,) = staff_notices()
    assert notice.to == addresses(landes_coordinator, national)


def test_a_campaigns_rules_set_in_its_notifications_tab_choose_who_is_told(
    client, superuser, face, landes, national, face_coordinator, landes_coordinator,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    face_form = FormPageFactory(parent=face, notify_emails="")
    landes_form = FormPageFactory(parent=landes, notify_emails="")
    client.force_login(superuser)
    set_rules(
        client,
        face,
        [
            (Event.PLEDGE, To.ADDRESS, face_coordinator.email),
            (Event.FORM_ANSWER, To.COORDINATORS, ""),
        ],
    )
    rules = CampaignNotificationRule.objects.filter(campaign=face)
    assert sorted(rules.values_list("event", "recipients", "email")) == [
        ("form_answer", "coordinators", ""),
        ("pledge", "address", face_coordinator.email),
    ]
    # The reloaded tab shows them.
    page = client.get(f"/admin/pages/{face.pk}/edit/").content.decode()
    assert face_coordinator.email in page
    client.logout()

    # A FACE pledge reaches FACE's own coordinator, not the all-programme one.
    give(client, face_form, django_capture_on_commit_callbacks)
    (notice,) = staff_notices()
    assert notice.to == [face_coordinator.email]
    # Landes has no rule: its coordinators, as before.
    give(client, landes_form, django_capture_on_commit_callbacks)
    (notice,) = staff_notices()
    assert notice.to == addresses(landes_coordinator, national)


def test_a_fixed_address_rule_needs_its_address(client, superuser, face):
    client.force_login(superuser)
    edit_url = f"/admin/pages/{face.pk}/edit/"
    data = read_form(client.get(edit_url).content.decode(), action_contains="/edit/").data()
    data = {name: value for name, value in data.items() if "__prefix__" not in name}
    data.setdefault("body-count", "0")
    data.update(
        {
            "notification_rules-TOTAL_FORMS": "1",
            "notification_rules-0-event": Event.PLEDGE,
            "notification_rules-0-recipients": To.ADDRESS,
            "notification_rules-0-email": "",
            "notification_rules-0-ORDER": "1",
            "notification_rules-0-id": "",
            "action-publish": "publish",
        }
    )
    response = client.post(edit_url, data)
    assert response.status_code == 200
    assert "Indiquez l'adresse à prévenir." in html.unescape(response.content.decode())
    assert not CampaignNotificationRule.objects.exists()


# Every other event: the campaign's and the site's people -------------------------------
def test_each_event_goes_to_its_campaigns_and_sites_people(
    face, landes, national, face_coordinator, landes_coordinator, site, site_staff
):
    bare_site = MediationSiteFactory(nom="Médiathèque de Saintes")  # no staff account
    # The defaults: who acts on each event.
    assert audience(Event.PLEDGE, face).staff == addresses(national, face_coordinator)
    assert audience(Event.FORM_ANSWER, landes).staff == addresses(landes_coordinator, national)
    assert audience(Event.PRESCRIPTION, face, site=site).staff == [site_staff.email]
    # A site without any account passes it to ITS campaign's coordinators.
    assert audience(Event.PRESCRIPTION, face, site=bare_site).staff == addresses(
        national, face_coordinator
    )
    decision = audience(Event.COMMITTEE_DECISION, face, site=site)
    assert (decision.staff, decision.prescriber) == ([site_staff.email], True)
    handover = audience(Event.HANDOVER, face, site=site)
    assert (handover.staff, handover.prescriber) == ([], True)
    assert audience(Event.LOAN_OVERDUE, face, site=site).staff == [site_staff.email]
    assert not audience(Event.LOAN_DUE, face, site=site)

    # FACE's own rules change FACE only.
    CampaignNotificationRule.objects.create(
        campaign=face, event=Event.HANDOVER, recipients=To.COORDINATORS
    )
    CampaignNotificationRule.objects.create(
        campaign=face,
        event=Event.PRESCRIPTION,
        recipients=To.ADDRESS,
        email="orienteur@face.example",
    )
    CampaignNotificationRule.objects.create(
        campaign=face, event=Event.PRESCRIPTION, recipients=To.SITE_STAFF
    )
    handover = audience(Event.HANDOVER, face, site=site)
    assert (handover.staff, handover.prescriber) == (addresses(national, face_coordinator), False)
    assert audience(Event.PRESCRIPTION, face, site=site).staff == sorted(
        ["orienteur@face.example", site_staff.email]
    )
    assert audience(Event.PRESCRIPTION, landes, site=site).staff == [site_staff.email]


def test_an_overdue_loan_follows_its_campaigns_rules(
    face, landes, national, face_coordinator, landes_coordinator, site, site_staff,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    today = timezone.localdate()
    face_loan = LoanFactory(campaign=face, site=site, due_date=today - datetime.timedelta(days=2))
    landes_loan = LoanFactory(
        campaign=landes, site=site, due_date=today - datetime.timedelta(days=2)
    )
    CampaignNotificationRule.objects.create(
        campaign=face, event=Event.LOAN_OVERDUE, recipients=To.COORDINATORS
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today) == (0, 2)
    staff = {
        message.subject.split()[-1]: message.to
        for message in mail.outbox
        if message.to != ["asso@example.org"]
    }
    assert staff == {
        face_loan.reference: addresses(national, face_coordinator),
        landes_loan.reference: [site_staff.email],
    }


# Free forms -----------------------------------------------------------------------------
def test_a_free_forms_answers_reach_its_coordinators_and_their_admin_home(
    client, face, landes, national, face_coordinator, landes_coordinator,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    # FACE's coordinator builds the form, with an address of their own to tell.
    client.force_login(face_coordinator)
    response = client.post(
        f"/admin/pages/add/forms/formpage/{face.pk}/",
        form_page_data(
            LOAN_STEPS,
            title="Demande de prêt",
            slug="pret",
            kind="generic",
            notify_emails="pret@face.example",
            **{"action-publish": "publish"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    form = FormPage.objects.get(slug="pret", live=True)
    walk = walk_loan(client, form, "Le Goff")
    with django_capture_on_commit_callbacks(execute=True):
        assert walk.post("verification").status_code == 302
    answer = FormAnswer.objects.get()
    (notice,) = staff_notices(donor="famille@example.org")
    assert notice.to == sorted([*addresses(national, face_coordinator), "pret@face.example"])
    assert answer.reference in notice.subject
    assert landes_coordinator.email not in notice.to

    # On FACE's coordinator's admin home, with a link to handle it.
    client.force_login(face_coordinator)
    home = html.unescape(client.get("/admin/").content.decode())
    assert "1 réponse à un formulaire libre à traiter" in home
    assert answer.reference in home and answer.admin_url() in home
    assert "Demande de prêt – Mon ordi est une chance" in home
    # Not on another programme's coordinator's home.
    client.force_login(landes_coordinator)
    home = client.get("/admin/").content.decode()
    assert answer.reference not in home and "formulaire libre à traiter" not in home
    # Handled, it leaves the home.
    answer.transition(FormAnswer.Status.DONE, by=face_coordinator)
    client.force_login(face_coordinator)
    assert answer.reference not in client.get("/admin/").content.decode()


# The allocation committee's decision ----------------------------------------------------
@pytest.fixture
def poitiers(campaign_index, national):
    coordinator = UserFactory(username="coord-poitiers", groups=[COORDINATION])
    campaign = coordinated_campaign(
        national,
        coordinator,
        parent=campaign_index,
        title="Ordinateurs solidaires Poitiers",
        slug="poitiers",
    )
    campaign.requires_committee = True
    campaign.save()
    campaign.coordinator = coordinator
    return campaign


def decide(client, campaign, prescription, decision, capture, reason=""):
    client.force_login(campaign.coordinator)
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(
            f"/admin/comite/{campaign.pk}/",
            {
                "prescriptions": [prescription.pk],
                "meeting_date": "2026-03-12",
                "decision": decision,
                "reason": reason,
            },
        )
    assert response.status_code == 302
    prescription.refresh_from_db()
    return sorted(mail.outbox, key=lambda message: message.to != [PRESCRIBER])


def follow_page(client, prescription):
    client.logout()
    text = html.unescape(client.get(prescription.follow_url()).content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def test_the_committees_acceptance_grants_the_prescription_and_is_emailed(
    client, poitiers, site, site_staff, national, django_capture_on_commit_callbacks
):
    prescription = PrescriptionFactory(campaign=poitiers, site=site, prescriber_email=PRESCRIBER)
    page = follow_page(client, prescription)
    assert "Décision du comité d'attribution (à venir)" in page

    to_prescriber, to_staff = decide(
        client, poitiers, prescription, "accepted", django_capture_on_commit_callbacks
    )
    # The visible status and its history.
    assert prescription.status == S.GRANTED
    assert prescription.get_status_display() == "Accordée par le comité"
    client.force_login(poitiers.coordinator)
    edit = html.unescape(client.get(prescription.admin_url()).content.decode())
    assert "Reçue → Accordée par le comité" in edit
    assert "Comité d'attribution du 12/03/2026 : Acceptée." in edit
    assert "Reçue → Reçue" not in edit

    # Emailed to the site's staff (admin link) and the prescriber (follow link) only.
    assert to_staff.to == [site_staff.email]
    assert to_staff.subject == (
        f"Prescription {prescription.reference} : décision du comité « Acceptée »"
    )
    assert (
        f"Le comité d'attribution du 12/03/2026 a statué sur la prescription "
        f"{prescription.reference} adressée à Espace numérique de Rochefort : Acceptée."
    ) in to_staff.body
    assert "Le lieu peut maintenant accepter la personne" in to_staff.body
    assert prescription.admin_url() in to_staff.body
    assert to_prescriber.to == [PRESCRIBER]
    assert "Le lieu va contacter la personne pour planifier sa formation" in to_prescriber.body
    assert prescription.follow_url() in to_prescriber.body
    for message in (to_staff, to_prescriber):
        assert prescription.beneficiary_last_name not in message.body
    assert national.email not in {address for message in mail.outbox for address in message.to}

    # The prescriber's follow page shows the committee's stage, done.
    page = follow_page(client, prescription)
    assert "Reçue par le lieu" in page
    assert "Accordée par le comité d'attribution le" in page
    assert "Acceptée : formation prévue (à venir)" in page
    assert "Décision du comité d'attribution" not in page

    # The site then accepts the person: the committee's stage stays done.
    prescription.transition(S.ACCEPTED, by=site_staff)
    assert "Accordée par le comité d'attribution le" in follow_page(client, prescription)


def test_the_waiting_list_then_a_later_acceptance(
    client, poitiers, site, site_staff, django_capture_on_commit_callbacks
):
    prescription = PrescriptionFactory(campaign=poitiers, site=site, prescriber_email=PRESCRIBER)
    to_prescriber, to_staff = decide(
        client, poitiers, prescription, "waiting_list", django_capture_on_commit_callbacks
    )
    assert prescription.status == S.WAITING_LIST
    assert "le comité l'examinera de nouveau lors d'une prochaine réunion" in to_prescriber.body
    assert "reste sur liste d'attente" in to_staff.body
    assert "Sur liste d'attente du comité d'attribution" in follow_page(client, prescription)

    decide(client, poitiers, prescription, "accepted", django_capture_on_commit_callbacks)
    assert prescription.status == S.GRANTED
    changes = list(prescription.status_changes.values_list("from_status", "to_status"))
    assert changes[-2:] == [(S.RECEIVED, S.WAITING_LIST), (S.WAITING_LIST, S.GRANTED)]


def test_the_committees_refusal_closes_and_says_so(
    client, poitiers, site, site_staff, django_capture_on_commit_callbacks
):
    prescription = PrescriptionFactory(campaign=poitiers, site=site, prescriber_email=PRESCRIBER)
    to_prescriber, to_staff = decide(
        client,
        poitiers,
        prescription,
        "refused",
        django_capture_on_commit_callbacks,
        reason="Foyer déjà équipé",
    )
    assert (prescription.status, prescription.refusal_reason) == (S.REFUSED, "not_eligible")
    assert len(mail.outbox) == 2  # not the generic status email as well
    assert "la personne ne remplit pas les critères du programme" in to_prescriber.body
    assert "Foyer déjà équipé" not in to_prescriber.body + to_staff.body
    assert "Close : non retenue par le comité d'attribution" in follow_page(client, prescription)


def test_a_campaigns_rules_may_tell_its_coordinators_of_the_committees_decisions(
    client, poitiers, site, site_staff, national, django_capture_on_commit_callbacks
):
    CampaignNotificationRule.objects.create(
        campaign=poitiers, event=Event.COMMITTEE_DECISION, recipients=To.COORDINATORS
    )
    prescription = PrescriptionFactory(campaign=poitiers, site=site, prescriber_email=PRESCRIBER)
    (notice,) = decide(
        client, poitiers, prescription, "accepted", django_capture_on_commit_callbacks
    )
    assert notice.to == addresses(poitiers.coordinator, national)


def test_only_the_committee_grants_and_its_decision_edited_on_the_record_counts_too(
    client, poitiers, site, site_staff, django_capture_on_commit_callbacks
):
    prescription = PrescriptionFactory(campaign=poitiers, site=site, prescriber_email=PRESCRIBER)
    # Site staff cannot mark a prescription granted by hand.
    client.force_login(site_staff)
    granted_url = f"/admin/forms/prescription/transition/{prescription.pk}/granted/"
    client.post(granted_url, {"note": ""})
    prescription.refresh_from_db()
    assert prescription.status == S.RECEIVED
    edit = html.unescape(client.get(prescription.admin_url()).content.decode())
    assert "Passer à « Accordée par le comité »" not in edit

    # The campaign's coordinator records the decision on the record's edit form.
    client.force_login(poitiers.coordinator)
    url = prescription.admin_url()
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    data.update(committee_decision="accepted", committee_meeting_date="2026-03-12")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    prescription.refresh_from_db()
    assert prescription.status == S.GRANTED
    assert sorted(message.to for message in mail.outbox) == [[PRESCRIBER], [site_staff.email]]
