"""Each demo campaign runs its own programme (fixtures/demo/campaigns.json, key
"programme"): its territory, coordinators, notification rules, mediation sites, committee rule,
donation-agreement wording, evaluation goals and ordered priority criteria.

Idempotent: the programme is written on a campaign that has none yet (no
départements), the criteria on a campaign that has no criteria of its own.
"""

from django.contrib.auth import get_user_model

from content.models import CampaignNotificationRule, MediationSite
from forms.kinds.prescription.models import PriorityCriterion

SCALAR_FIELDS = (
    "departments",
    "communes",
    "requires_committee",
    "uses_aptic_cheques",
    "uses_ceremony",
    "uses_income_criteria",
    "donation_agreement_wording",
)


def has_programme(campaign):
    return bool(campaign.departments)


def apply_programme(campaign, programme):
    """Set the programme on ``campaign`` (saved or not: parental relations are
    written with the page, so its next revision carries them)."""
    for name in SCALAR_FIELDS:
        setattr(campaign, name, programme.get(name, getattr(campaign, name)))
    for name, value in programme.get("goals", {}).items():
        setattr(campaign, name, value)
    campaign.coordinators = list(
        get_user_model().objects.filter(username__in=programme.get("coordinators", []))
    )
    campaign.sites = list(MediationSite.objects.filter(identifier__in=programme.get("sites", [])))
    # Who is told of what: the programme's own coordinator, not the demo's
    # all-programme account (which coordinates every campaign).
    campaign.notification_rules = [
        CampaignNotificationRule(**rule) for rule in programme.get("notification_rules", [])
    ]


def load_criteria(campaign, programme):
    """The campaign's own ordered criteria, created once."""
    if PriorityCriterion.objects.filter(campaign=campaign).exists():
        return 0
    criteria = PriorityCriterion.objects.bulk_create(
        PriorityCriterion(campaign=campaign, order=order, label=label)
        for order, label in enumerate(programme.get("criteria", []), 1)
    )
    return len(criteria)


def own_coordinator(campaign):
    """The campaign's own coordinator (not the demo's all-programme `coordination`)."""
    coordinators = campaign.coordinators.order_by("username")
    return coordinators.exclude(username="coordination").first() or coordinators.first()
