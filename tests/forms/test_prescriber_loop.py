"""The prescriber follows their referral to the handover; the site reminds a no-show."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from forms.engine.models.records import StatusLog
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.prescription.models import Prescription
from portal.roles import MEDIATION
from tests.factories import MediationSiteFactory, PrescriptionFactory, UserFactory
from tests.forms.conftest import Walk
from tests.forms.test_prescription_walk import (  # noqa: F401 (fixtures)
    answers,
    prescription_form,
    sites,
)

pytestmark = pytest.mark.django_db
S = Prescription.Status


@pytest.fixture
def staff():
    return UserFactory(username="maud", groups=[MEDIATION])


@pytest.fixture
def site(staff):
    return MediationSiteFactory(
        nom="Espace Mont-de-Marsan", telephone="+33558000000", staff=[staff]
    )


def follow_path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_the_acknowledgement_carries_a_private_follow_link(
    client,
    prescription_form,  # noqa: F811
    sites,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    walk = Walk(client, prescription_form)
    walk.fill(steps=("etape-1", "etape-2", "etape-3", "etape-4", "etape-5"), answers=answers(sites))
    with django_capture_on_commit_callbacks(execute=True):
        walk.post("verification")
    prescription = Prescription.objects.get()
    ack = next(message for message in mail.outbox if message.to == ["julie@example.org"])
    link = re.search(r"http://testserver(/suivi/prescription/[^/\s]+/)", ack.body).group(1)
    assert link == prescription.follow_url()

    page = client.get(link)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    assert "noindex" in page["X-Robots-Tag"]
    html = page.content.decode()
    assert prescription.reference in html and "A." in html
    for personal in ("Amina", "Diallo", "0612345678", "06 12 34 56 78", "Julie"):
        assert personal not in html
    assert "Reçue par le lieu" in html and "Ordinateur remis" in html


def test_the_stages_up_to_the_handover_and_its_email(
    client, site, staff, django_capture_on_commit_callbacks
):
    prescription = PrescriptionFactory(site=site)
    with django_capture_on_commit_callbacks(execute=True):
        prescription.transition(S.ACCEPTED, by=staff)
        prescription.transition(S.IN_TRAINING, by=staff)
    html = client.get(prescription.follow_url()).content.decode()
    current = re.search(r'<li class="[^"]*--current" aria-current="step">\s*<strong>([^<]+)', html)
    assert current.group(1) == "En formation"
    assert "(à venir)" in html  # the handover is still to come

    mail.outbox.clear()
    sheet = HandoverSheet.objects.create(
        reference="REM-2026-00001",
        site=site,
        handover_date=timezone.localdate(),
        device_code="OS-00001",
        prescription=prescription,
        no_resale_accepted=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        sheet.apply_effects(by=staff)
    prescription.refresh_from_db()
    assert prescription.status == S.EQUIPPED
    (email,) = mail.outbox
    assert email.to == ["julie@example.org"]
    assert "ordinateur remis" in email.subject and prescription.reference in email.subject
    assert "a reçu son ordinateur" in email.body
    assert prescription.follow_absolute_url() in email.body
    assert prescription.beneficiary_last_name not in email.body and "Amina" not in email.body
    html = client.get(prescription.follow_url()).content.decode()
    assert "(à venir)" not in html and "Ordinateur remis" in html


def test_a_closed_prescription_shows_its_reason(client, site):
    prescription = PrescriptionFactory(site=site)
    prescription.transition(S.REFUSED, refusal_reason="unreachable")
    html = client.get(prescription.follow_url()).content.decode()
    assert "Clôturée : le lieu n&#x27;a pas pu accueillir la personne" in html
    assert "Injoignable" in html or "joindre" in html


def test_the_link_expires_after_closing_and_with_anonymisation(client, site, settings):
    settings.PRESCRIPTION_FOLLOW_DAYS = 90
    prescription = PrescriptionFactory(site=site)
    prescription.transition(S.WITHDRAWN)
    assert client.get(prescription.follow_url()).status_code == 200
    Prescription.objects.filter(pk=prescription.pk).update(
        closed_at=timezone.now() - timedelta(days=91)
    )
    prescription.refresh_from_db()
    expired = client.get(prescription.follow_url())
    assert expired.status_code == 404 and "n'est pas valide" in expired.content.decode()
    assert prescription.follow_absolute_url() == ""

    other = PrescriptionFactory(site=site)
    Prescription.objects.filter(pk=other.pk).update(anonymised_at=timezone.now())
    assert client.get(other.follow_url()).status_code == 404


def test_site_staff_revoke_the_link(client, site, staff):
    prescription = PrescriptionFactory(site=site)
    old_url = prescription.follow_url()
    client.force_login(staff)
    edit = client.get(prescription.admin_url()).content.decode()
    revoke_url = f"/admin/forms/prescription/{prescription.pk}/revoquer-lien/"
    assert revoke_url in edit
    assert client.get(revoke_url).status_code == 200
    response = client.post(revoke_url)
    assert response.status_code == 302
    prescription.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert client.get(prescription.follow_url()).status_code == 200
    assert StatusLog.objects.filter(note="Lien de suivi révoqué").exists()

    outsider = UserFactory(username="autre", groups=[MEDIATION])
    MediationSiteFactory(staff=[outsider])
    client.force_login(outsider)
    assert client.post(revoke_url).status_code in (302, 403)
    prescription.refresh_from_db()
    assert client.get(prescription.follow_url()).status_code == 200


def test_site_staff_remind_a_person_who_does_not_show_up(
    client, site, staff, django_capture_on_commit_callbacks
):
    waiting = PrescriptionFactory(site=site)
    client.force_login(staff)
    remind_url = f"/admin/forms/prescription/{waiting.pk}/relancer/"
    assert remind_url not in client.get(waiting.admin_url()).content.decode()
    client.post(remind_url)
    assert mail.outbox == []  # not before the site accepted the person

    expected = PrescriptionFactory(site=site, beneficiary_email="amina@example.org")
    Prescription.objects.filter(pk=expected.pk).update(status=S.ACCEPTED)
    remind_url = f"/admin/forms/prescription/{expected.pk}/relancer/"
    assert remind_url in client.get(expected.admin_url()).content.decode()
    assert "amina@example.org" in client.get(remind_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url, follow=True)
    assert "Une relance a été envoyée" in response.content.decode()
    (email,) = mail.outbox
    assert email.to == ["amina@example.org"]
    assert "Espace Mont-de-Marsan vous attend" in email.subject
    assert "12 rue Victor Hugo" in email.body and "+33558000000" in email.body
    assert StatusLog.objects.filter(note="Relance envoyée à la personne").count() == 1

    # Without the person's address, the prescriber is asked, with the reference only.
    mail.outbox.clear()
    no_email = PrescriptionFactory(site=site, beneficiary_email="")
    Prescription.objects.filter(pk=no_email.pk).update(status=S.IN_TRAINING)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/forms/prescription/{no_email.pk}/relancer/")
    (email,) = mail.outbox
    assert email.to == ["julie@example.org"] and no_email.reference in email.subject
    assert no_email.beneficiary_last_name not in email.body and "Amina" not in email.body
