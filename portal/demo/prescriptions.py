"""Demo prescriptions across statuses, campaign by campaign (key "campaign" in
fixtures/demo/prescriptions.json), each through its campaign's own prescription form:
each names a site of its campaign and one of the campaign's own criteria; Poitiers'
carry its committee's decisions, Anjou's the APTIC cheques given; the equipped ones
get a handover sheet through the campaign's handover form (FACE's with the ceremony
and the accompaniment).

Idempotent: a campaign that has prescriptions gets no more.
"""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from content.models import CampaignPage, MediationSite
from forms.engine.models.records import ReferenceCounter
from forms.enums import DeviceStatus
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.prescription.models import Prescription, PriorityCriterion
from forms.logistics.models.device import Device
from portal.demo.campaigns import own_coordinator
from portal.demo.fixtures import read_fixture

CONSENT = "Accord recueilli (données de démonstration)."


def record_day(campaign, day):
    """The ``day``-th day of the campaign's records: within its period once it is
    over, in the last month otherwise."""
    today = timezone.localdate()
    if campaign.end_date and campaign.end_date < today:
        return min(campaign.start_date + timedelta(days=30 + day), campaign.end_date)
    return today - timedelta(days=max(0, 30 - day))


def load_prescriptions(loader, forms):
    campaigns = {page.slug: page for page in CampaignPage.objects.all()}
    done = set(
        Prescription.objects.filter(campaign__isnull=False).values_list("campaign__slug", flat=True)
    )
    sites = {
        site.identifier: site
        for site in MediationSite.objects.filter(identifier__startswith="demo-")
    }
    for age, item in enumerate(read_fixture("prescriptions.json")):
        slug = item.pop("campaign")
        if slug in done or slug not in campaigns:
            continue
        campaign = campaigns[slug]
        statuses = item.pop("statuses")
        handover = item.pop("handover", None)
        refusal_reason = item.pop("refusal_reason", "outside_area")
        site = sites[item.pop("site")]
        criterion = PriorityCriterion.objects.filter(
            campaign=campaign, order=item.pop("criterion", None)
        ).first()
        if "aptic_cheques_value" in item:
            item["aptic_cheques_value"] = Decimal(item["aptic_cheques_value"])
        staff = next(iter(site.staff.all()), None) or own_coordinator(campaign)
        created_on = record_day(campaign, 3 * age % 30)
        after = item.pop("committee_after_days", None)
        if after is not None:  # the committee meets after the prescription, never later than today
            item["committee_meeting_date"] = min(
                created_on + timedelta(days=after), timezone.localdate()
            )
        own_forms = forms.get(slug, {})
        prescription = Prescription.objects.create(
            **item,
            site=site,
            priority_criterion=criterion,
            reference=ReferenceCounter.next_reference("PRE"),
            campaign=campaign,
            form_page=own_forms.get("prescription"),
            created_at=timezone.make_aware(
                datetime.datetime.combine(created_on, datetime.time(10, 0))
            ),
            beneficiary_agreement=True,
            beneficiary_agreement_text=CONSENT,
            prescriber_commitment=True,
            prescriber_commitment_text=CONSENT,
        )
        prescription.log_creation()
        for status in statuses:
            if status == Prescription.Status.EQUIPPED and handover:
                _hand_over(prescription, handover, own_forms.get("handover"), staff, created_on)
            else:
                prescription.transition(status, by=staff, refusal_reason=refusal_reason)


def _hand_over(prescription, data, form_page, by, prescribed_on):
    """Hand over one computer of the site's stock (delivered in a demo lot)."""
    device = (
        Device.objects.filter(
            site=prescription.site,
            campaign=prescription.campaign,
            status=DeviceStatus.ALLOCATED,
        )
        .order_by("pk")
        .first()
    )
    if device is None:
        return
    sheet = HandoverSheet.objects.create(
        device=device,
        device_code=device.inventory_code,
        **{**data, "training_hours": Decimal(data["training_hours"])},
        reference=ReferenceCounter.next_reference("REM"),
        site=prescription.site,
        campaign=prescription.campaign,
        form_page=form_page,
        handover_date=min(prescribed_on + timedelta(days=21), timezone.localdate()),
        prescription=prescription,
        prescriber_kind=prescription.prescriber_kind,
        no_resale_accepted=True,
        no_resale_text="Engagement de non-revente (données de démonstration).",
    )
    sheet.log_creation()
    sheet.apply_effects(by=by)
