"""The one-year review: a questionnaire to the prescriber a year after a handover,
answered through a private link, shown on the handover sheet, kept anonymous."""

import datetime
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from forms.engine.models.outgoing_email import OutgoingEmail
from forms.kinds.handover.review import OneYearReview
from forms.kinds.handover.reviews import send_one_year_reviews
from forms.kinds.prescription.lifecycle import purge_personal_data
from forms.kinds.prescription.models import Prescription
from portal.roles import MEDIATION
from tests.factories import (
    HandoverSheetFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
)
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

HANDED_OVER = datetime.date(2025, 11, 2)
DUE = HANDED_OVER + timedelta(days=365)  # 2026-11-02
VALID = {"usage": "often", "purposes": ["procedures", "family"], "autonomy": "a_little"}
VALID = {**VALID, "further_help": "no", "comment": "Utilise l'ordinateur pour la CAF."}


@pytest.fixture
def staff():
    return UserFactory(username="maud", groups=[MEDIATION])


@pytest.fixture
def site(staff):
    return MediationSiteFactory(nom="Espace Mont-de-Marsan", staff=[staff])


def handover(site, prescription=True, **fields):
    if prescription is True:
        prescription = PrescriptionFactory(site=site, beneficiary_first_name="Amina")
    return HandoverSheetFactory(
        site=site, prescription=prescription or None, **{"handover_date": HANDED_OVER, **fields}
    )


def send(today, capture, *args):
    with capture(execute=True):
        call_command("send_one_year_reviews", "--today", today.isoformat(), *args)


def path_of(body):
    return re.search(r"http://testserver(/bilan/[^/\s]+/)", body).group(1)


@pytest.fixture
def review(site, django_capture_on_commit_callbacks):
    sheet = handover(site)
    send(DUE, django_capture_on_commit_callbacks)
    return OneYearReview.objects.get(handover=sheet)


# Sending -----------------------------------------------------------------------------


def test_the_command_sends_once_to_the_prescriber_of_each_due_handover(
    site, django_capture_on_commit_callbacks, capsys
):
    due = handover(site)
    not_yet = handover(site, handover_date=HANDED_OVER + timedelta(days=1))
    cancelled = handover(site, status="cancelled")
    no_prescription = handover(site, prescription=None)
    no_email = handover(site, prescription=PrescriptionFactory(site=site, prescriber_email=""))
    too_old = handover(site, handover_date=HANDED_OVER - timedelta(days=400))

    send(DUE, django_capture_on_commit_callbacks, "--dry-run")
    out = capsys.readouterr().out
    assert "1 review(s) would be sent, 2 handover(s) skipped" in out and due.reference in out
    assert not OneYearReview.objects.exists() and not mail.outbox

    send(DUE, django_capture_on_commit_callbacks)
    assert "1 review(s) sent, 2 handover(s) skipped" in capsys.readouterr().out
    review = OneYearReview.objects.get()
    assert review.handover == due and review.recipient_email == "julie@example.org"
    assert review.sent_at and not review.answered_at and len(review.token) >= 40
    assert [message.to for message in mail.outbox] == [["julie@example.org"]]

    # Run again (the next days too): never twice, and the next handover in its turn.
    send(DUE, django_capture_on_commit_callbacks)
    send(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    assert "1 review(s) sent, 2 handover(s) skipped" in capsys.readouterr().out.splitlines()[-1]
    assert len(mail.outbox) == 2
    assert set(OneYearReview.objects.values_list("handover", flat=True)) == {due.pk, not_yet.pk}
    for sheet in (cancelled, no_prescription, no_email, too_old):
        assert not OneYearReview.objects.filter(handover=sheet).exists()


@override_settings(ONE_YEAR_REVIEW_DAYS=180)
def test_the_delay_is_a_setting(site, django_capture_on_commit_callbacks):
    sheet = handover(site)
    assert send_one_year_reviews(today=HANDED_OVER + timedelta(days=179)).sent == []
    with django_capture_on_commit_callbacks(execute=True):
        run = send_one_year_reviews(today=HANDED_OVER + timedelta(days=180))
    assert run.sent == [sheet.reference] and len(mail.outbox) == 1


def test_the_email_has_the_link_and_no_beneficiary_detail(site, review):
    message = mail.outbox[0]
    prescription = review.handover.prescription
    assert review.handover.reference in message.subject
    assert path_of(message.body) == f"/bilan/{review.token}/"
    assert prescription.reference in message.body and "Espace Mont-de-Marsan" in message.body
    assert "Bilan à un an" in message.subject and "en novembre 2025" in message.body
    for personal in ("Amina", prescription.beneficiary_last_name, "0612345678", "Dax"):
        assert personal not in message.subject + message.body
    assert OutgoingEmail.objects.get().reason == "one_year_review"


# Answering ---------------------------------------------------------------------------


def test_the_questionnaire_answered_through_its_link(client, review):
    url = path_of(mail.outbox[0].body)
    page = client.get(url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "noindex" in page["X-Robots-Tag"]
    html = page.content.decode()
    assert review.handover.reference in html and "Amina" not in html
    assert "Bilan à un an" in html and "<legend" in html and "Ne sait pas" not in html
    assert "Je ne sais pas" in html and "Démarches administratives" in html
    form = read_form(html, action_contains="")
    assert not form.unlabelled()
    assert "csrfmiddlewaretoken" in form.names()

    response = client.post(url, VALID)
    assert response.status_code == 302 and response["Location"] == f"{url}merci/"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Merci" in thanks.content.decode()
    review.refresh_from_db()
    assert review.answered_at is not None
    assert review.answers == {
        "usage": "often",
        "purposes": ["procedures", "family"],
        "autonomy": "a_little",
        "further_help": "no",
        "comment": "Utilise l'ordinateur pour la CAF.",
    }


def test_a_second_submission_changes_nothing(client, review):
    url = f"/bilan/{review.token}/"
    client.post(url, VALID)
    review.refresh_from_db()
    first = (review.answers, review.answered_at)

    again = client.post(url, {**VALID, "usage": "never", "comment": "Autre chose"})
    assert again.status_code == 200 and "déjà" in again.content.decode()
    assert "déjà" in client.get(url).content.decode()
    review.refresh_from_db()
    assert (review.answers, review.answered_at) == first


def test_invalid_answers_are_shown_linked_to_their_fields(client, review):
    url = f"/bilan/{review.token}/"
    response = client.post(url, {"purposes": ["bogus"], "comment": "x" * 1001})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_usage_0"' in html and 'href="#id_comment"' in html
    assert re.search(r'aria-describedby="\s*id_usage_error"', html)
    assert 'id="id_comment_error"' in html and 'aria-invalid="true"' in html
    assert "<title>Erreur" in html
    review.refresh_from_db()
    assert review.answered_at is None and review.answers == {}


def test_html_in_the_comment_is_stored_as_text_and_shown_escaped(
    client, review, staff, django_capture_on_commit_callbacks
):
    comment = '<script>alert("x")</script><b>bien</b>\x07'
    client.post(f"/bilan/{review.token}/", {**VALID, "comment": comment})
    review.refresh_from_db()
    assert review.answers["comment"] == '<script>alert("x")</script><b>bien</b>'
    client.force_login(staff)
    html = client.get(f"/admin/forms/handoversheet/edit/{review.handover.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bien&lt;/b&gt;" in html
    assert "<b>bien</b>" not in html


def test_unknown_or_expired_links_show_a_french_404(client, review):
    missing = client.get("/bilan/pas-un-jeton/")
    assert missing.status_code == 404
    assert "Ce lien de bilan n’est pas valide" in missing.content.decode()
    assert client.post("/bilan/pas-un-jeton/", VALID).status_code == 404
    assert client.get("/bilan/pas-un-jeton/merci/").status_code == 404

    OneYearReview.objects.filter(pk=review.pk).update(sent_at=timezone.now() - timedelta(days=91))
    assert client.get(f"/bilan/{review.token}/").status_code == 404
    assert client.post(f"/bilan/{review.token}/", VALID).status_code == 404
    review.refresh_from_db()
    assert review.answered_at is None


def test_the_form_needs_its_csrf_token(review):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/bilan/{review.token}/", VALID).status_code == 403
    page = strict.get(f"/bilan/{review.token}/")
    token = read_form(page.content.decode(), action_contains="").data()["csrfmiddlewaretoken"]
    answer = strict.post(f"/bilan/{review.token}/", {**VALID, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302


@override_settings(FORM_RATE_LIMIT=(2, 600))
def test_posts_are_rate_limited(client, review):
    url = f"/bilan/{review.token}/"
    for _ in range(2):
        assert client.post(url, {}).status_code == 200
    assert client.post(url, VALID).status_code == 429
    review.refresh_from_db()
    assert review.answered_at is None


def test_the_page_follows_the_content_security_policy(client, review):
    response = client.get(f"/bilan/{review.token}/")
    assert "script-src" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "<script>" not in html and "style=" not in html and "<style" not in html


# On the record -----------------------------------------------------------------------


def test_the_answers_are_shown_read_only_on_the_handover_sheet(
    client, review, staff, django_capture_on_commit_callbacks
):
    client.post(f"/bilan/{review.token}/", VALID)
    client.force_login(staff)
    url = f"/admin/forms/handoversheet/edit/{review.handover.pk}/"
    html = client.get(url).content.decode()
    assert "Bilan à un an" in html
    assert "Souvent" in html and "Démarches administratives, Lien avec la famille" in html
    assert "Un peu" in html and "Utilise l&#x27;ordinateur pour la CAF." in html
    assert "julie@example.org" not in html  # the handover sheet stays anonymous

    # Posting the sheet's edit form whole leaves the review as it was.
    data = read_form(html, action_contains="/edit/").data()
    assert not [name for name in data if "review" in name or name in VALID]
    assert client.post(url, data).status_code == 302
    stored = OneYearReview.objects.get(pk=review.pk)
    assert stored.answers["usage"] == "often" and stored.answered_at is not None


def test_the_sheet_says_when_the_review_will_be_sent(client, site, staff):
    later = handover(site, handover_date=timezone.localdate() - timedelta(days=10))
    unreachable = handover(site, prescription=None, handover_date=later.handover_date)
    client.force_login(staff)
    html = client.get(f"/admin/forms/handoversheet/edit/{later.pk}/").content.decode()
    due = (later.handover_date + timedelta(days=365)).strftime("%d/%m/%Y")
    assert f"envoyé au prescripteur le {due}" in html
    html = client.get(f"/admin/forms/handoversheet/edit/{unreachable.pk}/").content.decode()
    assert "adresse électronique du prescripteur" in html


# Retention ---------------------------------------------------------------------------


def test_the_purge_forgets_the_address_and_keeps_the_answers(client, review):
    client.post(f"/bilan/{review.token}/", VALID)
    prescription = review.handover.prescription
    Prescription.objects.filter(pk=prescription.pk).update(
        status=Prescription.Status.EQUIPPED, closed_at=timezone.now() - timedelta(days=731)
    )
    assert purge_personal_data() == 1
    review.refresh_from_db()
    assert review.recipient_email == "" and review.answers["usage"] == "often"
    assert review.answered_at is not None
