"""The programme's report: the reuse figures (OrdiPin40, docs/PROGRAMME.md) and the
evaluation indicators (FACE) against the campaign's goals.

Everything is counted in the database, in a fixed number of aggregate queries
(``REPORT_QUERIES``) whatever the number of records. A campaign's report counts
only its own records: devices, lots, loans, pledges, batches and prescriptions by
their campaign; a handover sheet by its campaign, else its prescription's, else
its device's (``figures.handover_campaign``).

The key figures (donor organisations, computers pledged, received, refurbished,
handed over, lent, people trained, the campaign's mediation sites) are the campaign
page's own: ``content.metrics.campaign_figures``, fed by ``figures.key_figures``.
The report shows them as they are (``key_figures``) and its OrdiPin40 table takes
the devices received, refurbished, lent and handed over from them.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from content.enums import KeyFigureMetric as Metric
from content.metrics import campaign_figures
from content.models import MediationSite
from forms.enums import (
    DeviceStatus,
    DocumentKind,
    LoanStatus,
    LotStatus,
)
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.device import STAGE_FIELDS, Device
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.models.loan import Loan
from forms.logistics.models.lot import Lot
from forms.logistics.services.figures import recorded_handovers

# The key figures (campaign_figures: 2, the campaign's sites, and the devices with
# donors, pledged computers and handover sheets in subqueries), the other device
# stages, loans, sites served, transfer agreements, handovers, APTIC cheques.
REPORT_QUERIES = 8
# The OrdiPin40 table's stages that are key figures of the campaign page.
DEVICE_KEY_FIGURES = {
    "taken_in": Metric.RECEIVED_DEVICES,
    "refurbished": Metric.REFURBISHED_DEVICES,
    "lent": Metric.LENT_DEVICES,
    "handed_over": Metric.HANDED_OVER_DEVICES,
}

# The evaluation indicators, their goal field on the CampaignPage and their unit.
INDICATORS = {
    "donor_organisations": ("goal_donor_organisations", "count"),
    "refurbishers": ("goal_refurbishers", "count"),
    "ceremony_pct": ("goal_ceremony_pct", "pct"),
    "accompanied_pct": ("goal_accompanied_pct", "pct"),
    "reviews_pct": ("goal_reviews_pct", "pct"),
}
INDICATOR_LABELS = {
    "donor_organisations": _("Donor organisations"),
    "refurbishers": _("Refurbishers"),
    "ceremony_pct": _("Beneficiaries at the handover ceremony"),
    "accompanied_pct": _("Beneficiaries accompanied"),
    "reviews_pct": _("One-year reviews done"),
}


def percent(part, whole):
    """part / whole in percent with one decimal (half up); None when whole is 0."""
    if not whole:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _of_campaign(queryset, campaign, field="campaign"):
    return queryset if campaign is None else queryset.filter(**{field: campaign})


def programme_report(campaign=None):
    key = campaign_figures(campaign)  # the campaign page's figures, by the same function
    devices = _of_campaign(Device.objects.all(), campaign)
    aggregates = {}
    for stage in ("eliminated", "returned_broken", "transferred"):
        aggregates[stage] = Count("pk", filter=Q(**{f"{STAGE_FIELDS[stage]}__isnull": False}))
    aggregates["in_stock"] = Count("pk", filter=Q(status=DeviceStatus.READY))
    aggregates["in_site_stock"] = Count("pk", filter=Q(status=DeviceStatus.ALLOCATED))
    aggregates["awaiting_refurbishment"] = Count(
        "pk", filter=Q(status__in=[DeviceStatus.RECEIVED, DeviceStatus.IN_REFURBISHMENT])
    )
    aggregates["recycled"] = Count("pk", filter=Q(status=DeviceStatus.RECYCLED))
    aggregates["sites_transferred_to"] = Count(
        "site", distinct=True, filter=Q(transferred_at__isnull=False)
    )
    aggregates["refurbishers"] = Count("refurbisher", distinct=True)
    stages = devices.aggregate(**aggregates)
    refurbishers = stages.pop("refurbishers")
    figure = {name: key[metric] for name, metric in DEVICE_KEY_FIGURES.items()}
    counts = {
        "taken_in": figure["taken_in"],
        "eliminated": stages.pop("eliminated"),
        "refurbished": figure["refurbished"],
        "returned_broken": stages.pop("returned_broken"),
        "lent": figure["lent"],
        "transferred_to_sites": stages.pop("transferred"),
        "handed_over": figure["handed_over"],
        **stages,
    }
    handovers = handover_counts(campaign)
    figures = {
        "donor_organisations": key[Metric.DONOR_ORGANISATIONS],
        "refurbishers": refurbishers,
        "ceremony_pct": percent(handovers["ceremony"], handovers["recorded"]),
        "accompanied_pct": percent(handovers["accompanied"], handovers["recorded"]),
        "reviews_pct": percent(handovers["reviews_done"], handovers["reviews_due"]),
    }
    return {
        "campaign": campaign.slug if campaign is not None else None,
        "key_figures": {str(metric): value for metric, value in key.items()},
        "devices": counts,
        "loans": loan_counts(campaign),
        "rates": {
            "eliminated_pct": percent(counts["eliminated"], counts["taken_in"]),
            "refurbished_pct": percent(counts["refurbished"], counts["taken_in"]),
            "returned_broken_pct": percent(counts["returned_broken"], counts["refurbished"]),
        },
        "sites_served": sites_served_count(campaign),
        "transfer_agreements": transfer_agreement_count(campaign),
        "handovers": handovers,
        "aptic": aptic_cheques(campaign),
        "indicators": indicators(figures, campaign),
    }


def indicators(figures, campaign=None):
    """Each evaluation indicator: its value, the campaign's goal and whether it is met
    (None when there is no goal, or nothing to measure yet)."""
    result = {}
    for key, (goal_field, unit) in INDICATORS.items():
        value = figures[key]
        goal = getattr(campaign, goal_field, None) if campaign is not None else None
        met = None if goal is None or value is None else value >= goal
        result[key] = {"value": value, "goal": goal, "unit": unit, "met": met}
    return result


def handover_counts(campaign=None):
    """Recorded handovers, at the ceremony, accompanied; one-year reviews due and done
    (one query)."""
    year_ago = timezone.localdate() - timedelta(days=settings.ONE_YEAR_REVIEW_DAYS)
    due = Q(handover_date__lte=year_ago)
    return recorded_handovers(campaign).aggregate(
        recorded=Count("pk"),
        ceremony=Count("pk", filter=Q(ceremony_attended=True)),
        accompanied=Count("pk", filter=Q(accompanied=True)),
        reviews_due=Count("pk", filter=due),
        reviews_done=Count("pk", filter=due & Q(one_year_review__answered_at__isnull=False)),
    )


def sites_served_count(campaign=None):
    """Mediation sites that received a lot or devices, or handed one over (one query)."""
    site = OuterRef("pk")
    lots = _of_campaign(Lot.objects.filter(site=site, status=LotStatus.DELIVERED), campaign)
    devices = _of_campaign(Device.objects.filter(site=site, transferred_at__isnull=False), campaign)
    handovers = recorded_handovers(campaign).filter(site=site)
    return MediationSite.objects.filter(Exists(lots) | Exists(devices) | Exists(handovers)).count()


def campaign_lots(campaign=None):
    """Lots of the campaign: by their own campaign, or the campaign of their devices."""
    lots = Lot.objects.exclude(status=LotStatus.CANCELLED)
    if campaign is None:
        return lots
    devices = Device.objects.filter(lot=OuterRef("pk"), campaign=campaign)
    return lots.filter(Q(campaign=campaign) | Q(Exists(devices)))


def transfer_agreement_count(campaign=None):
    """Lots with a transfer agreement generated (a regenerated one counts once; one query)."""
    return (
        GeneratedDocument.objects.filter(
            kind=DocumentKind.TRANSFER_AGREEMENT,
            content_type__app_label=Lot._meta.app_label,
            content_type__model=Lot._meta.model_name,
            object_id__in=campaign_lots(campaign).values("pk"),
        )
        .values("object_id")
        .distinct()
        .count()
    )


def aptic_cheques(campaign=None):
    """APTIC cheques given (count and value in €), per site and in all (one query)."""
    rows = (
        _of_campaign(Prescription.objects.all(), campaign)
        .filter(Q(aptic_cheques__gt=0) | Q(aptic_cheques_value__gt=0))
        .values("site_id")
        .annotate(site_name=F("site__nom"), cheques=Sum("aptic_cheques"))
        .annotate(value=Sum("aptic_cheques_value"))
        .order_by("site__nom", "site_id")
    )
    per_site = [
        {
            "site": row["site_name"],
            "cheques": row["cheques"] or 0,
            "value": Decimal(row["value"] or 0).quantize(Decimal("0.01")),
        }
        for row in rows
    ]
    return {
        "cheques": sum(row["cheques"] for row in per_site),
        "value": sum((row["value"] for row in per_site), Decimal("0.00")),
        "per_site": per_site,
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
    loans = _of_campaign(Loan.objects.all(), campaign)
    today = timezone.localdate()
    return loans.aggregate(
        loans=Count("pk", filter=~Q(status=LoanStatus.CANCELLED)),
        ongoing=Count("pk", filter=Q(status=LoanStatus.ONGOING)),
        returned=Count("pk", filter=Q(status=LoanStatus.RETURNED)),
        overdue=Count("pk", filter=Q(status=LoanStatus.ONGOING, due_date__lt=today)),
    )


SECTION_LABELS = {
    "devices": _("Devices"),
    "rates": _("Rates (%)"),
    "loans": _("Loans"),
    "network": _("Mediation sites"),
    "handovers": pgettext_lazy("indicators", "Handovers"),
    "aptic": pgettext_lazy("indicators", "APTIC cheques"),
    "aptic_cheques": _("APTIC cheques per site"),
    "aptic_value": _("Value of the APTIC cheques per site (€)"),
    "indicators": pgettext_lazy("indicators", "Evaluation indicators"),
    "key_figures": _("Key figures (as on the campaign page)"),
}
FIGURE_LABELS = {
    "taken_in": _("Taken in"),
    "eliminated": _("Eliminated"),
    "refurbished": _("Refurbished"),
    "returned_broken": _("Returned broken"),
    "lent": _("Lent"),
    "transferred_to_sites": _("Transferred to sites"),
    "handed_over": _("Handed over"),
    "in_stock": _("Ready in stock"),
    "in_site_stock": _("In the sites' stock"),
    "awaiting_refurbishment": pgettext_lazy("indicators", "Awaiting refurbishment"),
    "recycled": _("Recycled"),
    "sites_transferred_to": _("Sites that received devices"),
    "eliminated_pct": _("Eliminated"),
    "refurbished_pct": _("Refurbished"),
    "returned_broken_pct": _("Returned broken (of refurbished)"),
    "loans": _("Loans"),
    "ongoing": pgettext_lazy("indicators", "Ongoing loans"),
    "returned": _("Loans returned"),
    "overdue": _("Overdue loans"),
    "sites_served": pgettext_lazy("indicators", "Mediation sites served"),
    "transfer_agreements": pgettext_lazy("indicators", "Transfer agreements"),
    "recorded": pgettext_lazy("indicators", "Handovers recorded"),
    "ceremony": _("At the handover ceremony"),
    "accompanied": pgettext_lazy("indicators", "Accompanied"),
    "reviews_due": _("One-year reviews due"),
    "reviews_done": _("One-year reviews done"),
    "cheques": _("Cheques given"),
    "value": pgettext_lazy("indicators", "Value (€)"),
    **INDICATOR_LABELS,
    **dict(Metric.choices),
}


def report_rows(report, labelled=False):
    """The report as flat rows (section, figure, value, goal, met) for CSV and XLSX;
    with ``labelled``, sections and figures carry their French labels."""
    rows = []

    def add(section, figure, value, goal="", met=""):
        rows.append([section, figure, "" if value is None else value, goal, met])

    for key, value in report["key_figures"].items():
        add("key_figures", key, value)
    for section in ("devices", "rates", "loans"):
        for key, value in report[section].items():
            add(section, key, value)
    add("network", "sites_served", report["sites_served"])
    add("network", "transfer_agreements", report["transfer_agreements"])
    for key, value in report["handovers"].items():
        add("handovers", key, value)
    add("aptic", "cheques", report["aptic"]["cheques"])
    add("aptic", "value", report["aptic"]["value"])
    for row in report["aptic"]["per_site"]:
        add("aptic_cheques", row["site"], row["cheques"])
        add("aptic_value", row["site"], row["value"])
    for key, indicator in report["indicators"].items():
        met = "" if indicator["met"] is None else indicator["met"]
        goal = "" if indicator["goal"] is None else indicator["goal"]
        add("indicators", key, indicator["value"], goal, met)
    if labelled:
        for row in rows:
            section = row[0]
            row[0] = str(SECTION_LABELS[section])
            if section not in ("aptic_cheques", "aptic_value"):
                row[1] = str(FIGURE_LABELS[row[1]])
            if row[4] != "":
                met = pgettext_lazy("indicators", "met")
                row[4] = str(met if row[4] else pgettext_lazy("indicators", "not met"))
    return rows
