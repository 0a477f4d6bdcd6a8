"""Coordinators find, edit, move and export pledges in the admin; communication staff cannot."""

import csv
import io

import openpyxl
import pytest

from forms.engine.models.records import StatusLog
from forms.kinds.pledge.models import DonorPledge
from tests.factories import CampaignPageFactory, DonorPledgeFactory

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/forms/donorpledge/"


@pytest.fixture
def pledges(campaign_index, coordination_user):
    landes = CampaignPageFactory(parent=campaign_index, title="OrdiPin40")
    poitiers = CampaignPageFactory(parent=campaign_index, title="Poitiers")
    # Coordinators see the records of the campaigns they coordinate (forms.access).
    coordination_user.coordinated_campaigns.add(landes, poitiers)
    return [
        DonorPledgeFactory(
            organisation_name="Atlantique Logistique",
            campaign=landes,
            laptops=25,
            siret="73282932000074",
            status="new",
        ),
        DonorPledgeFactory(
            organisation_name="Mairie de Rochefort",
            organisation_kind="public_body",
            campaign=poitiers,
            status="confirmed",
            contact_name="Paul Girard",
        ),
        DonorPledgeFactory(
            organisation_name='=HYPERLINK("http://evil")',
            campaign=landes,
            contact_name="+33 cmd|' /C calc'!A0",
            status="new",
            extra_answers={
                "connu_par": {"label": "Connu par", "value": "Presse", "display": "Presse"}
            },
        ),
    ]


def names(response):
    return {p.organisation_name for p in response.context["object_list"]}


def test_list_columns_filters_and_search(client, coordination_user, pledges):
    client.force_login(coordination_user)
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert pledges[0].reference in html and "Atlantique Logistique" in html and "OrdiPin40" in html
    assert names(client.get(LIST_URL, {"status__exact": "confirmed"})) == {"Mairie de Rochefort"}
    assert names(client.get(LIST_URL, {"organisation_kind__exact": "public_body"})) == {
        "Mairie de Rochefort"
    }
    assert len(names(client.get(LIST_URL, {"campaign__id__exact": pledges[0].campaign_id}))) == 2
    assert names(client.get(LIST_URL, {"q": "73282932000074"})) == {"Atlantique Logistique"}
    assert names(client.get(LIST_URL, {"q": "Girard"})) == {"Mairie de Rochefort"}
    assert names(client.get(LIST_URL, {"q": pledges[1].reference})) == {"Mairie de Rochefort"}


def test_list_uses_a_bounded_number_of_queries(
    client, coordination_user, pledges, django_assert_max_num_queries
):
    client.force_login(coordination_user)
    client.get(LIST_URL)
    for _ in range(20):
        DonorPledgeFactory(campaign=pledges[0].campaign)
    with django_assert_max_num_queries(20):
        assert client.get(LIST_URL).status_code == 200


def test_edit_every_field_including_extra_answers(client, coordination_user, pledges):
    client.force_login(coordination_user)
    pledge = pledges[2]
    url = f"{LIST_URL}edit/{pledge.pk}/"
    html = client.get(url).content.decode()
    assert "Connu par" in html and "Presse" in html and "Statut actuel" in html
    data = {
        "organisation_name": "Société corrigée",
        "siret": "",
        "organisation_kind": "company",
        "sector": "",
        "contact_name": "Sophie",
        "contact_role": "",
        "contact_email": "sophie@example.com",
        "contact_phone": "",
        "address": "12 rue du Port",
        "postcode": "17000",
        "city": "La Rochelle",
        "pickup_address": "",
        "pickup_postcode": "",
        "pickup_city": "",
        "laptops": "7",
        "desktops": "0",
        "screens": "0",
        "tablets": "0",
        "smartphones": "0",
        "other_devices": "0",
        "equipment_age": "",
        "operating_system": "",
        "accessories": ["chargers"],
        "erasure_by": "programme",
        "pickup_availability": "",
        "campaign": str(pledge.campaign_id),
        "terms_accepted": "on",
        "extra__connu_par": "Salon des entreprises",
    }
    # A coordinator cannot take a record out of their campaigns (it would vanish for them).
    response = client.post(url, dict(data, campaign=""))
    assert response.status_code == 200 and "campaign" in response.context["form"].errors
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    pledge.refresh_from_db()
    assert pledge.organisation_name == "Société corrigée"
    assert pledge.laptops == 7
    assert pledge.accessories == ["chargers"]
    assert pledge.extra_answers["connu_par"] == {
        "label": "Connu par",
        "value": "Salon des entreprises",
        "display": "Salon des entreprises",
    }
    # Bad input is refused with a French message and nothing is lost.
    response = client.post(url, dict(data, postcode="ABC", contact_email="x"))
    assert response.status_code == 200
    assert "Saisissez un code postal de 5 chiffres" in response.content.decode()


def test_status_change_asks_for_confirmation_and_is_logged(client, coordination_user, pledges):
    client.force_login(coordination_user)
    pledge = pledges[0]
    url = f"{LIST_URL}transition/{pledge.pk}/confirmed/"
    assert url in client.get(f"{LIST_URL}edit/{pledge.pk}/").content.decode()
    confirm = client.get(url)
    assert "Faire passer" in confirm.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == "new"  # nothing happens before confirmation
    response = client.post(url, {"note": "Appel du 12/11"}, follow=True)
    assert "est maintenant « Confirmée »" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == "confirmed"
    log = StatusLog.objects.filter(object_id=pledge.pk).latest("at")
    assert (log.from_status, log.to_status, log.by, log.note) == (
        "new",
        "confirmed",
        coordination_user,
        "Appel du 12/11",
    )


def test_refused_transition(client, coordination_user, pledges):
    client.force_login(coordination_user)
    pledge = pledges[0]
    response = client.post(f"{LIST_URL}transition/{pledge.pk}/closed/", follow=True)
    assert (
        "Ce changement de statut n&#x27;est pas possible depuis le statut actuel."
        in response.content.decode()
    )
    pledge.refresh_from_db()
    assert pledge.status == "new"


def test_status_machine():
    pledge = DonorPledge(status="new")
    assert set(pledge.allowed_transitions()) == {"confirmed", "declined", "withdrawn"}
    assert (
        DonorPledge(status="confirmed").allowed_transitions()
        == DonorPledge(status="confirmed").allowed_transitions()
    )
    assert set(DonorPledge(status="confirmed").allowed_transitions()) == {"collected", "withdrawn"}
    assert DonorPledge(status="collected").allowed_transitions() == ["closed"]
    for final in ("closed", "declined", "withdrawn"):
        assert DonorPledge(status=final).allowed_transitions() == []


def test_csv_export_respects_filters_and_escapes_formulas(client, coordination_user, pledges):
    client.force_login(coordination_user)
    response = client.get(
        LIST_URL, {"export": "csv", "campaign__id__exact": pledges[0].campaign_id}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="promesses-de-don-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["référence", "reçue le", "statut", "campagne"]
    assert len(body) == 2
    cells = [cell for row in body for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'+33 cmd|' /C calc'!A0" in cells
    assert "Connu par : Presse" in cells
    assert "Entreprise" in cells  # choices exported with their French label


def test_xlsx_export(client, coordination_user, pledges):
    client.force_login(coordination_user)
    response = client.get(LIST_URL, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Mairie de Rochefort" in values
    assert not any(isinstance(value, str) and value.startswith("=") for value in values)


def test_communication_staff_cannot_see_pledges(client, communication_user, pledges):
    client.force_login(communication_user)
    for url in (
        LIST_URL,
        f"{LIST_URL}edit/{pledges[0].pk}/",
        f"{LIST_URL}?export=csv",
        f"{LIST_URL}transition/{pledges[0].pk}/confirmed/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert "Promesses de don" not in client.get("/admin/").content.decode()
