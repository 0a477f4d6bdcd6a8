"""The edit-view panel of a device imported with details to complete (``Device.to_complete``)."""

from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel


class ToCompletePanel(Panel):
    """What the refurbisher's file left blank and the site fills in; gone once filled in
    and saved (``Device.save`` clears what is completed)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("To complete"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/to_complete_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk and self.instance.to_complete)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["labels"] = self.instance.to_complete_labels()
            return context
