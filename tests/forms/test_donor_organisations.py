"""What a donor organisation is (forms.logistics.services.donors), counted the same
on the campaign page and in the admin indicators."""

import pytest

from content.enums import KeyFigureMetric as Metric
from content.metrics import campaign_figures
from forms.logistics.services.donors import donor_organisation_count
from forms.logistics.services.report import programme_report
from tests.factories import DeviceBatchFactory, DonorPledgeFactory, coordinated_campaign

pytestmark = pytest.mark.django_db


def test_a_donor_is_one_organisation_by_siret_else_by_name(campaign_index):
    campaign = coordinated_campaign(parent=campaign_index)
    pledge = DonorPledgeFactory
    # One company under two names, same SIRET (spaces around it as typed).
    pledge(campaign=campaign, organisation_name="Port de Lorient", siret="73282932000074")
    pledge(campaign=campaign, organisation_name="SA Port Lorient", siret="73282932000074")
    # One association without SIRET, under two spellings (ASCII: SQLite lowers no
    # other letters); a new pledge counts.
    pledge(campaign=campaign, organisation_name="Emmaus Lorient", siret="", status="new")
    pledge(campaign=campaign, organisation_name=" EMMAUS LORIENT ", siret="", status="closed")
    # Pledges that will not come.
    pledge(campaign=campaign, organisation_name="Refusé", siret="", status="declined")
    pledge(campaign=campaign, organisation_name="Retiré", siret="", status="withdrawn")
    # A public body's batch counts, unless a counted pledge already names it;
    # a purchase is no donation.
    DeviceBatchFactory(campaign=campaign, kind="public_body", supplier_name="Mairie de Lorient")
    DeviceBatchFactory(campaign=campaign, kind="public_body", supplier_name="port de lorient")
    DeviceBatchFactory(campaign=campaign, kind="purchase", supplier_name="Revendeur")

    assert donor_organisation_count(campaign) == 3
    assert campaign_figures(campaign)[Metric.DONOR_ORGANISATIONS] == 3
    report = programme_report(campaign)
    assert report["indicators"]["donor_organisations"]["value"] == 3
