"""A campaign with its prescription form, sites, and a partner key that may send to it."""

import pytest

from forms.partners.keys import create_key
from tests.factories import CampaignPageFactory, FormPageFactory, criteria_for, prescription_steps
from tests.forms.conftest import campaign  # noqa: F401
from tests.forms.test_prescription_walk import answers, sites  # noqa: F401

SEND_URL = "/api/partners/v1/prescriptions/"


def status_url(reference):
    return f"{SEND_URL}{reference}/"


@pytest.fixture
def prescription_form(campaign):  # noqa: F811
    criteria_for(campaign)
    return FormPageFactory(
        parent=campaign,
        slug="prescription",
        kind="prescription",
        steps=prescription_steps(),
        notify_emails="",
    )


@pytest.fixture
def other_campaign(campaign_index):
    other = CampaignPageFactory(parent=campaign_index, title="Autre programme", slug="autre")
    criteria_for(other)
    FormPageFactory(
        parent=other,
        slug="prescription",
        kind="prescription",
        steps=prescription_steps(),
        notify_emails="",
    )
    return other


@pytest.fixture
def partner(campaign, prescription_form):  # noqa: F811
    """(key, token) of a partner that may send to ``campaign``."""
    return create_key("Logiciel du département", [campaign], contact_email="dsi@example.org")


def body(sites, campaign_slug="mon-ordi", **changes):  # noqa: F811
    """The wizard's answers of a valid prescription, as one JSON object."""
    data = {"campaign": campaign_slug}
    for values in answers(sites).values():
        data.update(values)
    data.update(
        household_adults=1,
        household_children=3,
        site=int(data["site"]),
        priority_criterion=int(data["priority_criterion"]),
        beneficiary_agreement=True,
        prescriber_commitment=True,
    )
    data.update(changes)
    return data


def send(client, token, data, **headers):
    return client.post(
        SEND_URL,
        data=data,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", **headers},
    )
