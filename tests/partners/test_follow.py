"""A partner follows its prescriptions: the follow page's stages, the listing of what
changed, and a signed webhook for each stage change."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from forms.kinds.handover.models import HandoverSheet
from forms.kinds.prescription.models import Prescription
from forms.partners.keys import create_key
from forms.partners.models import WebhookDelivery
from forms.partners.webhooks import retry_due_webhooks
from portal.roles import COORDINATION, MEDIATION
from tests.factories import UserFactory
from tests.partners.conftest import SEND_URL, body, send, status_url
from tests.partners.receiver import Receiver

pytestmark = pytest.mark.django_db
S = Prescription.Status


@pytest.fixture
def local_callbacks(settings):
    settings.PARTNER_WEBHOOK_REQUIRE_HTTPS = False
    settings.PARTNER_WEBHOOK_ALLOW_PRIVATE = True


def get(client, token, url, **params):
    return client.get(url, params, headers={"Authorization": f"Bearer {token}"})


def test_the_full_cycle_from_sending_to_the_handover(
    client, campaign, prescription_form, sites, local_callbacks, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(username="claire", groups=[COORDINATION])
    campaign.requires_committee = True
    campaign.coordinators.set([coordinator])
    campaign.save()
    staff = sites["dax"].staff.get()
    staff.groups.add(*type(staff.groups.model()).objects.filter(name=MEDIATION))
    with Receiver() as receiver:
        key, token = create_key("Logiciel du département", [campaign], callback_url=receiver.url)
        receiver.secret = key.webhook_secret
        started = timezone.now()

        created = send(client, token, body(sites))
        assert created.status_code == 201
        reference = created.json()["reference"]
        prescription = Prescription.objects.get(reference=reference)
        follow = get(client, token, status_url(reference)).json()
        assert follow["status"] == "received"
        assert [(s["status"], s["state"]) for s in follow["stages"]] == [
            ("received", "current"),
            ("granted", "upcoming"),
            ("accepted", "upcoming"),
            ("in_training", "upcoming"),
            ("equipped", "upcoming"),
        ]
        assert follow["stages"][1]["label"] == "Décision du comité d'attribution"
        assert "Amina" not in str(follow) and "Diallo" not in str(follow)

        # The committee accepts in the admin, then the site accepts and trains.
        with django_capture_on_commit_callbacks(execute=True):
            client.force_login(coordinator)
            decided = client.post(
                f"/admin/comite/{campaign.pk}/",
                {
                    "prescriptions": [prescription.pk],
                    "meeting_date": timezone.localdate().isoformat(),
                    "decision": "accepted",
                },
            )
            assert decided.status_code == 302
            client.force_login(staff)
            for status in (S.ACCEPTED, S.IN_TRAINING):
                url = f"/admin/forms/prescription/transition/{prescription.pk}/{status}/"
                assert client.post(url, {"note": ""}).status_code == 302
            client.logout()
        listed = get(client, token, SEND_URL, since=started.isoformat()).json()
        assert [p["reference"] for p in listed["prescriptions"]] == [reference]
        assert listed["prescriptions"][0]["status"] == "in_training"
        later = get(client, token, SEND_URL, since=timezone.now().isoformat()).json()
        assert later["prescriptions"] == []

        # The site hands the computer over.
        prescription.refresh_from_db()
        sheet = HandoverSheet.objects.create(
            reference="REM-2026-00001",
            site=sites["dax"],
            handover_date=timezone.localdate(),
            device_code="OS-00001",
            prescription=prescription,
            no_resale_accepted=True,
        )
        with django_capture_on_commit_callbacks(execute=True):
            sheet.apply_effects(by=staff)
        follow = get(client, token, status_url(reference)).json()
        assert follow["status"] == "equipped"
        assert all(stage["state"] == "done" for stage in follow["stages"])
        assert all(stage["at"] for stage in follow["stages"])

    assert receiver.bad_signatures == 0
    assert receiver.statuses() == ["granted", "accepted", "in_training", "equipped"]
    assert receiver.received[-1]["prescription"]["reference"] == reference
    assert receiver.received[-1]["prescription"]["status_url"].endswith(status_url(reference))
    assert receiver.received[-1]["prescription"]["status_url"].startswith("http")
    assert WebhookDelivery.objects.filter(state=WebhookDelivery.DELIVERED).count() == 4


def test_a_key_reads_only_the_prescriptions_it_sent(client, partner, campaign, sites):
    _key, token = partner
    reference = send(client, token, body(sites)).json()["reference"]
    _other, other_token = create_key("Autre logiciel", [campaign])
    assert get(client, other_token, status_url(reference)).status_code == 404
    assert get(client, other_token, SEND_URL).json()["prescriptions"] == []
    assert get(client, token, status_url(reference)).status_code == 200
    assert get(client, token, SEND_URL, since="hier").status_code == 400


def test_a_closed_prescription_says_why(client, partner, sites):
    _key, token = partner
    reference = send(client, token, body(sites)).json()["reference"]
    Prescription.objects.get(reference=reference).transition(
        S.REFUSED, refusal_reason="unreachable"
    )
    closed = get(client, token, status_url(reference)).json()["closed"]
    assert closed["status"] == "refused" and closed["reason"] and closed["at"]


def test_a_failing_receiver_is_retried_and_never_fails_the_staff_action(
    client, partner, sites, local_callbacks, django_capture_on_commit_callbacks
):
    key, token = partner
    reference = send(client, token, body(sites)).json()["reference"]
    with Receiver(fail_first=1) as receiver:
        key.callback_url = receiver.url
        key.save()
        receiver.secret = key.webhook_secret
        prescription = Prescription.objects.get(reference=reference)
        with django_capture_on_commit_callbacks(execute=True):
            prescription.transition(S.ACCEPTED)
        prescription.refresh_from_db()
        assert prescription.status == S.ACCEPTED
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempts, delivery.last_status_code) == (
            "pending",
            1,
            503,
        )
        assert delivery.next_attempt_at > timezone.now()
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        assert retry_due_webhooks() == 1
    assert receiver.statuses() == ["accepted"]


def test_the_cron_command_sends_a_due_delivery_once_and_skips_one_being_sent(
    client, partner, sites, local_callbacks, django_capture_on_commit_callbacks
):
    key, token = partner
    reference = send(client, token, body(sites)).json()["reference"]
    with Receiver(fail_first=1) as receiver:
        key.callback_url = receiver.url
        key.save()
        receiver.secret = key.webhook_secret
        with django_capture_on_commit_callbacks(execute=True):
            Prescription.objects.get(reference=reference).transition(S.ACCEPTED)
        assert WebhookDelivery.objects.get().state == WebhookDelivery.PENDING

        # Another sender holds it: its claim moved the next attempt past now.
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() + timedelta(seconds=20))
        out = StringIO()
        call_command("send_partner_webhooks", stdout=out)
        assert out.getvalue().startswith("0 ")

        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        call_command("send_partner_webhooks", stdout=out)
        call_command("send_partner_webhooks", stdout=out)
    assert receiver.statuses() == ["accepted"]
    assert WebhookDelivery.objects.get().state == WebhookDelivery.DELIVERED
