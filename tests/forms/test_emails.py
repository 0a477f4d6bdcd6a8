"""Every email leaves through the queue, after commit; a mail failure never costs a record."""

# The prescription walk's fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import socket

import pytest
from django.core import mail
from django.core.management import call_command

from forms.engine.models.outgoing_email import OutgoingEmail
from forms.kinds.prescription.models import Prescription
from portal.roles import COORDINATION
from tests.factories import UserFactory
from tests.forms.conftest import Walk
from tests.forms.test_prescription_walk import answers, prescription_form, sites  # noqa: F401

pytestmark = pytest.mark.django_db
STEPS = ("etape-1", "etape-2", "etape-3", "etape-4", "etape-5")


def closed_port():
    """A loopback port nobody listens on: a mail server that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def walk_to_the_end(client, form, site_answers, capture):
    walk = Walk(client, form)
    walk.fill(steps=STEPS, answers=site_answers)
    with capture(execute=True):
        response = walk.post("verification")
    return walk, response


def test_a_mail_server_failure_keeps_the_record_and_retries_later(
    client,
    prescription_form,
    sites,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    walk, response = walk_to_the_end(
        client, prescription_form, answers(sites), django_capture_on_commit_callbacks
    )
    # The person sees the thank-you page, not an error; the record is there.
    assert response.status_code == 302 and response["Location"] == walk.thanks_url
    prescription = Prescription.objects.get()
    thanks = client.get(walk.thanks_url)
    assert thanks.status_code == 200 and prescription.reference in thanks.content.decode()
    pending = list(OutgoingEmail.objects.pending())
    assert len(pending) == 2 and all(email.attempts == 1 for email in pending)
    assert {email.last_error for email in pending} == {"ConnectionRefusedError"}

    # The mail server is back: the next run of the retry command sends them.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_queued_emails", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OutgoingEmail.objects.pending().count() == 0
    assert sorted(tuple(message.to) for message in mail.outbox) == [
        ("julie@example.org",),
        ("mediatrice@example.org",),
    ]


def test_emails_wait_for_the_commit(client, prescription_form, sites):
    walk = Walk(client, prescription_form)
    walk.fill(steps=STEPS, answers=answers(sites))
    walk.post("verification")  # the test's transaction never commits
    assert Prescription.objects.count() == 1
    assert OutgoingEmail.objects.count() == 2 and mail.outbox == []


def test_a_site_without_staff_sends_the_prescription_to_the_coordinators(
    client,
    prescription_form,
    sites,
    django_capture_on_commit_callbacks,
):
    coordinator = UserFactory(
        username="coordinatrice", email="coord@example.org", groups=[COORDINATION]
    )
    coordinator.coordinated_campaigns.add(prescription_form.campaign)  # this programme's
    # A coordinator of another programme is not told of this one's prescriptions.
    UserFactory(username="ailleurs", email="ailleurs@example.org", groups=[COORDINATION])
    site_answers = answers(sites)
    site_answers["etape-4"] = {"site": str(sites["mont"].pk)}  # no staff account
    walk, _response = walk_to_the_end(
        client, prescription_form, site_answers, django_capture_on_commit_callbacks
    )
    ack, staff = sorted(mail.outbox, key=lambda message: message.to != ["julie@example.org"])
    assert staff.to == ["coord@example.org"]
    html = client.get(walk.thanks_url).content.decode()
    assert "n’utilise pas encore ce portail" in html and "coordination" in html
    assert "Espace Mont-de-Marsan" in html
    assert "coordination" in ack.body


def test_the_acknowledgement_never_carries_the_beneficiary(
    client,
    prescription_form,
    sites,
    django_capture_on_commit_callbacks,
):
    walk, _response = walk_to_the_end(
        client, prescription_form, answers(sites), django_capture_on_commit_callbacks
    )
    ack = next(message for message in mail.outbox if message.to == ["julie@example.org"])
    prescription = Prescription.objects.get()
    assert prescription.reference in ack.body and "Médiathèque de Dax" in ack.body
    for detail in ("Amina", "Diallo", "06 12 34 56 78", "0612345678"):
        assert detail not in ack.body
    html = client.get(walk.thanks_url).content.decode()
    assert "a reçu votre prescription et contactera la personne" in html


def test_sent_emails_are_forgotten_after_their_retention(settings):
    from datetime import timedelta

    from django.utils import timezone

    from forms.engine.notifications import purge_sent_emails

    old = timezone.now() - timedelta(days=settings.EMAIL_RETENTION_DAYS + 1)
    OutgoingEmail.objects.create(
        subject="a", body="b", to=["x@example.org"], created_at=old, sent_at=old
    )
    OutgoingEmail.objects.create(subject="a", body="b", to=["x@example.org"], created_at=old)
    recent = OutgoingEmail.objects.create(subject="a", body="b", to=["x@example.org"], sent_at=old)
    assert purge_sent_emails() == 1
    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {
        recent.pk,
        OutgoingEmail.objects.filter(sent_at__isnull=True).get().pk,
    }
