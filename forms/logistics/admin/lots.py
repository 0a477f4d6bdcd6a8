"""Admin of lots: built from ready devices, delivered to a mediation site."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail_modeladmin.options import modeladmin_register
from wagtail_modeladmin.views import CreateView

from forms import access
from forms.engine.panels import StatusPanel
from forms.engine.record_admin import RecordAdmin
from forms.logistics.document_panels import DocumentsPanel
from forms.logistics.models.lot import Lot
from forms.logistics.services.devices import build_lot


class LotCreateView(CreateView):
    """The lot is filled with the oldest ready devices not already in a lot."""

    def form_valid(self, form):
        data = form.cleaned_data
        if data.get("campaign") is None and not access.is_programme_wide(self.request.user):
            # A lot of no campaign would take any programme's devices and be seen by nobody.
            form.add_error("campaign", _("Choose the campaign the lot belongs to."))
            return self.form_invalid(form)
        try:
            self.instance = build_lot(
                site=data["site"],
                size=data["size"],
                by=self.request.user,
                campaign=data.get("campaign"),
                price=data["price"],
                notes=data.get("notes", ""),
            )
        except ValidationError as error:
            # The site's prerequisites name the site; a shortage of devices, the size.
            form.add_error(None if hasattr(error, "error_dict") else "size", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Lot %(reference)s created with %(size)s ready devices.")
            % {"reference": self.instance.reference, "size": self.instance.size},
        )
        return redirect(self.url_helper.get_action_url("edit", self.instance.pk))


@modeladmin_register
class LotAdmin(RecordAdmin):
    model = Lot
    site_field = "site"  # site staff see only the lots delivered to their site
    menu_label = _("Lots")
    menu_icon = "group"
    menu_order = 212
    add_to_admin_menu = True
    create_view_class = LotCreateView
    list_display = ("reference", "site", "size", "status", "delivered_at")
    list_filter = ("status", "campaign")
    list_select_related = ("site",)
    search_fields = ("reference", "site__nom")
    list_export = ()
    panels = [
        StatusPanel(),
        FieldPanel("site"),
        FieldRowPanel([FieldPanel("size"), FieldPanel("price")]),
        FieldPanel("campaign"),
        FieldPanel("notes"),
        DocumentsPanel(),
    ]
