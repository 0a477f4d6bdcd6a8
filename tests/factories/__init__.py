"""Factories for the models tests need, in one place shared by every test module."""

from tests.factories.content import (
    CampaignIndexPageFactory,
    CampaignPageFactory,
    HomePageFactory,
    ImageFactory,
    MapPageFactory,
    MediationSiteFactory,
    StandardPageFactory,
    UserFactory,
    coordinated_campaign,
    make_site_tree,
)
from tests.factories.devices import (
    DeviceBatchFactory,
    DeviceFactory,
    LoanFactory,
    OrganisationFactory,
)
from tests.factories.records import (
    DonorPledgeFactory,
    FormPageFactory,
    HandoverSheetFactory,
    PrescriptionFactory,
    criteria_for,
)
from tests.factories.steps import (
    core,
    extra_questions_step,
    handover_steps,
    pledge_steps,
    prescription_steps,
    stored_extra_answers,
)

__all__ = [
    "CampaignIndexPageFactory",
    "CampaignPageFactory",
    "DeviceBatchFactory",
    "DeviceFactory",
    "LoanFactory",
    "OrganisationFactory",
    "DonorPledgeFactory",
    "FormPageFactory",
    "HandoverSheetFactory",
    "HomePageFactory",
    "ImageFactory",
    "MapPageFactory",
    "MediationSiteFactory",
    "PrescriptionFactory",
    "StandardPageFactory",
    "UserFactory",
    "coordinated_campaign",
    "core",
    "criteria_for",
    "extra_questions_step",
    "handover_steps",
    "make_site_tree",
    "pledge_steps",
    "prescription_steps",
    "stored_extra_answers",
]
