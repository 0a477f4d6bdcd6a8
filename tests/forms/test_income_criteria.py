"""The income criterion of household loans (the family quotient under the
programme's ceiling) is a per-campaign switch, like the APTIC cheques and the
ceremony: asked, and enforced, only by the campaigns that lend under it."""

import datetime

import pytest
from django.utils import timezone

from forms.enums import DeviceStatus as S
from forms.logistics.models.loan import Loan
from tests.factories import CampaignPageFactory, DeviceFactory, PrescriptionFactory
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def household_loan(client, campaign, **fields):
    data = {
        "borrower_kind": "household",
        "device": DeviceFactory(status=S.READY, campaign=campaign).pk,
        "prescription": PrescriptionFactory(campaign=campaign).pk,
        "campaign": campaign.pk,
        "start_date": TODAY.isoformat(),
        "due_date": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "condition_out": "good",
        "borrower_name": "",
        "borrower_email": "",
        "notes": "",
        **fields,
    }
    return client.post("/admin/forms/loan/create/", data)


@pytest.fixture
def without_criterion(campaign_index, coordination_user):
    campaign = CampaignPageFactory(
        parent=campaign_index, slug="sans-plafond", uses_income_criteria=False
    )
    coordination_user.coordinated_campaigns.add(campaign)
    return campaign


@pytest.fixture
def with_criterion(campaign_index, coordination_user):
    campaign = CampaignPageFactory(parent=campaign_index, slug="lorient")
    coordination_user.coordinated_campaigns.add(campaign)
    return campaign


def test_a_campaign_keeps_the_income_criterion_unless_it_is_switched_off(campaign_index):
    assert CampaignPageFactory(parent=campaign_index).uses_income_criteria is True


def test_a_campaign_without_the_criterion_neither_asks_nor_requires_the_quotient(
    client, coordination_user, without_criterion
):
    client.force_login(coordination_user)
    create = client.get("/admin/forms/loan/create/").content.decode()
    assert 'name="family_quotient"' not in create
    response = household_loan(client, without_criterion)
    assert response.status_code == 302, response.content.decode()[:2000]
    loan = Loan.objects.get()
    assert loan.family_quotient is None and loan.device.status == S.LENT

    # Its edit form, posted whole, has no quotient either and saves.
    edit_url = f"/admin/forms/loan/edit/{loan.pk}/"
    page = client.get(edit_url).content.decode()
    assert 'name="family_quotient"' not in page
    data = read_form(page, action_contains="/edit/").data()
    data["notes"] = "Prêt sans condition de ressources"
    assert client.post(edit_url, data).status_code == 302
    loan.refresh_from_db()
    assert loan.notes == "Prêt sans condition de ressources"


def test_a_campaign_with_the_criterion_asks_and_enforces_it(
    client, coordination_user, with_criterion
):
    client.force_login(coordination_user)
    assert 'name="family_quotient"' in client.get("/admin/forms/loan/create/").content.decode()
    missing = household_loan(client, with_criterion)
    assert missing.status_code == 200 and "quotient familial" in missing.content.decode()
    above = household_loan(client, with_criterion, family_quotient="1500")
    assert above.status_code == 200 and "plafond" in above.content.decode()
    assert not Loan.objects.exists()
    assert household_loan(client, with_criterion, family_quotient="620").status_code == 302
    loan = Loan.objects.get()
    page = client.get(f"/admin/forms/loan/edit/{loan.pk}/").content.decode()
    assert 'name="family_quotient"' in page


def test_switching_the_criterion_off_keeps_what_was_stored(
    client, coordination_user, with_criterion
):
    client.force_login(coordination_user)
    assert household_loan(client, with_criterion, family_quotient="620").status_code == 302
    loan = Loan.objects.get()
    with_criterion.uses_income_criteria = False
    with_criterion.save()
    edit_url = f"/admin/forms/loan/edit/{loan.pk}/"
    page = client.get(edit_url).content.decode()
    assert 'name="family_quotient"' not in page
    assert (
        client.post(edit_url, read_form(page, action_contains="/edit/").data()).status_code == 302
    )
    loan.refresh_from_db()
    assert loan.family_quotient == 620
