"""What a mediation site's day starts with: the admin dashboard's queries.

Site staff get the detail of their own sites (prescriptions waiting, people in
training, handover sheets still to fill, lots, loans due); coordinators get one
line of counts per site and the sites that report late, counted on the records
of their own campaigns only (forms.access.scope); superusers on every record. Every list is bounded
and the number of queries does not grow with the number of records or sites.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from content.models import MediationSite
from forms.access import is_coordinator, scope, scoped_sites
from forms.enums import HandoverKind, HandoverStatus, LotStatus, PrescriptionStatus
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.handover.prefill import handover_form_urls, handover_url
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.loan import Loan
from forms.logistics.models.lot import Lot

LIST_LIMIT = 20  # lines per list; the "see all" link leads to the full listing
LOAN_NOTICE_DAYS = 30  # loans ending within this many days are shown
RECEIVED_LOTS_DAYS = 90  # lots delivered within this many days are shown
TO_FILL_STATUSES = (PrescriptionStatus.ACCEPTED, PrescriptionStatus.IN_TRAINING)
# Waiting for the site to accept the person: received, or granted by the committee.
SITE_WAITING_STATUSES = (PrescriptionStatus.RECEIVED, PrescriptionStatus.GRANTED)


def handover_overdue_days():
    """Days after which an accepted prescription without a handover sheet is late."""
    return getattr(settings, "HANDOVER_OVERDUE_DAYS", 30)


@dataclass
class SiteBoard:
    """The detail shown to a site's staff (one board for all their sites)."""

    sites: list
    waiting: list = field(default_factory=list)
    waiting_count: int = 0
    in_training: list = field(default_factory=list)
    in_training_count: int = 0
    to_fill: list = field(default_factory=list)
    to_fill_count: int = 0
    overdue_count: int = 0
    lots_expected: list = field(default_factory=list)
    lots_received: list = field(default_factory=list)
    loans_due: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (
            self.waiting_count
            or self.in_training_count
            or self.to_fill_count
            or self.lots_expected
            or self.lots_received
            or self.loans_due
        )


@dataclass
class SiteLine:
    """One site in the coordinators' overview."""

    site: MediationSite
    waiting: int = 0
    oldest_waiting: object = None
    in_training: int = 0
    to_fill: int = 0
    overdue: int = 0
    lots_expected: int = 0
    loans_due: int = 0


def _counted(queryset, limit=LIST_LIMIT):
    """(first ``limit`` rows, total) in one query when the list is short."""
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], queryset.count()


def handover_loans(today):
    """Computers lent with a handover sheet whose loan ends within LOAN_NOTICE_DAYS."""
    return HandoverSheet.objects.filter(
        status=HandoverStatus.RECORDED,
        handover_kind=HandoverKind.LOAN,
        loan_end_date__isnull=False,
        loan_end_date__lte=today + timedelta(days=LOAN_NOTICE_DAYS),
    )


def loans_due(sites, today):
    """Loans of the sites ending soon or past their end, soonest first (two queries):
    handover sheets of kind loan and the programme's loans (forms.Loan)."""
    soon = today + timedelta(days=LOAN_NOTICE_DAYS)
    rows = [
        {
            "reference": sheet.reference,
            "device_code": sheet.device_code,
            "ends_on": sheet.loan_end_date,
            "url": sheet.admin_url(),
        }
        for sheet in handover_loans(today)
        .filter(site__in=sites)
        .order_by("loan_end_date")[:LIST_LIMIT]
    ]
    rows += [
        {
            "reference": loan.reference,
            "device_code": loan.device.inventory_code,
            "ends_on": loan.due_date,
            "url": loan.admin_url(),
        }
        for loan in Loan.objects.ongoing()
        .filter(site__in=sites, due_date__lte=soon)
        .select_related("device")
        .order_by("due_date")[:LIST_LIMIT]
    ]
    rows.sort(key=lambda row: row["ends_on"])
    for row in rows:
        row["is_past_due"] = row["ends_on"] < today
    return rows[:LIST_LIMIT]


def site_board(user, now=None):
    """The staff's board for the sites they belong to (coordinators: their campaigns' sites)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sites = list(scoped_sites(user, MediationSite.objects.all()).order_by("nom")[:LIST_LIMIT])
    board = SiteBoard(sites=sites)
    if not sites:
        return board
    prescriptions = Prescription.objects.filter(site__in=sites).select_related("site")
    board.waiting, board.waiting_count = _counted(
        prescriptions.filter(status__in=SITE_WAITING_STATUSES).order_by("created_at", "pk")
    )
    board.in_training, board.in_training_count = _counted(
        prescriptions.filter(status=PrescriptionStatus.IN_TRAINING).order_by("updated_at", "pk")
    )
    to_fill = prescriptions.filter(status__in=TO_FILL_STATUSES, handover_sheets__isnull=True)
    board.to_fill, board.to_fill_count = _counted(to_fill.order_by("updated_at", "pk"))
    late = now - timedelta(days=handover_overdue_days())
    board.overdue_count = to_fill.filter(updated_at__lt=late).count()
    lots = Lot.objects.filter(site__in=sites).select_related("site")
    board.lots_expected = list(
        lots.filter(status=LotStatus.DRAFT).order_by("created_at")[:LIST_LIMIT]
    )
    board.lots_received = list(
        lots.filter(
            status=LotStatus.DELIVERED, delivered_at__gte=now - timedelta(days=RECEIVED_LOTS_DAYS)
        ).order_by("-delivered_at")[:LIST_LIMIT]
    )
    board.loans_due = loans_due(sites, today)
    for prescription in board.waiting:
        prescription.waiting_days = (now - prescription.created_at).days
    for prescription in board.to_fill:
        prescription.is_overdue = prescription.updated_at < late
    if board.to_fill or board.in_training:
        urls = handover_form_urls()
        fallback = reverse("forms_handoversheet_modeladmin_create")
        for prescription in (*board.in_training, *board.to_fill):
            prescription.handover_url = handover_url(prescription, urls) or fallback
    return board


def _per_site(queryset, **annotations):
    return {row.pop("site"): row for row in queryset.values("site").annotate(**annotations)}


def programme_overview(now=None, user=None):
    """Coordinators: one line per site with something to do, the late ones first
    (the records ``user`` may see; every record when no user is given)."""

    def scoped(queryset):
        return queryset if user is None else scope(user, queryset)

    now = now or timezone.now()
    today = timezone.localdate(now)
    late = now - timedelta(days=handover_overdue_days())
    prescriptions = _per_site(
        scoped(Prescription.objects)
        .filter(status__in=(*SITE_WAITING_STATUSES, *TO_FILL_STATUSES))
        .order_by(),
        waiting=Count("pk", distinct=True, filter=Q(status__in=SITE_WAITING_STATUSES)),
        in_training=Count("pk", distinct=True, filter=Q(status=PrescriptionStatus.IN_TRAINING)),
        to_fill=Count(
            "pk",
            distinct=True,
            filter=Q(status__in=TO_FILL_STATUSES, handover_sheets__isnull=True),
        ),
        overdue=Count(
            "pk",
            distinct=True,
            filter=Q(
                status__in=TO_FILL_STATUSES,
                handover_sheets__isnull=True,
                updated_at__lt=late,
            ),
        ),
    )
    oldest = _per_site(
        scoped(Prescription.objects).filter(status__in=SITE_WAITING_STATUSES).order_by(),
        oldest_waiting=Min("created_at"),
    )
    lots = _per_site(
        scoped(Lot.objects).filter(status=LotStatus.DRAFT).order_by(), lots_expected=Count("pk")
    )
    loans = _per_site(scoped(handover_loans(today)).order_by(), loans_due=Count("pk"))
    for site_id, row in _per_site(
        scoped(Loan.objects.ongoing())
        .filter(due_date__lte=today + timedelta(days=LOAN_NOTICE_DAYS))
        .order_by(),
        loans_due=Count("pk"),
    ).items():
        loans.setdefault(site_id, {"loans_due": 0})["loans_due"] += row["loans_due"]
    site_ids = set(prescriptions) | set(lots) | set(loans)
    sites = MediationSite.objects.filter(pk__in=site_ids).only("pk", "nom", "commune")
    lines = []
    for site in sites:
        line = SiteLine(site=site)
        for source in (prescriptions, oldest, lots, loans):
            for key, value in source.get(site.pk, {}).items():
                setattr(line, key, value)
        if line.oldest_waiting:
            line.waiting_days = (now - line.oldest_waiting).days
        lines.append(line)
    lines.sort(key=lambda line: (-line.overdue, -line.waiting, line.site.nom))
    return lines


def late_sites(lines):
    """Sites that have handover sheets overdue: they report late."""
    return [line for line in lines if line.overdue]


def dashboard_for(user, now=None):
    """What the admin home shows this user, or None when there is nothing for them."""
    if is_coordinator(user):
        lines = programme_overview(now, user)
        return {"overview": lines[:100], "late_sites": late_sites(lines), "site_count": len(lines)}
    board = site_board(user, now)
    if not board.sites:
        return None
    return {"board": board}
