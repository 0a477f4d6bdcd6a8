"""Export of handover sheets."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from forms.engine.resources import RecordResource
from forms.kinds.handover.models import HandoverSheet


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
