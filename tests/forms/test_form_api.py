"""Partner front ends read a form's public definition through the read API."""

import pytest

from tests.forms.conftest import VALID_ANSWERS

pytestmark = pytest.mark.django_db


def test_form_page_in_the_api_with_its_steps(client, form_page):
    listing = client.get("/api/v2/pages/", {"type": "forms.FormPage", "fields": "kind"}).json()
    assert [item["kind"] for item in listing["items"]] == ["pledge"]
    data = client.get(f"/api/v2/pages/{form_page.pk}/").json()
    assert data["meta"]["type"] == "forms.FormPage"
    steps = data["form_definition"]
    assert [step["title"] for step in steps][:2] == ["Votre organisation", "Contact"]
    assert steps[3]["condition"] == {"field": "pickup_address_differs", "value": "yes"}
    kind_field = steps[0]["fields"][1]
    assert kind_field["name"] == "organisation_kind"
    assert kind_field["type"] == "single_choice"
    assert kind_field["required"] is True
    assert {"value": "company", "label": "Entreprise"} in kind_field["choices"]
    siret = steps[0]["fields"][2]
    assert (siret["type"], siret["label"], siret["required"]) == ("siret", "Numéro SIRET", False)
    extra = steps[4]["fields"][4]
    assert extra == {
        "name": "connu_par_autre",
        "type": "short_text",
        "label": "Précisez",
        "help_text": "",
        "required": True,
        "core": False,
        "condition": {"field": "connu_par", "value": "autre"},
    }
    consent = steps[4]["fields"][5]
    assert consent["type"] == "consent" and consent["text"] == "J'accepte les conditions du don."
    # Nothing about submissions or staff.
    assert "notify_emails" not in data and "acknowledgement_text" not in data


def test_draft_form_pages_are_not_in_the_api(client, form_page):
    form_page.unpublish()
    assert client.get(f"/api/v2/pages/{form_page.pk}/").status_code == 404


@pytest.mark.parametrize("step", ["etape-1", "etape-2", "etape-3", "etape-5"])
def test_each_step_uses_a_bounded_number_of_queries(walk, step, django_assert_max_num_queries):
    steps = ["etape-1", "etape-2", "etape-3", "etape-5"]
    walk.fill(
        steps=tuple(steps[: steps.index(step)]) or ("etape-1",)
    ) if step != "etape-1" else walk.get("etape-1")
    # Page routing (one query per URL segment), session, settings: never per answer or per record.
    with django_assert_max_num_queries(18):
        walk.get(step)
    with django_assert_max_num_queries(20):
        walk.post(step, VALID_ANSWERS[step])


def test_final_submission_uses_a_bounded_number_of_queries(walk, django_assert_max_num_queries):
    walk.fill()
    with django_assert_max_num_queries(40):
        walk.post("verification")
