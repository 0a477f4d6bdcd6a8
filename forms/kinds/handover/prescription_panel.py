"""On a prescription's edit view: its handover sheets, or the link that opens the
handover form filled from it (added with ``add_record_panel``, as the prescription
kind does not know the handover)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from forms.access import scope
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.handover.prefill import handover_url
from forms.kinds.prescription.models import CLOSED_STATUSES


class HandoverLinkPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Handover"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/handover_link_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            prescription = self.instance
            sheets = list(
                scope(self.request.user, HandoverSheet.objects.filter(prescription=prescription))
            )
            is_open = prescription.status not in CLOSED_STATUSES
            context.update(
                sheets=sheets,
                form_url=handover_url(prescription) if is_open and not sheets else "",
            )
            return context
