"""The programme's reuse report (OrdiPin40 figures, docs/PROGRAMME.md), computed in the
database in one aggregate query."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from forms.enums import DeviceStatus, LoanStatus
from forms.logistics.models.device import STAGE_FIELDS, Device
from forms.logistics.models.loan import Loan


def percent(part, whole):
    """part / whole in percent with one decimal (half up); None when whole is 0."""
    if not whole:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def programme_report(campaign=None):
    devices = Device.objects.all()
    if campaign is not None:
        devices = devices.filter(campaign=campaign)
    aggregates = {"taken_in": Count("pk")}
    names = {
        "eliminated": "eliminated",
        "refurbished": "refurbished",
        "returned_broken": "returned_broken",
        "lent": "lent",
        "transferred_to_sites": "transferred",
        "handed_over": "handed_over",
    }
    for key, stage in names.items():
        aggregates[key] = Count("pk", filter=Q(**{f"{STAGE_FIELDS[stage]}__isnull": False}))
    aggregates["in_stock"] = Count("pk", filter=Q(status=DeviceStatus.READY))
    aggregates["in_site_stock"] = Count("pk", filter=Q(status=DeviceStatus.ALLOCATED))
    aggregates["awaiting_refurbishment"] = Count(
        "pk", filter=Q(status__in=[DeviceStatus.RECEIVED, DeviceStatus.IN_REFURBISHMENT])
    )
    aggregates["recycled"] = Count("pk", filter=Q(status=DeviceStatus.RECYCLED))
    counts = devices.aggregate(**aggregates)
    return {
        "campaign": campaign.slug if campaign is not None else None,
        "devices": counts,
        "loans": loan_counts(campaign),
        "rates": {
            "eliminated_pct": percent(counts["eliminated"], counts["taken_in"]),
            "refurbished_pct": percent(counts["refurbished"], counts["taken_in"]),
            "returned_broken_pct": percent(counts["returned_broken"], counts["refurbished"]),
        },
    }


def programme_report_for_pledge(pledge):
    """What a donor may know of their pledge: counts only."""
    return pledge.devices.aggregate(
        received=Count("pk"),
        refurbished=Count("pk", filter=Q(refurbished_at__isnull=False)),
        transferred=Count("pk", filter=Q(transferred_at__isnull=False)),
        handed_over=Count("pk", filter=Q(handed_over_at__isnull=False)),
        recycled=Count("pk", filter=Q(status=DeviceStatus.RECYCLED)),
    )


def loan_counts(campaign=None):
    """Loans made, ongoing, returned and overdue today (one query)."""
    loans = Loan.objects.all()
    if campaign is not None:
        loans = loans.filter(campaign=campaign)
    today = timezone.localdate()
    return loans.aggregate(
        loans=Count("pk", filter=~Q(status=LoanStatus.CANCELLED)),
        ongoing=Count("pk", filter=Q(status=LoanStatus.ONGOING)),
        returned=Count("pk", filter=Q(status=LoanStatus.RETURNED)),
        overdue=Count("pk", filter=Q(status=LoanStatus.ONGOING, due_date__lt=today)),
    )
