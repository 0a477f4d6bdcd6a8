"""Export of donor pledges."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from forms.engine.resources import RecordResource
from forms.kinds.pledge.models import DonorPledge


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
