import datetime

from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from import_export import fields

from forms.models import DonorPledge, HandoverSheet, Prescription
from portal.exports import SafeExportResource


class RecordResource(SafeExportResource):
    """Export of records: every column with its French header, plus the extra answers."""

    campaign = fields.Field(attribute="campaign__title", column_name=str(_("campaign")))
    status = fields.Field(attribute="get_status_display", column_name=str(_("status")))
    extra_answers = fields.Field(column_name=str(_("other answers")))

    def dehydrate_extra_answers(self, record):
        return "\n".join(f"{label} : {value}" for label, value in record.extra_answer_items())

    def export_field(self, field, instance, **kwargs):
        model_field = self._model_field(field.attribute)
        value = getattr(instance, field.attribute, None) if model_field else None
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value or ""))
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, datetime.datetime):
            return localtime(value).strftime("%d/%m/%Y %H:%M")
        return super().export_field(field, instance, **kwargs)

    def get_export_headers(self, selected_fields=None):
        headers = []
        for field in self.get_export_fields(selected_fields):
            model_field = self._model_field(field.attribute)
            headers.append(str(model_field.verbose_name) if model_field else field.column_name)
        return headers

    def _model_field(self, attribute):
        try:
            return self._meta.model._meta.get_field(attribute or "")
        except Exception:  # noqa: BLE001 - a computed column
            return None


class DonorPledgeResource(RecordResource):
    equipment_total = fields.Field(
        attribute="equipment_total", column_name=str(_("equipment total"))
    )
    accessories = fields.Field(
        attribute="accessories_display", column_name=str(_("accessories included"))
    )

    class Meta:
        model = DonorPledge
        fields = (
            "reference",
            "created_at",
            "status",
            "campaign",
            "organisation_name",
            "siret",
            "organisation_kind",
            "sector",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "address",
            "postcode",
            "city",
            "pickup_address",
            "pickup_postcode",
            "pickup_city",
            "laptops",
            "desktops",
            "screens",
            "tablets",
            "smartphones",
            "other_devices",
            "equipment_total",
            "equipment_age",
            "operating_system",
            "accessories",
            "erasure_by",
            "pickup_availability",
            "attend_ceremony",
            "terms_accepted",
            "extra_answers",
        )
        export_order = fields


class PrescriptionResource(RecordResource):
    priority_criterion = fields.Field(
        attribute="priority_criterion__label", column_name=str(_("priority criterion"))
    )
    site = fields.Field(attribute="site__nom", column_name=str(_("mediation site")))
    needs = fields.Field(column_name=str(_("needs")))
    owned_equipment = fields.Field(column_name=str(_("equipment already owned")))

    def dehydrate_needs(self, record):
        return record._meta.get_field("needs").display(record.needs)

    def dehydrate_owned_equipment(self, record):
        return record._meta.get_field("owned_equipment").display(record.owned_equipment)

    class Meta:
        model = Prescription
        fields = (
            "reference",
            "created_at",
            "status",
            "campaign",
            "site",
            "priority_criterion",
            "prescriber_kind",
            "prescriber_organisation",
            "prescriber_name",
            "prescriber_email",
            "prescriber_phone",
            "beneficiary_first_name",
            "beneficiary_last_name",
            "beneficiary_phone",
            "beneficiary_email",
            "commune",
            "postcode",
            "household_adults",
            "household_children",
            "situation",
            "needs",
            "owned_equipment",
            "aptic_cheques",
            "refusal_reason",
            "closed_at",
            "extra_answers",
        )
        export_order = fields


class HandoverSheetResource(RecordResource):
    """Anonymous by construction: no name or contact column exists to export."""

    site = fields.Field(attribute="site__nom", column_name=str(_("mediation site")))
    prescription = fields.Field(
        attribute="prescription__reference", column_name=str(_("prescription"))
    )

    class Meta:
        model = HandoverSheet
        fields = (
            "reference",
            "handover_date",
            "status",
            "campaign",
            "site",
            "device_code",
            "handover_kind",
            "loan_end_date",
            "prescription",
            "sex",
            "age_class",
            "social_status",
            "prescriber_kind",
            "diagnostic_tool",
            "training_sessions",
            "training_hours",
            "no_resale_accepted",
            "ceremony_attended",
            "extra_answers",
        )
        export_order = fields
