"""A free loan request becomes a loan: the form's editor chooses what answers become
and which question fills which field; a coordinator creates the loan from the answer,
its form prefilled; the answer and the loan link to each other."""

import re

import pytest

from forms.engine.models.form_page import FormPage
from forms.enums import DeviceStatus
from forms.kinds.generic.models import FormAnswer
from forms.logistics.models.loan import Loan
from tests.factories import DeviceFactory
from tests.forms.test_form_builder import form_page_data
from tests.forms.test_generic_forms import (  # noqa: F401 (fixture)
    LOAN_STEPS,
    published_loan_form,
    walk_loan,
)
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

MAPPING = (
    "borrower_name = nom_de_famille\nborrower_email = adresse_electronique\nnotes = precisions"
)


def edit_form_page(client, page, **fields):
    """The editor's whole edit form, posted and published."""
    data = {f"steps-{index}-id": step.id for index, step in enumerate(page.steps)}
    posted = form_page_data(
        LOAN_STEPS,
        title=page.title,
        slug=page.slug,
        kind="generic",
        notify_emails="pret@example.org",
        **{"action-publish": "publish"},
        **fields,
    )
    return client.post(f"/admin/pages/{page.pk}/edit/", posted | data)


def test_a_loan_request_becomes_a_loan_linked_both_ways(
    client,
    coordination_user,
    campaign,
    published_loan_form,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    client.force_login(coordination_user)
    response = edit_form_page(
        client, published_loan_form, record_target="loan", record_mapping=MAPPING
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = FormPage.objects.get(pk=published_loan_form.pk)
    assert (page.record_target, page.record_mapping.split()[:3]) == (
        "loan",
        ["borrower_name", "=", "nom_de_famille"],
    )
    client.logout()

    # A household asks for a loan through the free form.
    walk = walk_loan(client, page, "Le Goff", extra="Pour les devoirs des enfants")
    with django_capture_on_commit_callbacks(execute=True):
        walk.post("verification")
    answer = FormAnswer.objects.get()

    # The coordinator opens the answer and clicks "Créer le prêt".
    device = DeviceFactory(status=DeviceStatus.READY, campaign=campaign, inventory_code="PRET-01")
    client.force_login(coordination_user)
    html = client.get(answer.admin_url()).content.decode()
    assert "Créer le prêt" in html
    create_url = re.search(r'href="([^"]*/loan/create/\?reponse=\d+)"', html).group(1)

    create = client.get(create_url)
    assert create.status_code == 200
    data = read_form(create.content.decode()).data()
    assert data["borrower_name"] == "Le Goff"
    assert data["borrower_email"] == "famille@example.org"
    assert data["notes"] == "Pour les devoirs des enfants"
    assert data["source_answer"] == str(answer.pk)
    assert data["campaign"] == str(campaign.pk)
    assert "Créé à partir de la réponse" in create.content.decode()
    # Staff complete what the request did not say: the device and the income criterion.
    data.update(device=str(device.pk), family_quotient="640")
    saved = client.post("/admin/forms/loan/create/", data)
    assert saved.status_code == 302, re.findall(
        r"error-message[^>]*>\s*<p>([^<]+)", saved.content.decode()
    )

    loan = Loan.objects.get()
    assert loan.source_answer == answer and loan.prescription is None
    assert (loan.borrower_kind, loan.borrower_name, loan.device) == ("household", "Le Goff", device)
    answer.refresh_from_db()
    assert answer.status == answer.Status.DONE  # handled: off the lists of answers to handle
    # Both link to each other.
    answer_html = client.get(answer.admin_url()).content.decode()
    assert loan.admin_url() in answer_html and loan.reference in answer_html
    loan_html = client.get(loan.admin_url()).content.decode()
    assert answer.admin_url() in loan_html and answer.reference in loan_html


def test_a_household_loan_still_needs_a_prescription_or_a_request(
    client, coordination_user, campaign
):
    coordination_user.coordinated_campaigns.add(campaign)
    device = DeviceFactory(status=DeviceStatus.READY, campaign=campaign)
    client.force_login(coordination_user)
    html = client.get("/admin/forms/loan/create/").content.decode()
    data = read_form(html).data()
    data.update(device=str(device.pk), family_quotient="640", borrower_kind="household")
    response = client.post("/admin/forms/loan/create/", data)
    assert response.status_code == 200 and not Loan.objects.exists()
    assert "Un foyer emprunte au titre de sa prescription." in response.content.decode()


def test_the_editor_is_told_a_mapping_that_cannot_work(
    client,
    coordination_user,
    published_loan_form,  # noqa: F811
):
    client.force_login(coordination_user)
    response = edit_form_page(
        client,
        published_loan_form,
        record_target="loan",
        record_mapping="device = nom_de_famille\nborrower_name = nom_inconnu",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "« device » n’est pas un champ de la fiche « Prêt »" in html
    assert "Aucune question de ce formulaire n’a le nom technique « nom_inconnu »" in html
    assert FormPage.objects.get(pk=published_loan_form.pk).record_target == ""
