"""Partner keys: created from the command line, stored hashed, shown once, revocable."""

from io import StringIO

import pytest
from django.core.management import call_command

from forms.partners.models import PartnerKey, hash_key
from tests.partners.conftest import SEND_URL

pytestmark = pytest.mark.django_db


def test_the_command_prints_the_key_alone_on_its_last_line_and_stores_only_its_hash(
    client, campaign, other_campaign
):
    out = StringIO()
    call_command(
        "create_partner_key",
        "France Travail",
        "--campaign",
        "mon-ordi",
        "--campaign",
        "autre",
        stdout=out,
    )
    token = out.getvalue().strip().splitlines()[-1]
    key = PartnerKey.objects.get()
    assert key.name == "France Travail"
    assert set(key.campaigns.values_list("slug", flat=True)) == {"mon-ordi", "autre"}
    assert token.startswith(key.prefix) and key.key_hash == hash_key(token)
    assert token not in {key.key_hash, key.prefix, key.webhook_secret}
    assert key.last_used_at is None

    response = client.get(SEND_URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_missing_wrong_or_revoked_key_is_refused(client, partner):
    key, token = partner
    assert client.get(SEND_URL).status_code == 401
    wrong = client.get(SEND_URL, headers={"Authorization": f"Bearer {token}x"})
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Clé de partenaire absente, inconnue ou révoquée."}
    key.revoke()
    assert client.get(SEND_URL, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_an_unknown_campaign_stops_the_command(campaign):
    with pytest.raises(Exception, match="nowhere"):
        call_command("create_partner_key", "X", "--campaign", "nowhere", stdout=StringIO())
    assert not PartnerKey.objects.exists()
