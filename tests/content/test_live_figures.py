"""Live key figures: counted from the records of the page's campaign, always fresh."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.enums import KeyFigureMetric as Metric
from content.metrics import campaign_figures
from portal.page_cache import HIT_HEADER
from tests.factories import (
    CampaignPageFactory,
    DeviceFactory,
    DonorPledgeFactory,
    HandoverSheetFactory,
    LoanFactory,
    MediationSiteFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def live_figures(*figures, heading="Où en est-on ?"):
    return {
        "type": "live_figures",
        "value": {
            "heading": heading,
            "figures": [
                {"metric": metric, "label": label, "goal": goal} for metric, label, goal in figures
            ],
        },
    }


def publish(page, body):
    page.body = body
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def campaigns(campaign_index):
    return (
        CampaignPageFactory(parent=campaign_index, title="Mon ordi est une chance", slug="face"),
        CampaignPageFactory(parent=campaign_index, title="OrdiPin40", slug="ordipin40"),
    )


def records(campaign, scale=1):
    """For one campaign: 2 donor organisations (3 pledges) promising 3 x 10 laptops and
    2 tablets, plus a declined pledge; 5 devices received, 4 refurbished, 1 handed over, 2 lent
    (one on a loan only); 2 handover sheets of no device (1 with training), 1 of the
    handed-over device, 1 cancelled; 2 sites."""
    for _ in range(scale):
        DonorPledgeFactory(campaign=campaign, organisation_name="Atlantique", siret="")
        DonorPledgeFactory(campaign=campaign, organisation_name="ATLANTIQUE ", siret="", tablets=2)
        DonorPledgeFactory(campaign=campaign, organisation_name="Port", siret="73282932000074")
        DonorPledgeFactory(campaign=campaign, status="declined", organisation_name="Non")
        DeviceFactory(campaign=campaign, status="ready", refurbished_at=NOW)
        handed = DeviceFactory(
            campaign=campaign, status="handed_over", refurbished_at=NOW, handed_over_at=NOW
        )
        DeviceFactory(campaign=campaign, status="lent", refurbished_at=NOW, lent_at=NOW)
        LoanFactory(
            campaign=campaign,
            device=DeviceFactory(campaign=campaign, status="ready", refurbished_at=NOW),
            status="returned",
        )
        DeviceFactory(campaign=campaign)  # received, nothing else
        HandoverSheetFactory(campaign=campaign, training_sessions=3)
        HandoverSheetFactory(campaign=campaign)
        HandoverSheetFactory(campaign=campaign, device=handed, device_code=handed.inventory_code)
        HandoverSheetFactory(campaign=campaign, status="cancelled", training_sessions=2)
    campaign.sites.add(MediationSiteFactory(), MediationSiteFactory())
    campaign.save()  # a page's many-to-many is written when it is saved


EXPECTED = {
    Metric.DONOR_ORGANISATIONS: 2,
    Metric.PLEDGED_DEVICES: 32,
    Metric.RECEIVED_DEVICES: 5,
    Metric.REFURBISHED_DEVICES: 4,
    Metric.HANDED_OVER_DEVICES: 3,
    Metric.LENT_DEVICES: 2,
    Metric.MEDIATION_SITES: 2,
    Metric.PEOPLE_TRAINED: 1,
}


def test_each_campaign_counts_its_own_records_and_the_programme_all(campaigns):
    face, landes = campaigns
    records(face)
    DonorPledgeFactory(campaign=landes, organisation_name="Landes Bois", laptops=5)
    assert campaign_figures(face) == EXPECTED
    assert campaign_figures(landes) == dict.fromkeys(Metric.values, 0) | {
        Metric.DONOR_ORGANISATIONS: 1,
        Metric.PLEDGED_DEVICES: 5,
    }
    everything = campaign_figures(None)
    assert everything[Metric.DONOR_ORGANISATIONS] == 3
    assert everything[Metric.PLEDGED_DEVICES] == 37
    assert everything[Metric.MEDIATION_SITES] == 2


def test_figures_take_a_few_queries_whatever_the_number_of_records(campaigns):
    face, _landes = campaigns
    records(face)
    with CaptureQueriesContext(connection) as small:
        campaign_figures(face)
    records(face, scale=10)
    with CaptureQueriesContext(connection) as large:
        campaign_figures(face)
    # donors, pledged computers, devices, handover sheets; the sites (content)
    assert len(small) == len(large) <= 5


def test_the_campaign_page_shows_its_live_figures_with_an_accessible_progress_bar(
    client, campaigns
):
    face, _landes = campaigns
    records(face)
    publish(
        face,
        [
            live_figures(
                (Metric.HANDED_OVER_DEVICES, "", 12),
                (Metric.DONOR_ORGANISATIONS, "entreprises donatrices", None),
            )
        ],
    )
    html = client.get(face.url).content.decode()
    assert "<h2>Où en est-on ?</h2>" in html
    assert "<strong>3</strong> / 12" in html
    assert '<span class="key-figure__label">Ordinateurs remis</span>' in html
    assert 'role="progressbar"' in html and 'aria-valuenow="3"' in html
    assert 'aria-valuemax="12"' in html and 'aria-valuetext="3 sur 12 (25 %)"' in html
    assert '<rect width="25"' in html
    assert "<strong>2</strong>" in html and "entreprises donatrices" in html
    assert not re.search(r"\sstyle=", html.split("<main", 1)[1])  # the CSP forbids them


def test_on_another_page_the_figures_are_the_whole_programme(client, home, campaigns):
    face, landes = campaigns
    records(face)
    DonorPledgeFactory(campaign=landes, organisation_name="Landes Bois")
    page = StandardPageFactory(parent=home)
    publish(page, [live_figures((Metric.DONOR_ORGANISATIONS, "", None))])
    assert "<strong>3</strong>" in client.get(page.url).content.decode()


@pytest.fixture
def cached_campaign(settings, campaigns):
    settings.PAGE_CACHE = True
    face, _landes = campaigns
    return publish(
        face,
        [
            live_figures(
                (Metric.DONOR_ORGANISATIONS, "donateurs", None),
                (Metric.PLEDGED_DEVICES, "promis", None),
                (Metric.REFURBISHED_DEVICES, "reconditionnés", None),
                (Metric.HANDED_OVER_DEVICES, "remis", None),
                (Metric.LENT_DEVICES, "prêtés", None),
                (Metric.MEDIATION_SITES, "lieux", None),
                (Metric.PEOPLE_TRAINED, "formés", None),
            )
        ],
    )


def figure(html, label):
    match = re.search(
        r"<strong>(\d+)</strong>\s*<span class=\"key-figure__label\">" + label + "</span>", html
    )
    return int(match.group(1))


def cached_figure(client, page, label):
    """Read the page twice: the second answer must come from the cache."""
    client.get(page.url)
    response = client.get(page.url)
    assert response[HIT_HEADER] == "hit"
    return figure(response.content.decode(), label)


def test_a_cached_campaign_page_shows_the_new_figure_after_each_record_change(
    client, cached_campaign
):
    campaign = cached_campaign
    assert cached_figure(client, campaign, "donateurs") == 0

    pledge = DonorPledgeFactory(campaign=campaign, laptops=7)
    assert figure(client.get(campaign.url).content.decode(), "donateurs") == 1
    assert cached_figure(client, campaign, "promis") == 7
    pledge.transition("declined")
    assert figure(client.get(campaign.url).content.decode(), "promis") == 0

    device = DeviceFactory(campaign=campaign)
    assert cached_figure(client, campaign, "reconditionnés") == 0
    device.transition("in_refurbishment")
    device.transition("ready")
    assert cached_figure(client, campaign, "reconditionnés") == 1

    LoanFactory(campaign=campaign, device__campaign=campaign, device__lent_at=NOW)
    assert cached_figure(client, campaign, "prêtés") == 1

    sheet = HandoverSheetFactory(campaign=campaign, training_sessions=1)
    assert cached_figure(client, campaign, "remis") == 1
    assert cached_figure(client, campaign, "formés") == 1
    sheet.transition("cancelled")
    assert cached_figure(client, campaign, "formés") == 0

    campaign.sites.add(MediationSiteFactory())  # membership saved, not published
    campaign.save()
    assert cached_figure(client, campaign, "lieux") == 1
    campaign.sites.clear()
    campaign.save()
    assert figure(client.get(campaign.url).content.decode(), "lieux") == 0


def test_a_device_import_written_in_bulk_refreshes_the_figures(client, cached_campaign, tmp_path):
    campaign = cached_campaign
    DonorPledgeFactory(campaign=campaign, reference="DON-2026-00077")
    assert cached_figure(client, campaign, "reconditionnés") == 0
    path = tmp_path / "devices.csv"
    path.write_text(
        "inventory_code,type,brand,model,serial_number,status,source_pledge\n"
        "EQ-1,laptop,Dell,E7450,S1,ready,DON-2026-00077\n"
        "EQ-2,laptop,HP,840,S2,ready,DON-2026-00077\n"
    )
    call_command("import_devices", str(path))
    assert figure(client.get(campaign.url).content.decode(), "reconditionnés") == 2
