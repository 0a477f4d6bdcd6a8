"""Two screens, one number: the campaign page's live figures (content.metrics, fed by
forms.logistics.services.figures) and the admin indicators (services.report) count
each figure they share with the same function, on every demo programme."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from content.enums import KeyFigureMetric as Metric
from content.metrics import campaign_figures
from content.models import CampaignPage
from forms.logistics.services.donors import donor_organisation_count
from forms.logistics.services.report import programme_report

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_the_campaign_page_and_the_indicators_agree_on_every_demo_campaign(demo):
    campaigns = list(CampaignPage.objects.order_by("pk"))
    assert len(campaigns) >= 5
    counted = 0
    for campaign in [*campaigns, None]:
        live = campaign_figures(campaign)[Metric.DONOR_ORGANISATIONS]
        report = programme_report(campaign)["indicators"]["donor_organisations"]["value"]
        assert live == report == donor_organisation_count(campaign), campaign
        counted += live
    assert counted > 0  # the demo has donors: the comparison is not 0 == 0
