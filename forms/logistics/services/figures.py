"""The live key figures of a campaign counted from its records (content/metrics.py
shows them; ``FormsConfig.ready()`` registers ``campaign_metrics`` there).

Four queries, whatever the number of records: donor organisations, pledged
computers, devices (with their loans), handover sheets. The mediation sites are
counted by ``content``. Donor organisations are counted by ``donors`` (the admin
indicators count them with the same function).
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from content.enums import KeyFigureMetric as Metric
from forms.enums import HandoverStatus, LoanStatus
from forms.kinds.handover.models import HandoverSheet
from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan
from forms.logistics.services.donors import donor_organisation_count, donor_pledges

# What counts as a computer in a pledge (not screens, smartphones or other devices).
PLEDGED_COMPUTERS = F("laptops") + F("desktops") + F("tablets")
LENDING_LOANS = (LoanStatus.ONGOING, LoanStatus.RETURNED)


def scoped(queryset, campaign):
    return queryset if campaign is None else queryset.filter(campaign=campaign)


def campaign_metrics(campaign):
    """Donor organisations (``donors.donor_organisation_count``), computers pledged
    (by the pledges that will come), refurbished,
    handed over (devices marked so, plus recorded handover sheets of no such
    device), lent (devices lent or on a loan not cancelled) and people trained
    (recorded handover sheets with at least one training session)."""
    pledged = donor_pledges(campaign).aggregate(total=Coalesce(Sum(PLEDGED_COMPUTERS), 0))
    on_loan = Exists(Loan.objects.filter(device=OuterRef("pk"), status__in=LENDING_LOANS))
    devices = scoped(Device.objects.all(), campaign).aggregate(
        refurbished=Count("pk", filter=Q(refurbished_at__isnull=False)),
        handed_over=Count("pk", filter=Q(handed_over_at__isnull=False)),
        lent=Count("pk", filter=Q(lent_at__isnull=False) | Q(on_loan)),
    )
    sheets = scoped(
        HandoverSheet.objects.exclude(status=HandoverStatus.CANCELLED), campaign
    ).aggregate(
        handed_over=Count(
            "pk", filter=Q(device__isnull=True) | Q(device__handed_over_at__isnull=True)
        ),
        trained=Count("pk", filter=Q(training_sessions__gt=0)),
    )
    return {
        Metric.DONOR_ORGANISATIONS: donor_organisation_count(campaign),
        Metric.PLEDGED_DEVICES: pledged["total"],
        Metric.REFURBISHED_DEVICES: devices["refurbished"],
        Metric.HANDED_OVER_DEVICES: devices["handed_over"] + sheets["handed_over"],
        Metric.LENT_DEVICES: devices["lent"],
        Metric.PEOPLE_TRAINED: sheets["trained"],
    }
