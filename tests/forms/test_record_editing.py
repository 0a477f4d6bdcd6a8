"""Staff edit a record in the admin as a browser does: the whole edit form is read,
one extra answer changed, the form posted back, the record reloaded."""

import datetime

import pytest

from forms.engine.models.records import StatusLog
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.pledge.models import DonorPledge
from forms.kinds.prescription.models import Prescription
from portal.roles import MEDIATION
from tests.factories import (
    DeviceFactory,
    DonorPledgeFactory,
    FormPageFactory,
    HandoverSheetFactory,
    MediationSiteFactory,
    PrescriptionFactory,
    UserFactory,
    criteria_for,
    extra_questions_step,
    handover_steps,
    pledge_steps,
    prescription_steps,
    stored_extra_answers,
)
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

EXTRA_STEP = extra_questions_step()
STORED = stored_extra_answers()


@pytest.fixture
def staff():
    return UserFactory(username="maud", groups=[MEDIATION])


@pytest.fixture
def site(staff):
    return MediationSiteFactory(nom="Espace Mont-de-Marsan", staff=[staff])


def make_pledge(campaign, site):
    page = FormPageFactory(parent=campaign, slug="don", steps=[*pledge_steps(), EXTRA_STEP])
    return DonorPledgeFactory(form_page=page, campaign=campaign, extra_answers=dict(STORED))


def make_prescription(campaign, site):
    page = FormPageFactory(
        parent=campaign,
        slug="prescription",
        kind="prescription",
        steps=[*prescription_steps(), EXTRA_STEP],
    )
    return PrescriptionFactory(
        form_page=page, campaign=campaign, site=site, extra_answers=dict(STORED)
    )


def make_handover(campaign, site):
    page = FormPageFactory(
        parent=campaign, slug="remise", kind="handover", steps=[*handover_steps(), EXTRA_STEP]
    )
    device = DeviceFactory(inventory_code="OS-00042", status="handed_over", site=site)
    return HandoverSheetFactory(
        form_page=page,
        campaign=campaign,
        site=site,
        device=device,
        device_code=device.inventory_code,
        extra_answers=dict(STORED),
    )


KINDS = {
    "donorpledge": (make_pledge, DonorPledge),
    "prescription": (make_prescription, Prescription),
    "handoversheet": (make_handover, HandoverSheet),
}


@pytest.mark.parametrize("model_name", list(KINDS))
def test_extra_answers_round_trip_through_the_whole_edit_form(
    client, coordination_user, campaign, site, model_name
):
    make, model = KINDS[model_name]
    record = make(campaign, site)
    coordination_user.coordinated_campaigns.add(campaign)  # they see their campaigns' records
    client.force_login(coordination_user)
    url = f"/admin/forms/{model_name}/edit/{record.pk}/"
    html = client.get(url).content.decode()
    form = read_form(html, action_contains=f"/edit/{record.pk}/")

    # Every extra answer appears once, with a label, in the field its question defines.
    names = form.names()
    for key in ("canal", "date_souhaitee", "remarque", "ancienne_question"):
        assert names.count(f"extra__{key}") == (3 if key == "canal" else 1), key
    assert not [name for name in form.unlabelled() if name.startswith("extra__")]
    assert 'type="date"' in html and 'value="Salon des entreprises"' in html
    assert "Question retirée" in html and "plus dans le formulaire" in html

    data = form.data()
    assert data["extra__canal"] == "Presse"
    data.update(
        {
            "extra__canal": "Salon des entreprises",
            "extra__date_souhaitee": "2027-01-15",
            "extra__remarque": "Rappeler en janvier",
            "extra__ancienne_question": "non",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors

    record = model.objects.get(pk=record.pk)
    assert record.extra_answers["canal"] == {
        "label": "Connu par",  # the label as answered is kept
        "value": "Salon des entreprises",
        "display": "Salon des entreprises",
    }
    assert record.extra_answers["date_souhaitee"]["value"] == "2027-01-15"
    assert record.extra_answers["remarque"]["value"] == "Rappeler en janvier"
    assert record.extra_answers["ancienne_question"]["display"] == "non"
    # The history says who changed which fields (never the values).
    log = StatusLog.objects.filter(object_id=record.pk).order_by("pk").last()
    assert log.by == coordination_user and "Remarque" in log.note
    assert "Rappeler" not in log.note
    edit_page = client.get(url).content.decode()
    assert "Rappeler en janvier" in edit_page and "Modifié" in edit_page

    # A bad answer is refused in French; nothing of the edit is lost.
    response = client.post(url, dict(data, extra__canal="Inventé", extra__remarque="Autre"))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    record.refresh_from_db()
    assert record.extra_answers["remarque"]["value"] == "Rappeler en janvier"


def test_an_edit_without_change_logs_nothing(client, coordination_user, campaign, site):
    record = make_pledge(campaign, site)
    coordination_user.coordinated_campaigns.add(campaign)  # they see their campaigns' records
    client.force_login(coordination_user)
    url = f"/admin/forms/donorpledge/edit/{record.pk}/"
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    before = StatusLog.objects.count()
    assert client.post(url, data).status_code == 302
    assert StatusLog.objects.count() == before
    record.refresh_from_db()
    assert record.extra_answers == STORED


def test_an_admin_prescription_needs_a_way_to_reach_the_person(
    client, coordination_user, campaign, site
):
    record = make_prescription(campaign, site)
    coordination_user.coordinated_campaigns.add(campaign)  # they see their campaigns' records
    client.force_login(coordination_user)
    url = f"/admin/forms/prescription/edit/{record.pk}/"
    data = read_form(client.get(url).content.decode(), action_contains="/edit/").data()
    data.update(beneficiary_phone="", beneficiary_email="")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "au moins un moyen de contacter la personne" in response.content.decode()
    record.refresh_from_db()
    assert record.beneficiary_phone == "0612345678"


def test_an_admin_handover_goes_through_the_creation_service(client, staff, site, campaign):
    DeviceFactory(inventory_code="OS-00077", status="allocated", site=site)
    client.force_login(staff)
    url = "/admin/forms/handoversheet/create/"
    form = read_form(client.get(url).content.decode(), action_contains="/create/")
    data = form.data()
    data.update(
        handover_date=str(datetime.date.today()),
        device_code="os-00077",
        sex="male",
        age_class="18_24",
        social_status="in_school",
        no_resale_accepted="on",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    sheet = HandoverSheet.objects.get()
    assert sheet.reference.startswith(f"REM-{datetime.date.today().year}-")
    assert sheet.device.inventory_code == "OS-00077" and sheet.device.status == "handed_over"
    assert sheet.no_resale_text  # the text next to the box is kept, as online
    creation = sheet.status_changes.first()
    assert (creation.from_status, creation.by) == ("", staff)


def test_the_criteria_listing_says_yes_or_no(client, coordination_user, campaign):
    criteria_for(campaign)  # the campaign's own criteria, in the coordinator's campaign
    coordination_user.coordinated_campaigns.add(campaign)
    html = (
        client.force_login(coordination_user)
        or client.get("/admin/forms/prioritycriterion/").content.decode()
    )
    assert "Oui" in html and 'alt="True"' not in html
