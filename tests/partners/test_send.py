"""A partner system sends a prescription: the wizard's checks, the same creation."""

import pytest

from forms.engine.models.outgoing_email import OutgoingEmail
from forms.engine.models.submission import Submission
from forms.kinds.prescription.models import Prescription
from forms.partners.keys import create_key
from forms.partners.models import PartnerPrescription
from tests.forms.test_cross_step_rules import split_form  # noqa: F401
from tests.partners.conftest import SEND_URL, body, send, status_url

pytestmark = pytest.mark.django_db


def test_a_valid_prescription_is_created_like_one_typed_in_the_form(client, partner, sites):
    key, token = partner
    response = send(client, token, body(sites))
    assert response.status_code == 201, response.content
    data = response.json()
    prescription = Prescription.objects.get()
    assert data == {
        "reference": prescription.reference,
        "status": "received",
        "status_url": f"http://testserver{status_url(prescription.reference)}",
    }
    assert prescription.reference.startswith("PRE-")
    assert prescription.beneficiary_first_name == "Amina"
    assert prescription.site == sites["dax"]
    assert prescription.household_children == 3
    assert prescription.campaign.slug == "mon-ordi"
    # Its origin is kept; the raw answers are stored as the wizard stores them.
    assert PartnerPrescription.objects.get().key == key
    submission = Submission.objects.get()
    assert submission.reference == prescription.reference
    assert {answer["name"] for answer in submission.answers} >= {"situation", "needs"}
    # The same emails as a prescription typed in the form are queued.
    assert OutgoingEmail.objects.exists()


def test_each_field_error_comes_back_in_french_under_its_technical_name(client, partner, sites):
    _key, token = partner
    response = send(
        client,
        token,
        body(sites, beneficiary_first_name="", postcode="ABCDE", needs=["nothing"], oops=1),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["beneficiary_first_name"] == ["Champ requis."]
    assert "postcode" in errors and "needs" in errors
    assert errors["oops"] == ["Ce champ ne fait pas partie du formulaire."]
    assert not Prescription.objects.exists()


def test_a_site_outside_the_campaign_territory_is_refused(client, partner, sites):
    _key, token = partner
    response = send(client, token, body(sites, site=sites["hidden"].pk))
    assert response.status_code == 400
    assert "site" in response.json()["errors"]


def test_a_key_of_one_campaign_may_not_send_to_another(client, partner, sites, other_campaign):
    _key, token = partner
    response = send(client, token, body(sites, campaign_slug="autre"))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Cette clé ne peut pas envoyer de prescriptions à cette campagne."
    }
    assert send(client, token, body(sites, campaign_slug="nowhere")).status_code == 403
    assert not Prescription.objects.exists()


def test_malformed_and_oversized_bodies_are_refused(client, partner, settings):
    _key, token = partner
    headers = {"Authorization": f"Bearer {token}"}
    broken = client.post(SEND_URL, data="{nope", content_type="application/json", headers=headers)
    assert broken.status_code == 400
    assert broken.json() == {"detail": "Le corps de la requête n’est pas du JSON valide."}
    a_list = client.post(SEND_URL, data="[1]", content_type="application/json", headers=headers)
    assert a_list.status_code == 400
    settings.PARTNER_API_MAX_BODY = 100
    big = send(client, token, {"campaign": "mon-ordi", "x": "y" * 200})
    assert big.status_code == 413
    no_campaign = send(client, token, {"x": 1})
    assert no_campaign.status_code == 400
    assert not Prescription.objects.exists()


def test_a_retried_request_with_the_same_idempotency_key_creates_nothing_new(
    client, partner, sites
):
    _key, token = partner
    first = send(client, token, body(sites), **{"Idempotency-Key": "dossier-42"})
    again = send(client, token, body(sites), **{"Idempotency-Key": "dossier-42"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Prescription.objects.count() == 1
    other = send(client, token, body(sites), **{"Idempotency-Key": "dossier-43"})
    assert other.json()["reference"] != first.json()["reference"]
    assert Prescription.objects.count() == 2


def test_a_rule_linking_two_steps_broken_through_the_api_names_both_fields(
    client,
    campaign,
    split_form,  # noqa: F811 - the person's email on a step of its own
    sites,
):
    _key, token = create_key("Logiciel", [campaign])
    response = send(client, token, body(sites, beneficiary_phone=""))
    assert response.status_code == 400
    errors = response.json()["errors"]
    for name in ("beneficiary_phone", "beneficiary_email"):
        assert any("au moins un moyen de contacter la personne" in m for m in errors[name])
    assert not Prescription.objects.exists()
    fixed = send(client, token, body(sites, beneficiary_phone="", beneficiary_email="a@b.fr"))
    assert fixed.status_code == 201
