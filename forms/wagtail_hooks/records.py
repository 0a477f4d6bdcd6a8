"""What every record's admin shares (wagtail-modeladmin: import it only from wagtail_hooks)."""

from django.urls import path
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin

from forms.admin_views import RecordIndexView, StatusTransitionView


class RecordButtonHelper(ButtonHelper):
    """Status changes are offered on the edit view (with confirmation), not in the list."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        exclude = list(exclude or []) + ["delete"]
        return super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)


class RecordAdmin(ModelAdmin):
    """What every record's admin shares: list, filters, export, status changes."""

    index_view_class = RecordIndexView
    button_helper_class = RecordButtonHelper
    list_per_page = 50
    list_export = ("reference",)  # turns on the CSV/XLSX buttons; columns come from resource_class
    resource_class = None
    export_filename = "export"

    def get_admin_urls_for_registration(self):
        urls = super().get_admin_urls_for_registration()
        meta = self.model._meta
        return urls + (
            path(
                f"{meta.app_label}/{meta.model_name}/transition/<int:instance_pk>/<str:to_status>/",
                self.transition_view,
                name=f"{meta.app_label}_{meta.model_name}_modeladmin_transition",
            ),
        )

    def transition_view(self, request, instance_pk, to_status):
        return StatusTransitionView.as_view(
            model_admin=self, instance_pk=str(instance_pk), to_status=to_status
        )(request)
