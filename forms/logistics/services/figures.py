"""The key figures of a campaign: the one definition of each figure the campaign
page shows (content/metrics.py, which ``FormsConfig.ready()`` feeds with
``key_figures``) and the admin indicators repeat (``report.programme_report``
takes its key figures, and the devices received, refurbished, lent and handed
over of its OrdiPin40 table, from ``content.metrics.campaign_figures``, hence
from here), so that the two screens never show two numbers for one thing.

One query, whatever the number of records: the devices' aggregate (with their
loans), the pledges' and the handover sheets' figures and the donor organisations
(``donors``) in scalar subqueries of it. The mediation sites are counted by
``content``.

A campaign counts its devices and pledges by their campaign, and a handover
sheet by its own campaign, else its prescription's, else its device's
(``handover_campaign``): the indicators always counted sheets so, and a sheet
recorded without a campaign still belongs to the programme of what it hands over.
"""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from content.enums import KeyFigureMetric as Metric
from forms.enums import HandoverStatus, LoanStatus
from forms.kinds.handover.models import HandoverSheet
from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan
from forms.logistics.services.donors import donor_organisations, donor_pledges

# What counts as a computer in a pledge (not screens, smartphones or other devices).
PLEDGED_COMPUTERS = F("laptops") + F("desktops") + F("tablets")
LENDING_LOANS = (LoanStatus.ONGOING, LoanStatus.RETURNED)
# The figures counted here (the others, the mediation sites, by ``content``).
KEY_FIGURES = (
    Metric.DONOR_ORGANISATIONS,
    Metric.PLEDGED_DEVICES,
    Metric.RECEIVED_DEVICES,
    Metric.REFURBISHED_DEVICES,
    Metric.HANDED_OVER_DEVICES,
    Metric.LENT_DEVICES,
    Metric.PEOPLE_TRAINED,
)


class OneValue(Subquery):
    """A subquery of one value in an ``aggregate()``: it is evaluated once in the
    aggregate's single row (``aggregate`` accepts only aggregate expressions)."""

    contains_aggregate = True


def one_value(queryset, **aggregate):
    """``queryset``'s ``aggregate`` (one keyword), as a ``OneValue`` (0 when None)."""
    (name,) = aggregate
    values = queryset.order_by().values(_one=Value(1)).annotate(**aggregate)
    return Coalesce(OneValue(values.values(name), output_field=IntegerField()), 0)


def scoped(queryset, campaign):
    return queryset if campaign is None else queryset.filter(campaign=campaign)


def handover_campaign():
    """The campaign a handover sheet counts for: its own, else its prescription's,
    else its device's."""
    return Coalesce("campaign", "prescription__campaign", "device__campaign")


def recorded_handovers(campaign=None):
    """Handover sheets not cancelled, of ``campaign`` (``handover_campaign``)."""
    sheets = HandoverSheet.objects.exclude(status=HandoverStatus.CANCELLED)
    if campaign is None:
        return sheets
    return sheets.alias(counted_campaign=handover_campaign()).filter(counted_campaign=campaign.pk)


def key_figures(campaign=None):
    """Every key figure of ``campaign`` (None: the whole programme), as
    ``{KeyFigureMetric: int}``:

    - donor organisations: ``donors.donor_organisation_count``;
    - computers pledged: laptops, desktops and tablets of the pledges that will come;
    - computers received: every device taken in;
    - refurbished: devices with a refurbishment date;
    - handed over: devices marked so, plus recorded handover sheets of no such device;
    - lent: devices lent, or on a loan not cancelled;
    - people trained: recorded handover sheets with at least one training session.
    """
    on_loan = Exists(Loan.objects.filter(device=OuterRef("pk"), status__in=LENDING_LOANS))
    sheets = recorded_handovers(campaign)
    figures = scoped(Device.objects.all(), campaign).aggregate(
        received=Count("pk"),
        refurbished=Count("pk", filter=Q(refurbished_at__isnull=False)),
        handed_over=Count("pk", filter=Q(handed_over_at__isnull=False)),
        lent=Count("pk", filter=Q(lent_at__isnull=False) | Q(on_loan)),
        pledged=one_value(donor_pledges(campaign), n=Sum(PLEDGED_COMPUTERS)),
        sheets_handed_over=one_value(
            sheets,
            n=Count("pk", filter=Q(device__isnull=True) | Q(device__handed_over_at__isnull=True)),
        ),
        trained=one_value(sheets, n=Count("pk", filter=Q(training_sessions__gt=0))),
        **{
            f"donors_{i}": one_value(part, n=Count("key", distinct=True))
            for i, part in enumerate(donor_organisations(campaign))
        },
    )
    return {
        Metric.DONOR_ORGANISATIONS: figures["donors_0"] + figures["donors_1"],
        Metric.PLEDGED_DEVICES: figures["pledged"],
        Metric.RECEIVED_DEVICES: figures["received"],
        Metric.REFURBISHED_DEVICES: figures["refurbished"],
        Metric.HANDED_OVER_DEVICES: figures["handed_over"] + figures["sheets_handed_over"],
        Metric.LENT_DEVICES: figures["lent"],
        Metric.PEOPLE_TRAINED: figures["trained"],
    }
