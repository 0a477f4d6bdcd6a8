"""Export of prescription sheets."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from forms.engine.resources import RecordResource
from forms.kinds.prescription.models import Prescription


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
            "family_quotient",
            "situation",
            "needs",
            "owned_equipment",
            "aptic_cheques",
            "aptic_cheques_value",
            "refusal_reason",
            "closed_at",
            "extra_answers",
        )
        export_order = fields
