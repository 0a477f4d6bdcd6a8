"""No token, verification code or personal data in the logs, and no
third-party avatar service in the admin."""

import logging

import pytest

from forms.kinds.pledge.models import DonorPledge
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.donor_link import DonorFollowUpLink
from tests.forms.conftest import VALID_ANSWERS

pytestmark = pytest.mark.django_db

PERSONAL = [
    value
    for step in VALID_ANSWERS.values()
    for value in step.values()
    if isinstance(value, str) and len(value) > 4
]


def test_logs_of_a_full_walk_and_a_revocation_hold_no_secret(
    walk, campaign, coordination_user, caplog
):
    coordination_user.coordinated_campaigns.add(campaign)  # the pledge's campaign
    caplog.set_level(logging.DEBUG)
    walk.fill()
    walk.post("verification")
    walk.client.get(walk.thanks_url)
    pledge = DonorPledge.objects.get()
    client = walk.client
    client.force_login(coordination_user)
    client.post(f"/admin/suivi-don/{pledge.pk}/envoyer/")
    link = DonorFollowUpLink.objects.get()
    client.post(f"/admin/suivi-don/lien/{link.pk}/revoquer/")
    client.logout()
    # The revoked link, a mistyped one and a wrong verification code are 404s, which
    # Django logs with their path.
    assert client.get(f"/suivi-don/{link.token}/").status_code == 404
    assert client.get(f"/suivi-don/{link.token}x/attestations/1/").status_code == 404
    assert client.get("/verification/SECRET-CODE-42/").status_code == 404
    assert client.get("/suivi/prescription/prescription-token-42/").status_code == 404
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "Not Found" in logged  # the 404s were logged…
    for secret in [link.token, "SECRET-CODE-42", "prescription-token-42", walk.token, *PERSONAL]:
        assert secret not in logged, secret  # …without the secret or the person's data
    assert "[masqué]" in logged


def test_prescription_follow_token_is_not_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    tokens = list(Prescription.objects.values_list("follow_token", flat=True))
    client.get("/suivi/prescription/unknown-token-123/")
    assert "unknown-token-123" not in caplog.text and not tokens


def test_the_admin_calls_no_avatar_service(client, coordination_user):
    client.force_login(coordination_user)
    for url in ("/admin/", "/admin/forms/donorpledge/", f"/admin/users/{coordination_user.pk}/"):
        html = client.get(url).content.decode().lower()
        assert "gravatar" not in html, url
