"""Limits of the partners' API: per-key throttling, no personal data in the logs, and
the campaign's retention rules for what partners sent."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from forms.engine.models.submission import Submission
from forms.kinds.prescription.models import Prescription
from forms.partners.keys import create_key
from tests.partners.conftest import SEND_URL, body, send, status_url

pytestmark = pytest.mark.django_db


def test_each_key_is_throttled_on_its_own(client, partner, campaign, settings):
    settings.PARTNER_API_RATE_LIMIT = (3, 60)
    _key, token = partner
    _other, other_token = create_key("Autre", [campaign])
    headers = {"Authorization": f"Bearer {token}"}
    statuses = [client.get(SEND_URL, headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(SEND_URL, headers=headers)
    assert refused.json() == {"detail": "Trop de requêtes : réessayez plus tard."}
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another key is not held back by the first one's requests.
    assert (
        client.get(SEND_URL, headers={"Authorization": f"Bearer {other_token}"}).status_code == 200
    )


def test_no_personal_data_reaches_the_logs(client, partner, sites, caplog):
    _key, token = partner
    with caplog.at_level(logging.DEBUG):
        send(client, token, body(sites, postcode="ABCDE"))  # refused
        send(client, token, body(sites))  # created
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for personal in ("Amina", "Diallo", "06 12 34 56 78", "julie@example.org", token):
        assert personal not in logged


def test_what_a_partner_sent_keeps_the_campaigns_retention(client, partner, sites, settings):
    _key, token = partner
    reference = send(client, token, body(sites)).json()["reference"]
    prescription = Prescription.objects.get(reference=reference)
    prescription.transition(Prescription.Status.WITHDRAWN)
    Prescription.objects.filter(pk=prescription.pk).update(
        closed_at=timezone.now() - timedelta(days=settings.PRESCRIPTION_RETENTION_DAYS + 1)
    )
    call_command("purge_personal_data")
    prescription.refresh_from_db()
    assert prescription.anonymised_at is not None
    assert "Amina" not in str(Submission.objects.get(reference=reference).answers)
    # The partner still follows it: its stages, nothing about the person.
    follow = client.get(status_url(reference), headers={"Authorization": f"Bearer {token}"})
    assert follow.status_code == 200 and follow.json()["closed"]["status"] == "withdrawn"
