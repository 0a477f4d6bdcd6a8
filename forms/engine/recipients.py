"""Who is told of what: the people of a campaign and of a mediation site who should act
on an event (a pledge, a prescription, a free-form answer, a committee decision, a
handover, a loan ending or overdue).

Each campaign may set its own rules (``content.CampaignNotificationRule``, its
"Notifications" tab); an event without a rule in its campaign uses ``DEFAULT_RULES``.
Every email itself still leaves through ``forms.engine.notifications.queue_email``:
this module only answers "to whom".
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from content.enums import NotificationEvent as Event
from content.enums import NotificationRecipients as To
from content.models import CampaignNotificationRule
from portal.roles import COORDINATION

# What a campaign without a rule for an event does.
DEFAULT_RULES = {
    Event.PLEDGE: (To.COORDINATORS,),
    Event.PRESCRIPTION: (To.SITE_STAFF,),
    Event.FORM_ANSWER: (To.COORDINATORS,),
    Event.COMMITTEE_DECISION: (To.SITE_STAFF, To.PRESCRIBER),
    Event.HANDOVER: (To.PRESCRIBER,),
    Event.LOAN_DUE: (),
    Event.LOAN_OVERDUE: (To.SITE_STAFF,),
}


@dataclass
class Audience:
    """The staff addresses to tell, and whether the prescriber is told too (they get
    their own wording: a follow link rather than an admin link)."""

    staff: list[str] = field(default_factory=list)
    prescriber: bool = False

    def __bool__(self):
        return bool(self.staff) or self.prescriber


def site_staff_addresses(site):
    """The active staff accounts of the site, with an address."""
    if site is None:
        return []
    return list(
        site.staff.filter(is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )


def coordinator_addresses(campaign):
    """The campaign's coordinators (its ``coordinators`` list, in the Coordination
    group: who alone see its records in forms.access), active and with an address."""
    campaign_id = getattr(campaign, "pk", campaign)
    if campaign_id is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            groups__name=COORDINATION, is_active=True, coordinated_campaigns=campaign_id
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def rules_for(event, campaign):
    """[(recipients, address)] of the campaign's rules for ``event``, else the defaults."""
    campaign_id = getattr(campaign, "pk", campaign)
    rules = []
    if campaign_id is not None:
        rules = list(
            CampaignNotificationRule.objects.filter(campaign_id=campaign_id, event=event)
            .order_by("sort_order", "pk")
            .values_list("recipients", "email")
        )
    return rules or [(recipients, "") for recipients in DEFAULT_RULES[Event(event)]]


def audience(event, campaign, site=None, extra=()):
    """Who to tell of ``event`` in ``campaign`` (at ``site``). A site without any
    staff account passes its share to the campaign's coordinators, so that someone
    acts. ``extra``: addresses added whatever the rules (a form's own addresses)."""
    staff = set(extra)
    prescriber = False
    for recipients, address in rules_for(event, campaign):
        if recipients == To.COORDINATORS:
            staff.update(coordinator_addresses(campaign))
        elif recipients == To.SITE_STAFF:
            staff.update(site_staff_addresses(site) or coordinator_addresses(campaign))
        elif recipients == To.PRESCRIBER:
            prescriber = True
        elif recipients == To.ADDRESS and address:
            staff.add(address)
    return Audience(staff=sorted(address for address in staff if address), prescriber=prescriber)
