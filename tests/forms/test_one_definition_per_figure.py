"""Two screens, one number: the campaign page's live figures (content.metrics, fed by
forms.logistics.services.figures.key_figures) and the admin indicators
(services.report, services.indicators) count each figure they share with the same
function, on every demo programme: compared as the two screens show them."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction

from content.enums import KeyFigureMetric as Metric
from content.metrics import campaign_figures
from content.models import CampaignPage
from forms.logistics.services.donors import donor_organisation_count
from forms.logistics.services.figures import key_figures
from forms.logistics.services.report import DEVICE_KEY_FIGURES, programme_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Figures the demo must give a non-zero total for, so that no comparison is 0 == 0.
COUNTED_IN_THE_DEMO = (
    Metric.DONOR_ORGANISATIONS,
    Metric.PLEDGED_DEVICES,
    Metric.RECEIVED_DEVICES,
    Metric.REFURBISHED_DEVICES,
    Metric.HANDED_OVER_DEVICES,
    Metric.LENT_DEVICES,
    Metric.MEDIATION_SITES,
)
PAGE_FIGURE = re.compile(r'<strong>(\d+)</strong>\s*<span class="key-figure__label">([^<]+)</span>')
INDICATOR_FIGURE = re.compile(
    r'<tr data-metric="(\w+)"><th scope="row">[^<]+</th><td>(\d+)</td></tr>'
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def every_figure_on(page):
    """The campaign page shows every live figure, each under its own name."""
    figures = [{"metric": metric, "label": "", "goal": None} for metric in Metric.values]
    page.body = [*page.body.raw_data, {"type": "live_figures", "value": {"figures": figures}}]
    page.save_revision().publish()


def test_the_campaign_page_and_the_indicators_agree_on_every_demo_campaign(demo):
    campaigns = list(CampaignPage.objects.order_by("pk"))
    assert len(campaigns) >= 5
    totals = dict.fromkeys(Metric.values, 0)
    for campaign in [*campaigns, None]:
        live = campaign_figures(campaign)
        report = programme_report(campaign)
        assert report["key_figures"] == live, campaign
        assert live[Metric.DONOR_ORGANISATIONS] == donor_organisation_count(campaign)
        assert (
            report["indicators"]["donor_organisations"]["value"] == live[Metric.DONOR_ORGANISATIONS]
        )
        # The OrdiPin40 table's stages are the page's figures, not a second count.
        for stage, metric in DEVICE_KEY_FIGURES.items():
            assert report["devices"][stage] == live[metric], (campaign, stage)
        for metric, value in key_figures(campaign).items():
            assert live[metric] == value
        if campaign is not None:
            for metric in Metric.values:
                totals[metric] += live[metric]
    for metric in COUNTED_IN_THE_DEMO:
        assert totals[metric] > 0, metric  # the comparison is not 0 == 0


def test_the_two_screens_show_the_same_numbers(demo, client):
    """Each demo campaign's public page, showing every live figure, and its admin
    indicators page show the same number for each figure."""
    labels = {str(label): metric for metric, label in Metric.choices}
    admin = UserFactory(username="chiffres", is_superuser=True, is_staff=True)
    for campaign in CampaignPage.objects.order_by("pk"):
        every_figure_on(campaign)
        client.logout()
        page = client.get(campaign.url).content.decode()
        on_page = {labels[label.strip()]: int(value) for value, label in PAGE_FIGURE.findall(page)}
        assert set(on_page) == set(Metric.values), campaign
        client.force_login(admin)
        html = client.get(f"/admin/programme/{campaign.pk}/indicateurs/").content.decode()
        on_indicators = {metric: int(value) for metric, value in INDICATOR_FIGURE.findall(html)}
        assert on_indicators == on_page, campaign
        assert on_page == campaign_figures(campaign)
