"""The admin home of site staff and coordinators: what waits for them today."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from forms.access import is_site_staff
from forms.logistics.services.dashboard import dashboard_for


class SiteDashboardPanel(Component):
    name = "site_dashboard"
    order = 50  # above Wagtail's own panels and the programme report
    template_name = "forms/admin/site_dashboard_panel.html"

    def __init__(self, request, data):
        self.request = request
        self.data = data

    def get_context_data(self, parent_context=None):
        user = self.request.user
        prescriptions = reverse("forms_prescription_modeladmin_index")
        return {
            **self.data,
            "prescriptions_url": prescriptions,
            "waiting_url": f"{prescriptions}?status__exact=received",
            "in_training_url": f"{prescriptions}?status__exact=in_training",
            "stock_url": reverse("forms_site_stock"),
            "can_view_lots": user.has_perm("forms.view_lot"),
            "handovers_url": reverse("forms_handoversheet_modeladmin_index"),
        }


@hooks.register("construct_homepage_panels")
def add_site_dashboard(request, panels):
    user = request.user
    if not is_site_staff(user):
        return
    if not user.has_perm("forms.view_prescription"):
        return
    data = dashboard_for(user)
    if data is not None:
        panels.append(SiteDashboardPanel(request, data))
