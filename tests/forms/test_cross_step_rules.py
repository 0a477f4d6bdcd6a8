"""A rule that links two fields holds when the fields sit on different steps."""

import pytest

from forms.kinds.prescription.models import Prescription
from tests.factories import FormPageFactory, criteria_for, prescription_steps
from tests.forms.conftest import Walk
from tests.forms.test_prescription_walk import answers, sites  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def split_form(campaign):
    """The person's phone on step 2, their email on a step of its own."""
    criteria_for(campaign)  # each campaign orders its own criteria
    steps = prescription_steps()
    person = steps[1][1]["fields"]
    email = next(item for item in person if item[1]["core"] == "prescription:beneficiary_email")
    person.remove(email)
    steps.insert(2, ("step", {"title": "Courriel de la personne", "fields": [email]}))
    return FormPageFactory(
        parent=campaign, slug="prescription", kind="prescription", steps=steps, notify_emails=""
    )


def walk(client, page, site_answers, phone="", email=""):
    person = dict(site_answers["etape-2"], beneficiary_phone=phone)
    person.pop("beneficiary_email", None)
    by_step = {
        "etape-1": site_answers["etape-1"],
        "etape-2": person,
        "etape-3": {"beneficiary_email": email},
        "etape-4": site_answers["etape-3"],
        "etape-5": site_answers["etape-4"],
        "etape-6": site_answers["etape-5"],
    }
    the_walk = Walk(client, page)
    the_walk.get("etape-1")
    for step, values in by_step.items():
        response = the_walk.post(step, values)
        assert response.status_code == 302, (step, response.content.decode()[:1500])
    return the_walk


def test_a_rule_broken_across_steps_is_reported_on_the_review_step(
    client,
    split_form,
    sites,  # noqa: F811
):
    the_walk = walk(client, split_form, answers(sites))
    response = the_walk.post("verification")
    assert response.status_code == 302 and response["Location"].endswith("/verification/")
    assert not Prescription.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "au moins un moyen de contacter la personne" in html
    # A link back to each step holding one of the two fields.
    assert f"{the_walk.url('etape-2')}?retour_verification=1" in html
    assert f"{the_walk.url('etape-3')}?retour_verification=1" in html
    assert "Modifier l’étape 3 « Courriel de la personne »" in html

    # The person fixes it on the step the link leads to, then sends.
    response = the_walk.post(
        "etape-3", {"beneficiary_email": "amina@example.org"}, retour_verification="1"
    )
    assert response.status_code == 302 and response["Location"].endswith("/verification/")
    assert "au moins un moyen" not in client.get(response["Location"]).content.decode()
    the_walk.post("verification")
    assert Prescription.objects.get().beneficiary_email == "amina@example.org"


def test_the_rule_is_met_by_the_field_of_either_step(client, split_form, sites):  # noqa: F811
    the_walk = walk(client, split_form, answers(sites), phone="06 12 34 56 78")
    the_walk.post("verification")
    assert Prescription.objects.get().beneficiary_phone == "0612345678"
