"""A company walks the pledge form by its named URLs, from the first step to the thank-you page."""

import re

import pytest
from django.core import mail

from forms.engine.models.records import StatusLog
from forms.engine.models.submission import Submission
from forms.kinds.pledge.models import DonorPledge
from tests.forms.conftest import VALID_ANSWERS

pytestmark = pytest.mark.django_db


def test_start_gives_each_walk_its_own_address(client, form_page):
    first = client.get(form_page.url)["Location"]
    second = client.get(form_page.url)["Location"]
    assert re.fullmatch(r"/campagnes/mon-ordi/don/[0-9a-f]{32}/etape-1/", first)
    assert first != second


def test_first_step_shows_progress_and_no_store(walk):
    response = walk.get("etape-1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Étape 1 sur 5" in html
    assert "<h1>Votre organisation</h1>" in html
    assert "no-store" in response["Cache-Control"]


def test_errors_are_in_french_next_to_fields_and_summarised(walk):
    walk.get("etape-1")
    response = walk.post("etape-1", {"organisation_name": "", "siret": "12345678901234"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert 'href="#id_etape-1-organisation_name"' in html
    assert "Champ requis." in html
    assert "Ce numéro SIRET n&#x27;est pas valide (clé de contrôle)" in html
    assert 'aria-invalid="true"' in html
    # Nothing typed is lost.
    assert 'value="12345678901234"' in html


def test_full_walk_review_and_submit(walk):
    response = walk.fill()
    assert response["Location"] == walk.url("verification")
    review = walk.get("verification").content.decode()
    assert "Vérifiez vos réponses" in review
    assert "Atlantique Logistique" in review
    assert "Chargeurs, Souris" in review
    assert "Adresse d&#x27;enlèvement" not in review  # the conditional step was skipped
    assert f'href="{walk.url("etape-2")}?retour_verification=1"' in review

    response = walk.post("verification")
    assert response.status_code == 302
    assert response["Location"] == walk.thanks_url
    thanks = walk.client.get(walk.thanks_url).content.decode()
    pledge = DonorPledge.objects.get()
    assert re.fullmatch(r"DON-\d{4}-00001", pledge.reference)
    assert pledge.reference in thanks
    assert "Merci beaucoup !" in thanks

    assert pledge.organisation_name == "Atlantique Logistique"
    assert pledge.siret == "73282932000074"
    assert pledge.contact_phone == "0546123456"
    assert pledge.laptops == 25
    assert pledge.accessories == ["chargers", "mice"]
    assert pledge.pickup_address_differs is False
    assert pledge.terms_accepted is True
    assert pledge.terms_text == "J'accepte les conditions du don."
    assert pledge.campaign.title == "Mon ordi est une chance"
    assert pledge.extra_answers == {
        "connu_par": {
            "label": "Comment nous avez-vous connus ?",
            "value": "Presse",
            "display": "Presse",
        }
    }
    assert pledge.status == "new"
    assert StatusLog.objects.get().to_status == "new"

    submission = Submission.objects.get()
    assert submission.reference == pledge.reference
    assert submission.revision == walk.page.live_revision
    assert submission.record == pledge
    assert {
        "name": "organisation_name",
        "label": "Nom de l'organisation",
        "stored": "Atlantique Logistique",
        "display": "Atlantique Logistique",
        "core": True,
        "step": "etape-1",
        "consent_text": "",
    } in submission.answers


def test_acknowledgement_and_staff_emails(walk, django_capture_on_commit_callbacks):
    walk.fill()
    with django_capture_on_commit_callbacks(execute=True):
        walk.post("verification")
    assert len(mail.outbox) == 2
    ack, staff = mail.outbox
    reference = DonorPledge.objects.get().reference
    assert ack.to == ["sophie@example.com"]
    assert reference in ack.subject
    assert "Merci pour votre promesse." in ack.body
    assert "- Nom de l'organisation : Atlantique Logistique" in ack.body
    assert "- Comment nous avez-vous connus ? : Presse" in ack.body
    assert staff.to == ["equipe@example.org"]
    assert reference in staff.body
    assert "/admin/forms/donorpledge/edit/" in staff.body
    assert "Sophie" not in staff.body and "sophie@example.com" not in staff.body


def test_conditional_step_is_shown_and_required_when_the_answer_says_so(walk):
    answers = {
        **VALID_ANSWERS,
        "etape-3": {**VALID_ANSWERS["etape-3"], "pickup_address_differs": "yes"},
    }
    walk.fill(steps=("etape-1", "etape-2", "etape-3"), answers=answers)
    page = walk.get("etape-4").content.decode()
    assert "Étape 4 sur 6" in page
    response = walk.post("etape-4", {"pickup_address": "", "pickup_city": ""})
    assert "Champ requis." in response.content.decode()
    walk.post("etape-4", {"pickup_address": "Entrepôt 4", "pickup_city": "Périgny"})
    walk.post("etape-5", VALID_ANSWERS["etape-5"])
    walk.post("verification")
    pledge = DonorPledge.objects.get()
    assert (pledge.pickup_address, pledge.pickup_city) == ("Entrepôt 4", "Périgny")


def test_hidden_step_is_enforced_on_the_server(walk):
    walk.fill(steps=("etape-1", "etape-2", "etape-3"))
    # The client posts the hidden step anyway: it is not part of the walk.
    response = walk.post("etape-4", {"pickup_address": "Ailleurs", "pickup_city": "Pirate"})
    assert response.status_code in (200, 302)
    walk.post("etape-5", VALID_ANSWERS["etape-5"])
    walk.post("verification")
    pledge = DonorPledge.objects.get()
    assert pledge.pickup_address == "" and pledge.pickup_city == ""


def test_conditional_field_in_the_same_step(walk):
    walk.fill(steps=("etape-1", "etape-2", "etape-3"))
    step5 = dict(VALID_ANSWERS["etape-5"], connu_par="Autre", connu_par_autre="")
    response = walk.post("etape-5", step5)
    assert "Champ requis." in response.content.decode()
    # When the condition does not hold, a posted value is discarded.
    step5 = dict(VALID_ANSWERS["etape-5"], connu_par="Presse", connu_par_autre="<script>x</script>")
    walk.post("etape-5", step5)
    walk.post("verification")
    assert "connu_par_autre" not in DonorPledge.objects.get().extra_answers


def test_previous_keeps_what_was_typed_and_refresh_keeps_data(walk):
    walk.fill(steps=("etape-1",))
    response = walk.post(
        "etape-2",
        {"contact_name": "Sophie", "contact_email": "pas-un-email"},
        wizard_goto_step="etape-1",
    )
    assert response["Location"] == walk.url("etape-1")
    assert 'value="Atlantique Logistique"' in walk.get("etape-1").content.decode()
    page = walk.get("etape-2").content.decode()  # browser back/forward, or refresh
    assert 'value="Sophie"' in page and 'value="pas-un-email"' in page


def test_review_edit_link_returns_to_review(walk):
    walk.fill()
    edit = walk.get("etape-2", retour_verification="1").content.decode()
    assert 'name="retour_verification"' in edit
    response = walk.post(
        "etape-2",
        dict(VALID_ANSWERS["etape-2"], contact_name="Léa Dubois"),
        retour_verification="1",
    )
    assert response["Location"] == walk.url("verification")
    assert "Léa Dubois" in walk.get("verification").content.decode()
    walk.post("verification")
    assert DonorPledge.objects.get().contact_name == "Léa Dubois"


def test_html_in_answers_is_escaped_everywhere(walk):
    answers = {
        **VALID_ANSWERS,
        "etape-1": dict(VALID_ANSWERS["etape-1"], organisation_name="<b>Evil</b><script>"),
    }
    walk.fill(answers=answers)
    review = walk.get("verification").content.decode()
    assert "<script>" not in review and "&lt;b&gt;Evil&lt;/b&gt;&lt;script&gt;" in review
    walk.post("verification")
    assert DonorPledge.objects.get().organisation_name == "<b>Evil</b><script>"
