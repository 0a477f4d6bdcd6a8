"""Double submission, refresh, back-then-resubmit, two tabs, expired sessions, robots."""

import pytest
from django.test import override_settings

from forms.engine.models.submission import Submission
from forms.kinds.pledge.models import DonorPledge
from tests.forms.conftest import VALID_ANSWERS, Walk

pytestmark = pytest.mark.django_db


def test_double_click_refresh_and_back_then_resubmit_make_one_record(walk):
    walk.fill()
    first = walk.post("verification")
    second = walk.post("verification")  # double click, or back then send again
    assert first["Location"] == second["Location"] == walk.thanks_url
    assert walk.client.get(walk.thanks_url).status_code == 200  # refresh after submit
    assert walk.get("etape-1")["Location"] == walk.thanks_url  # back in history
    assert walk.post("etape-5", VALID_ANSWERS["etape-5"])["Location"] == walk.thanks_url
    assert DonorPledge.objects.count() == 1
    assert Submission.objects.count() == 1


def test_two_tabs_do_not_share_answers(client, form_page):
    tab_a, tab_b = Walk(client, form_page), Walk(client, form_page)
    tab_a.fill(steps=("etape-1",))
    answers_b = dict(VALID_ANSWERS["etape-1"], organisation_name="Mairie de Rochefort")
    tab_b.get("etape-1")
    tab_b.post("etape-1", answers_b)
    assert 'value="Atlantique Logistique"' in tab_a.get("etape-1").content.decode()
    assert 'value="Mairie de Rochefort"' in tab_b.get("etape-1").content.decode()
    for tab in (tab_a, tab_b):
        for step in ("etape-2", "etape-3", "etape-5"):
            tab.post(step, VALID_ANSWERS[step])
        tab.post("verification")
    assert sorted(DonorPledge.objects.values_list("organisation_name", flat=True)) == [
        "Atlantique Logistique",
        "Mairie de Rochefort",
    ]


def test_expired_session_gives_a_clear_message_and_no_record(walk):
    walk.fill()
    walk.client.session.flush()
    walk.client.cookies.clear()  # the session expired: the server no longer knows the answers
    response = walk.post("verification")
    assert response.status_code == 410
    html = response.content.decode()
    assert "Votre session a expiré" in html
    assert f'href="{walk.page.url}"' in html
    assert DonorPledge.objects.count() == 0
    assert walk.get("etape-3").status_code == 410


def test_unknown_or_malformed_walk_token(client, form_page):
    assert client.get(f"{form_page.url}not-a-token/etape-1/").status_code == 404
    response = client.get(f"{form_page.url}{'a' * 32}/etape-3/")
    assert response.status_code == 410
    assert client.get(f"{form_page.url}{'a' * 32}/merci/").status_code == 404


def test_the_done_address_never_submits_on_get(walk):
    walk.fill()
    response = walk.get("envoi")
    assert response.status_code == 302
    assert DonorPledge.objects.count() == 0


def test_honeypot_stops_robots(walk):
    walk.get("etape-1")
    response = walk.post(
        "etape-1", dict(VALID_ANSWERS["etape-1"], site_web_entreprise="http://spam")
    )
    assert response.status_code == 200
    assert "Vos réponses n&#x27;ont pas pu être envoyées." in response.content.decode()
    assert "Atlantique Logistique" not in walk.get("verification").content.decode()


@override_settings(FORM_RATE_LIMIT=(3, 600))
def test_rate_limit_on_posts(walk):
    walk.get("etape-1")
    for _ in range(3):
        assert walk.post("etape-1", {}).status_code == 200
    response = walk.post("etape-1", VALID_ANSWERS["etape-1"])
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    # Reading the form is never limited.
    assert walk.get("etape-1").status_code == 200


def test_a_form_that_cannot_work_is_not_served(client, campaign):
    from tests.factories import FormPageFactory

    page = FormPageFactory(parent=campaign, slug="vide", steps=[])
    response = client.get(page.url, follow=True)
    assert response.status_code == 503
    assert "Formulaire indisponible" in response.content.decode()
