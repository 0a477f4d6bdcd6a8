from content.models.base import BasePage
from content.models.campaign import CampaignIndexPage, CampaignNotificationRule, CampaignPage
from content.models.home import HomePage
from content.models.map_page import MapPage
from content.models.mediation_site import MediationSite
from content.models.navigation import NavigationSettings
from content.models.organisation import Organisation
from content.models.standard import StandardPage

__all__ = [
    "BasePage",
    "CampaignIndexPage",
    "CampaignNotificationRule",
    "CampaignPage",
    "HomePage",
    "MapPage",
    "MediationSite",
    "NavigationSettings",
    "Organisation",
    "StandardPage",
]
