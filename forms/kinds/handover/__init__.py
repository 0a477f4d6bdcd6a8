from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.enums import NotificationEvent
from forms.access import scope
from forms.engine.fields import site_field_for_staff
from forms.engine.kinds import AnswerRule, CoreField, FormKind, register
from forms.kinds.handover import reviews  # noqa: F401 (connects its receivers)
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.handover.prefill import from_prescription
from forms.kinds.handover.signals import find_device
from forms.kinds.prescription.models import Prescription


class PrescriptionReferenceField(forms.CharField):
    """A prescription reference (PRE-2026-00017) of one of the user's sites, still open."""

    def __init__(self, user=None, **kwargs):
        super().__init__(max_length=20, **kwargs)
        self.user = user

    def clean(self, value):
        reference = (super().clean(value) or "").strip().upper()
        if not reference:
            return None
        prescription = (
            scope(self.user, Prescription.objects.open()).filter(reference=reference).first()
        )
        if prescription is None:
            raise forms.ValidationError(
                _("No open prescription of your sites has the reference “%(reference)s”."),
                params={"reference": reference},
            )
        return prescription

    def prepare_value(self, value):
        return value.reference if isinstance(value, Prescription) else value


def prescription_field(common, context):
    return PrescriptionReferenceField(user=context.user, **common)


def device_in_stock(answers):
    """The inventory code must be one of the chosen site's allocated devices."""
    try:
        find_device(answers["site"], answers["device_code"])
    except ValidationError as error:
        return error.messages[0]
    return None


def committee_accepted(answers):
    """For a campaign with a committee, only a prescription it accepted is handed over."""
    prescription = answers.get("prescription")
    if not isinstance(prescription, Prescription):
        return None
    return prescription.committee_refusal(_("the computer cannot be handed over."))


def apply_handover_effects(sheet, by):
    sheet.apply_effects(by=by)


HANDOVER = register(
    FormKind(
        code="handover",
        label=gettext_lazy("Handover sheet"),
        model=HandoverSheet,
        reference_prefix="REM",
        staff_only=True,
        prefill=from_prescription,
        notification_event=NotificationEvent.HANDOVER,
        after_create=apply_handover_effects,
        rules=(
            AnswerRule(
                fields=("site", "device_code"),
                check=device_in_stock,
                error_field="device_code",
                creation_only=True,
            ),
            AnswerRule(
                fields=("prescription",),
                check=committee_accepted,
                error_field="prescription",
                creation_only=True,
            ),
        ),
        core_fields=(
            CoreField("site", required=True, form_field=site_field_for_staff),
            CoreField("handover_date", required=True),
            CoreField("device_code", required=True),
            CoreField("handover_kind", required=True),
            CoreField("loan_end_date"),
            CoreField("prescription", form_field=prescription_field),
            CoreField("sex", required=True),
            CoreField("age_class", required=True),
            CoreField("social_status", required=True),
            CoreField("prescriber_kind"),
            CoreField("diagnostic_tool", required=True),
            CoreField("training_sessions"),
            CoreField("training_hours"),
            CoreField("no_resale_accepted", required=True, consent_text_field="no_resale_text"),
            CoreField("ceremony_attended"),
            CoreField("accompanied"),
        ),
    )
)
