"""Demo prescription and handover forms (OrdiPin40), and prescriptions across statuses."""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from content.models import CampaignPage, MediationSite
from forms.enums import DeviceStatus
from forms.models import (
    Device,
    HandoverSheet,
    Prescription,
    PriorityCriterion,
    ReferenceCounter,
)
from portal.demo.fixtures import read_fixture
from portal.demo.form_pages import load_form_page

CONSENT = "Accord recueilli (données de démonstration)."
# The Poitiers programme's ordered criteria (docs/PROGRAMME.md): each demo campaign
# gets its own copy, editable on its own (no list is shared between campaigns).
DEMO_CRITERIA = [
    "Famille avec enfants sans ordinateur",
    "Demandeur d'emploi",
    "Autre famille suivie par un travailleur social",
    "Étudiant",
]


def load_priority_criteria():
    """Each campaign without criteria gets its own copy of the demo list."""
    with_own = set(PriorityCriterion.objects.values_list("campaign_id", flat=True))
    PriorityCriterion.objects.bulk_create(
        PriorityCriterion(label=label, order=order, campaign=campaign)
        for campaign in CampaignPage.objects.exclude(pk__in=with_own)
        for order, label in enumerate(DEMO_CRITERIA, 1)
    )


def load_prescriptions(loader):
    load_priority_criteria()
    prescription_form, _ = load_form_page(loader, "prescription_form.json")
    handover_form, _ = load_form_page(loader, "handover_form.json")
    if prescription_form is None or Prescription.objects.exists():
        return
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["mediation", "mediation2"])
    }
    criteria = {
        criterion.order: criterion
        for criterion in PriorityCriterion.objects.filter(campaign=prescription_form.campaign)
    }
    sites = {
        site.identifier: site
        for site in MediationSite.objects.filter(identifier__startswith="demo-")
    }
    for age, item in enumerate(read_fixture("prescriptions.json")):
        statuses = item.pop("statuses")
        handover = item.pop("handover", None)
        site = sites[item.pop("site")]
        criterion = criteria.get(item.pop("criterion", None))
        staff = next(iter(site.staff.all()), None) or users.get("mediation")
        prescription = Prescription.objects.create(
            **item,
            site=site,
            priority_criterion=criterion,
            reference=ReferenceCounter.next_reference("PRE"),
            campaign=prescription_form.campaign,
            form_page=prescription_form,
            created_at=timezone.now() - timedelta(days=30 - 3 * age),
            beneficiary_agreement=True,
            beneficiary_agreement_text=CONSENT,
            prescriber_commitment=True,
            prescriber_commitment_text=CONSENT,
        )
        prescription.log_creation()
        for status in statuses:
            if status == Prescription.Status.EQUIPPED and handover:
                _hand_over(prescription, handover, handover_form, staff)
            else:
                prescription.transition(status, by=staff, refusal_reason="outside_area")


def _hand_over(prescription, data, form_page, by):
    """Hand over one computer of the site's stock (delivered in a demo lot)."""
    device = (
        Device.objects.filter(site=prescription.site, status=DeviceStatus.ALLOCATED)
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
        campaign=form_page.campaign if form_page else None,
        form_page=form_page,
        handover_date=datetime.date.today() - timedelta(days=2),
        prescription=prescription,
        prescriber_kind=prescription.prescriber_kind,
        no_resale_accepted=True,
        no_resale_text="Engagement de non-revente (données de démonstration).",
    )
    sheet.log_creation()
    sheet.apply_effects(by=by)
