from django import forms
from django.utils.translation import gettext_lazy as _

from forms.fields import site_field_for_public
from forms.kinds import CoreField, FormKind, at_least_one, register
from forms.models import Prescription, PriorityCriterion


def criterion_field(common, context):
    campaign = context.page.campaign if context.page else None
    return forms.ModelChoiceField(
        queryset=PriorityCriterion.objects.for_campaign(campaign).order_by("order"),
        widget=forms.RadioSelect,
        empty_label=None,
        **common,
    )


def site_staff_addresses(record):
    return list(record.site.staff.exclude(email="").values_list("email", flat=True))


PRESCRIPTION = register(
    FormKind(
        code="prescription",
        label=_("Prescription sheet"),
        model=Prescription,
        reference_prefix="PRE",
        email_field="prescriber_email",
        staff_recipients=site_staff_addresses,
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
