"""A campaign's allocation committee: who decides, what waits for a decision, and
recording a decision on one or several prescriptions at once.

When a campaign ``requires_committee``, its prescriptions wait for the committee:
accepted (status "granted": the site may accept the person and hand over), refused
(the prescription is closed as "not eligible"), or on the waiting list (status
"waiting_list", examined again at a later meeting). Each decision is emailed to
the site's staff and the prescriber (or whom the campaign's rules name). The rules that depend on the decision live on the models
(``Prescription.committee_refusal``) and the handover kind's rules.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from content.enums import NotificationEvent
from content.models import CampaignPage
from forms import access
from forms.engine.notifications import notify_committee_decision
from forms.engine.recipients import audience
from forms.enums import CommitteeDecision, RefusalReason
from forms.kinds.prescription.models import STATUS_OF_DECISION, Prescription

WAITING_DECISIONS = ("", CommitteeDecision.WAITING_LIST)


def committee_campaigns(user):
    """The campaigns with a committee whose decisions ``user`` records."""
    campaigns = CampaignPage.objects.filter(requires_committee=True).order_by("title")
    if not user or not user.is_authenticated or not user.is_active:
        return campaigns.none()
    if user.is_superuser:
        return campaigns
    if not user.has_perm("forms.change_prescription"):
        return campaigns.none()
    return campaigns.filter(pk__in=access.campaign_ids_of(user))


def has_committee_work(user):
    """Whether ``user`` records a committee's decisions (no query once their campaigns
    are known: the admin menu asks on every page)."""
    return bool(access.committee_campaign_ids_of(user)) and user.has_perm(
        "forms.change_prescription"
    )


def may_decide(user, campaign):
    """The campaign's coordinators (and superusers) record its committee's decisions."""
    if campaign is None or not campaign.requires_committee:
        return False
    return committee_campaigns(user).filter(pk=campaign.pk).exists()


def campaign_prescriptions(user, campaign):
    """The campaign's prescriptions ``user`` may see: the committee's one scoping point."""
    return access.scope(user, Prescription.objects.filter(campaign=campaign))


def waiting_prescriptions(user, campaign):
    """Open prescriptions without a decision or on the waiting list, ranked by the
    campaign's ordered criteria, then oldest first."""
    return (
        campaign_prescriptions(user, campaign)
        .open()
        .filter(committee_decision__in=WAITING_DECISIONS)
        .select_related("priority_criterion", "site")
        .order_by(models.F("priority_criterion__order").asc(nulls_last=True), "created_at", "pk")
    )


def decision_note(decision, meeting_date):
    """The history line of a decision (the reason stays on the record, not in the log)."""
    return _("Allocation committee of %(date)s: %(decision)s.") % {
        "date": meeting_date.strftime("%d/%m/%Y"),
        "decision": CommitteeDecision(decision).label,
    }


def apply_decision_effects(prescription, by=None):
    """The decision becomes the prescription's status ("Reçue → Accordée par le comité",
    "→ Sur liste d'attente", a refusal closes it as "not eligible") when its status
    allows; otherwise it is only logged."""
    if not prescription.committee_decision:
        return  # a decision taken back: the status stays as it is
    note = decision_note(prescription.committee_decision, prescription.committee_meeting_date)
    target = STATUS_OF_DECISION[prescription.committee_decision]
    if prescription.status != target and prescription.can_transition(target):
        prescription.transition(
            target,
            by=by,
            note=note,
            refusal_reason=RefusalReason.NOT_ELIGIBLE
            if target == Prescription.Status.REFUSED
            else "",
        )
    else:
        prescription.log_change(by=by, note=note)


def tell_of_decision(prescription):
    """Email the decision to the people its campaign's rules name (by default the
    site's staff and the prescriber)."""
    told = audience(
        NotificationEvent.COMMITTEE_DECISION, prescription.campaign_id, site=prescription.site
    )
    return notify_committee_decision(
        prescription,
        str(CommitteeDecision(prescription.committee_decision).label),
        told.staff,
        told.prescriber,
    )


def record_decision(prescription, decision, meeting_date, reason="", by=None):
    """Record the committee's decision on one prescription: its status, its history
    and its emails, all or nothing."""
    prescription.committee_decision = decision
    prescription.committee_meeting_date = meeting_date
    prescription.committee_reason = (reason or "").strip()
    errors = prescription.committee_errors()
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prescription.save(
            update_fields=[
                "committee_decision",
                "committee_meeting_date",
                "committee_reason",
                "updated_at",
            ]
        )
        apply_decision_effects(prescription, by=by)
        tell_of_decision(prescription)
    return prescription


def record_decisions(prescriptions, decision, meeting_date, reason="", by=None):
    """The same decision for several prescriptions of one meeting, all or nothing."""
    with transaction.atomic():
        for prescription in prescriptions:
            record_decision(prescription, decision, meeting_date, reason=reason, by=by)
    return len(prescriptions)
