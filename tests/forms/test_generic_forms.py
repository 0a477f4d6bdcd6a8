"""An editor builds a free form from nothing; the public answers it; staff follow the answers."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from forms.engine.models.form_page import FormPage
from forms.engine.models.records import StatusLog
from forms.engine.models.submission import Submission
from forms.kinds.generic.models import FormAnswer, purge_closed_answers
from tests.factories import FormPageFactory
from tests.forms.conftest import Walk
from tests.forms.test_form_builder import form_page_data
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/forms/formanswer/"

LOAN_STEPS = [
    (
        "step",
        {
            "title": "Votre foyer",
            "fields": [
                ("short_text", {"label": "Nom de famille", "required": True, "in_listing": "on"}),
                ("email", {"label": "Adresse électronique", "required": True}),
                (
                    "single_choice",
                    {
                        "label": "Tranche de revenus",
                        "choices": ["Moins de 1 000 €", "1 000 à 1 500 €", "Plus de 1 500 €"],
                        "required": True,
                        "in_listing": "on",
                    },
                ),
                ("yes_no", {"label": "Orienté par un travailleur social", "required": True}),
            ],
        },
    ),
    (
        "step",
        {
            "title": "Le prêt",
            "fields": [
                ("number", {"label": "Durée souhaitée (mois)", "required": True}),
                (
                    "short_text",
                    {
                        "label": "Nom du référent",
                        "required": True,
                        "condition": {"field": "Orienté par un travailleur social", "value": "oui"},
                    },
                ),
                ("long_text", {"label": "Précisions", "required": False}),
            ],
        },
    ),
]


@pytest.fixture
def published_loan_form(client, coordination_user, campaign):
    coordination_user.coordinated_campaigns.add(campaign)  # coordinators see their campaigns'
    client.force_login(coordination_user)
    response = client.post(
        f"/admin/pages/add/forms/formpage/{campaign.pk}/",
        form_page_data(
            LOAN_STEPS,
            title="Demande de prêt",
            slug="pret",
            kind="generic",
            notify_emails="pret@example.org",
            **{"action-publish": "publish"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return FormPage.objects.get(slug="pret", live=True)


def walk_loan(client, page, family, referent="Mme Roux", extra=""):
    walk = Walk(client, page)
    walk.get("etape-1")
    walk.post(
        "etape-1",
        {
            "nom_de_famille": family,
            "adresse_electronique": "famille@example.org",
            "tranche_de_revenus": "Moins de 1 000 €",
            "oriente_par_un_travailleur_social": "yes",
        },
    )
    walk.post(
        "etape-2",
        {"duree_souhaitee_mois": "6", "nom_du_referent": referent, "precisions": extra},
    )
    return walk


def test_a_free_form_built_in_the_admin_publishes_and_collects_answers(
    client, published_loan_form, coordination_user, django_capture_on_commit_callbacks
):
    walk = walk_loan(client, published_loan_form, "Le Goff", extra='=HYPERLINK("x")')
    with django_capture_on_commit_callbacks(execute=True):
        response = walk.post("verification")
    assert response.status_code == 302
    answer = FormAnswer.objects.get()
    assert answer.reference.startswith("REP-") and answer.status == "new"
    assert answer.email == "famille@example.org"
    assert answer.extra_answers["nom_du_referent"]["display"] == "Mme Roux"
    assert answer.extra_answers["tranche_de_revenus"]["label"] == "Tranche de revenus"
    # The acknowledgement; the notice to the form's address and its campaign's coordinators.
    assert sorted(message.to for message in mail.outbox) == sorted(
        [["famille@example.org"], sorted([coordination_user.email, "pret@example.org"])]
    )
    html = client.get(walk.thanks_url).content.decode()
    assert answer.reference in html


def test_staff_list_filter_search_edit_move_and_export_the_answers(
    client, coordination_user, published_loan_form
):
    for family in ("Le Goff", "Martin", "Nguyen"):
        walk_loan(client, published_loan_form, family).post("verification")
    other_form = FormPageFactory(
        parent=published_loan_form.get_parent(), slug="autre", kind="generic", steps=LOAN_STEPS
    )
    FormAnswer.objects.create(reference="REP-2026-09999", form_page=other_form, extra_answers={})
    client.force_login(coordination_user)

    listing = client.get(LIST_URL, {"formulaire": published_loan_form.pk}).content.decode()
    # The columns the editor ticked, one row per answer of this form only.
    assert "Nom de famille" in listing and "Tranche de revenus" in listing
    assert "Le Goff" in listing and "Nguyen" in listing and "REP-2026-09999" not in listing
    found = client.get(
        LIST_URL, {"formulaire": published_loan_form.pk, "q": "nguy"}
    ).content.decode()
    assert "Nguyen" in found and "Le Goff" not in found

    answer = FormAnswer.objects.get(extra_answers__nom_de_famille__value="Martin")
    url = f"{LIST_URL}edit/{answer.pk}/"
    form = read_form(client.get(url).content.decode(), action_contains=f"/edit/{answer.pk}/")
    assert form.names().count("extra__precisions") == 1
    data = dict(form.data(), extra__precisions="Rappeler lundi", extra__duree_souhaitee_mois="12")
    assert client.post(url, data).status_code == 302
    answer.refresh_from_db()
    assert answer.extra_answers["precisions"]["display"] == "Rappeler lundi"
    assert answer.extra_answers["duree_souhaitee_mois"]["value"] == 12

    for status in ("in_progress", "done"):
        response = client.post(f"{LIST_URL}transition/{answer.pk}/{status}/", {"note": ""})
        assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == "done" and answer.closed_at is not None
    assert list(
        StatusLog.objects.filter(object_id=answer.pk, content_type__model="formanswer")
        .exclude(from_status="")
        .values_list("to_status", "by")
    )[-2:] == [("in_progress", coordination_user.pk), ("done", coordination_user.pk)]
    assert (
        "Traitée"
        in client.get(
            LIST_URL, {"formulaire": published_loan_form.pk, "status__exact": "done"}
        ).content.decode()
    )

    export = client.get(LIST_URL, {"formulaire": published_loan_form.pk, "export": "csv"})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert "Tranche de revenus" in rows[0] and "Précisions" in rows[0]
    assert len(rows) == 4
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("x")' not in cells  # no formula in this walk
    assert "Rappeler lundi" in cells


def test_an_export_neutralises_formulas(client, coordination_user, published_loan_form):
    walk_loan(client, published_loan_form, "=1+1").post("verification")
    client.force_login(coordination_user)
    export = client.get(LIST_URL, {"formulaire": published_loan_form.pk, "export": "csv"})
    cells = [
        c
        for row in csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";")
        for c in row
    ]
    assert "'=1+1" in cells and "=1+1" not in cells


def test_closed_answers_are_deleted_after_their_retention(settings, published_loan_form, client):
    walk_loan(client, published_loan_form, "Le Goff").post("verification")
    answer = FormAnswer.objects.get()
    answer.transition("done")
    assert purge_closed_answers() == 0
    later = timezone.now() + timedelta(days=settings.GENERIC_RETENTION_DAYS + 1)
    assert purge_closed_answers(later) == 1
    assert not FormAnswer.objects.exists() and not Submission.objects.exists()


def test_a_typed_form_refused_for_missing_fields_suggests_the_free_form(
    client, coordination_user, campaign
):
    client.force_login(coordination_user)
    response = client.post(
        f"/admin/pages/add/forms/formpage/{campaign.pk}/",
        form_page_data(
            LOAN_STEPS, title="Prêt", slug="pret", kind="pledge", **{"action-publish": "publish"}
        ),
    )
    assert response.status_code == 200
    assert "choisissez le type « Formulaire libre »" in response.content.decode()


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(family=st.text(max_size=300), months=st.text(max_size=30))
def test_any_input_to_a_free_form_gets_an_answer_not_an_error(
    client, published_loan_form, family, months, settings
):
    settings.FORM_RATE_LIMIT = (10_000, 600)
    walk = Walk(client, published_loan_form)
    walk.get("etape-1")
    response = walk.post(
        "etape-1",
        {
            "nom_de_famille": family,
            "adresse_electronique": "famille@example.org",
            "tranche_de_revenus": "Moins de 1 000 €",
            "oriente_par_un_travailleur_social": "no",
        },
    )
    assert response.status_code in (200, 302)
    response = walk.post("etape-2", {"duree_souhaitee_mois": months})
    assert response.status_code in (200, 302)


def test_a_condition_chosen_by_its_question_label_hides_the_question(client, published_loan_form):
    walk = Walk(client, published_loan_form)
    walk.get("etape-1")
    walk.post(
        "etape-1",
        {
            "nom_de_famille": "Morvan",
            "adresse_electronique": "famille@example.org",
            "tranche_de_revenus": "Plus de 1 500 €",
            "oriente_par_un_travailleur_social": "no",
        },
    )
    html = walk.get("etape-2").content.decode()
    assert "Nom du référent" not in html
    assert walk.post("etape-2", {"duree_souhaitee_mois": "3"}).status_code == 302
    walk = Walk(client, published_loan_form)
    walk.get("etape-1")
    walk.post(
        "etape-1",
        {
            "nom_de_famille": "Le Goff",
            "adresse_electronique": "famille@example.org",
            "tranche_de_revenus": "Plus de 1 500 €",
            "oriente_par_un_travailleur_social": "yes",
        },
    )
    response = walk.post("etape-2", {"duree_souhaitee_mois": "3"})
    assert response.status_code == 200 and "Nom du référent" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "allowed"), [("communication", False), ("mediation", False), ("coordination", True)]
)
def test_only_coordinators_see_free_form_answers(client, published_loan_form, role, allowed):
    from portal.roles import COMMUNICATION, COORDINATION, MEDIATION
    from tests.factories import MediationSiteFactory, UserFactory

    group = {"communication": COMMUNICATION, "mediation": MEDIATION, "coordination": COORDINATION}
    user = UserFactory(username=f"u-{role}", groups=[group[role]])
    if role == "mediation":
        MediationSiteFactory(staff=[user])
    if role == "coordination":  # coordinators see the answers of the campaigns they coordinate
        user.coordinated_campaigns.add(published_loan_form.campaign)
    walk_loan(client, published_loan_form, "Le Goff").post("verification")
    answer = FormAnswer.objects.get()
    client.force_login(user)
    listing = client.get(LIST_URL)
    assert (listing.status_code == 200 and answer.reference in listing.content.decode()) == allowed
    edit = client.get(f"{LIST_URL}edit/{answer.pk}/")
    assert (edit.status_code == 200) == allowed
    export = client.get(LIST_URL, {"export": "csv"})
    assert (
        export.status_code == 200 and "Le Goff" in export.content.decode("utf-8-sig")
    ) == allowed
    history = client.get(f"{LIST_URL}history/{answer.pk}/")
    assert (history.status_code == 200) == allowed
