"""The read API serves each campaign's live key figures, the numbers its page shows."""

import pytest
from django.utils import timezone

from content.metrics import campaign_figures
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.prescription.models import Prescription
from tests.partners.conftest import body, send

pytestmark = pytest.mark.django_db


def test_the_campaign_in_the_read_api_carries_its_live_figures(client, partner, campaign, sites):
    _key, token = partner
    reference = send(client, token, body(sites)).json()["reference"]
    prescription = Prescription.objects.get(reference=reference)
    prescription.transition(Prescription.Status.ACCEPTED)
    prescription.transition(Prescription.Status.IN_TRAINING)
    sheet = HandoverSheet.objects.create(
        reference="REM-2026-00001",
        site=sites["dax"],
        handover_date=timezone.localdate(),
        device_code="OS-00001",
        prescription=prescription,
        no_resale_accepted=True,
        campaign=campaign,
    )
    sheet.apply_effects()

    data = client.get(f"/api/v2/pages/{campaign.pk}/").json()
    figures = {item["metric"]: item["value"] for item in data["live_figures"]}
    assert figures == campaign_figures(campaign)
    assert figures["handed_over_devices"] == 1
    labels = {item["metric"]: item["label"] for item in data["live_figures"]}
    assert labels["handed_over_devices"] == "Ordinateurs remis"
