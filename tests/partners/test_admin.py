"""Coordinators manage their partners' keys in the admin."""

import re

import pytest
from django.contrib.messages import get_messages

from forms.kinds.prescription.models import Prescription
from forms.partners.keys import create_key
from forms.partners.models import PartnerKey, hash_key
from portal.roles import COORDINATION
from tests.factories import UserFactory, coordinated_campaign
from tests.partners.conftest import SEND_URL, body, send

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/forms/partnerkey/"


@pytest.fixture
def coordinator(campaign):
    user = UserFactory(username="claire", groups=[COORDINATION])
    user.coordinated_campaigns.add(campaign)
    return user


def test_a_coordinator_creates_a_key_shown_once_then_revokes_it(
    client, coordinator, campaign, other_campaign
):
    client.force_login(coordinator)
    form = client.get(f"{LIST_URL}create/").content.decode()
    assert "Mon ordi est une chance" in form and "Autre programme" not in form
    response = client.post(
        f"{LIST_URL}create/",
        {
            "name": "Logiciel du département",
            "campaigns": [campaign.pk],
            "contact_email": "",
            "callback_url": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    token = re.search(r"(osk_[\w-]+)", message).group(1)
    key = PartnerKey.objects.get()
    assert key.key_hash == hash_key(token) and key.created_by == coordinator
    assert token in client.get(response["Location"]).content.decode()  # the message, once
    edit = client.get(response["Location"]).content.decode()
    assert token not in edit and key.prefix in edit and "jamais" in edit
    assert client.get(SEND_URL, headers={"Authorization": f"Bearer {token}"}).status_code == 200

    response = client.post(
        response["Location"],
        {
            "name": key.name,
            "campaigns": [campaign.pk],
            "contact_email": "",
            "callback_url": "",
            "revoke": "on",
        },
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.is_revoked
    assert client.get(SEND_URL, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_callback_to_a_private_address_or_without_https_is_refused(client, coordinator, campaign):
    client.force_login(coordinator)
    for url, message in (
        ("http://partenaire.example.org/hook", "doit utiliser HTTPS"),
        ("https://127.0.0.1/hook", "pas à un réseau privé"),
        ("https://10.0.0.4/hook", "pas à un réseau privé"),
    ):
        response = client.post(
            f"{LIST_URL}create/",
            {"name": "X", "campaigns": [campaign.pk], "contact_email": "", "callback_url": url},
        )
        assert response.status_code == 200 and message in response.content.decode()
    assert not PartnerKey.objects.exists()


def test_a_coordinator_sees_only_keys_of_their_campaigns(client, coordinator, campaign):
    other = coordinated_campaign(parent=campaign.get_parent(), title="Autre", slug="autre2")

    mine, _ = create_key("Le mien", [campaign])
    theirs, _ = create_key("Le leur", [other])
    both, _ = create_key("Les deux", [campaign, other])
    client.force_login(coordinator)
    listing = client.get(LIST_URL).content.decode()
    assert "Le mien" in listing and "Le leur" not in listing and "Les deux" not in listing
    assert client.get(f"{LIST_URL}edit/{mine.pk}/").status_code == 200
    for key in (theirs, both):
        assert client.get(f"{LIST_URL}edit/{key.pk}/").status_code in (302, 403, 404)


def test_the_prescription_admin_shows_which_partner_sent_it(client, partner, sites):
    _key, token = partner
    reference = send(client, token, body(sites)).json()["reference"]
    prescription = Prescription.objects.get(reference=reference)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = client.get(f"/admin/forms/prescription/edit/{prescription.pk}/").content.decode()
    assert "Envoyée par l’API partenaires par Logiciel du département" in page
