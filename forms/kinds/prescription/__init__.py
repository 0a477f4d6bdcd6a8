from django import forms
from django.dispatch import receiver
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from content.enums import NotificationEvent
from forms.engine.fields import site_field_for_public
from forms.engine.kinds import CoreField, FormKind, at_least_one, register
from forms.engine.models.records import status_changed
from forms.engine.notifications import notify_prescriber_of_handover, notify_prescriber_of_status
from forms.engine.recipients import audience, site_staff_addresses
from forms.kinds.prescription.models import Prescription, PriorityCriterion


def criterion_field(common, context):
    """The campaign's own criteria; asked only when the campaign has some."""
    campaign = context.page.campaign if context.page else None
    queryset = PriorityCriterion.objects.for_campaign(campaign).order_by("order")
    if common.get("required") and not queryset.exists():
        common = {**common, "required": False}
    return forms.ModelChoiceField(
        queryset=queryset, widget=forms.RadioSelect, empty_label=None, **common
    )


def prescription_recipients(record):
    """The staff told of a new (or waiting) prescription: its campaign's rules, by
    default the site's staff, the campaign's coordinators when the site has no staff
    account (forms/engine/recipients.py)."""
    return audience(NotificationEvent.PRESCRIPTION, record.campaign_id, site=record.site).staff


def who_handles(record):
    """What the prescriber is told on the thank-you page and in the acknowledgement:
    the next step as the campaign runs it (its committee decides first, when it has one)."""
    if record.needs_committee:
        return gettext(
            "The allocation committee of the campaign “%(campaign)s” will first examine your "
            "prescription; the site “%(site)s” will contact the person only if the committee "
            "accepts it."
        ) % {"campaign": record.campaign.title, "site": record.site.nom}
    if site_staff_addresses(record.site):
        return gettext(
            "The site “%(site)s” has received your prescription and will contact the person."
        ) % {"site": record.site.nom}
    return gettext(
        "The site “%(site)s” does not use this portal yet: the programme's coordinators have "
        "received your prescription and will pass it on to the site."
    ) % {"site": record.site.nom}


@receiver(status_changed, sender=Prescription)
def tell_prescriber(sender, record, **kwargs):
    if record.status == Prescription.Status.EQUIPPED:
        # The computer was handed over: the prescriber unless the campaign's rules say not.
        if audience(NotificationEvent.HANDOVER, record.campaign_id, site=record.site).prescriber:
            notify_prescriber_of_handover(record)
    elif not record.decided_by_committee(record.status):
        notify_prescriber_of_status(record)  # the committee's decision has its own emails


PRESCRIPTION = register(
    FormKind(
        code="prescription",
        label=_("Prescription sheet"),
        model=Prescription,
        reference_prefix="PRE",
        email_field="prescriber_email",
        acknowledge_answers=False,  # the beneficiary's details never go to an unverified address
        notification_event=NotificationEvent.PRESCRIPTION,
        handled_by=who_handles,
        follow_url=lambda record: record.follow_url(),
        rules=(
            at_least_one(
                "beneficiary_phone",
                "beneficiary_email",
                message=_(
                    "Give at least one way to reach the person: a phone number or an email address."
                ),
            ),
        ),
        core_fields=(
            CoreField("prescriber_kind", required=True),
            CoreField("prescriber_organisation", required=True),
            CoreField("prescriber_name", required=True),
            CoreField("prescriber_email", required=True),
            CoreField("prescriber_phone"),
            CoreField("beneficiary_first_name", required=True),
            CoreField("beneficiary_last_name", required=True),
            CoreField("beneficiary_phone"),
            CoreField("beneficiary_email"),
            CoreField("commune", required=True),
            CoreField("postcode", required=True),
            CoreField("household_adults"),
            CoreField("household_children"),
            CoreField("priority_criterion", required=True, form_field=criterion_field),
            CoreField("situation", required=True),
            CoreField("needs", required=True),
            CoreField("owned_equipment"),
            CoreField("site", required=True, form_field=site_field_for_public),
            CoreField("aptic_cheques"),
            CoreField("aptic_cheques_value"),
            CoreField("family_quotient"),
            CoreField(
                "beneficiary_agreement",
                required=True,
                consent_text_field="beneficiary_agreement_text",
            ),
            CoreField(
                "prescriber_commitment",
                required=True,
                consent_text_field="prescriber_commitment_text",
            ),
        ),
    )
)
