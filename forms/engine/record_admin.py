"""What every record's admin shares (wagtail-modeladmin: import it only from wagtail_hooks)."""

from django.urls import path
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from forms.access import can_see, scope
from forms.engine.admin_filters import (
    ScopedCampaignListFilter,
    ScopedRelatedListFilter,
    ScopedSiteListFilter,
)
from forms.engine.admin_forms import ScopedChoicesForm
from forms.engine.admin_views import RecordIndexView, ScopedHistoryView, StatusTransitionView


class RecordButtonHelper(ButtonHelper):
    """Status changes are offered on the edit view (with confirmation), not in the list."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        exclude = list(exclude or []) + ["delete"]
        return super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)


class ScopedPermissionHelper(PermissionHelper):
    """Model permissions, and the campaign and site scoping of forms.access."""

    site_field = None

    def _in_scope(self, user, obj):
        return can_see(user, obj)

    def user_can_inspect_obj(self, user, obj):
        return super().user_can_inspect_obj(user, obj) and self._in_scope(user, obj)

    def user_can_edit_obj(self, user, obj):
        return super().user_can_edit_obj(user, obj) and self._in_scope(user, obj)

    def user_can_delete_obj(self, user, obj):
        return False  # records are closed through their statuses, never deleted here


class ScopedModelAdmin(ModelAdmin):
    """A model admin whose list, edit views, filters and choosers are scoped by
    forms.access: the list shows what the person may see, other rows' edit views
    are refused, and the campaign and site filters and fields offer only theirs."""

    permission_helper_class = ScopedPermissionHelper
    site_field = None

    def get_queryset(self, request):
        return scope(request.user, super().get_queryset(request))

    def get_list_filter(self, request):
        """The site and campaign filters offer only the sites and campaigns the person
        may see; every other relation's filter only the rows they may pick."""
        scoped = {"campaign": ScopedCampaignListFilter}
        if self.site_field:
            scoped[self.site_field] = ScopedSiteListFilter
        return tuple(self._scoped_filter(name, scoped) for name in super().get_list_filter(request))

    def _scoped_filter(self, name, scoped):
        if not isinstance(name, str):
            return name
        if name in scoped:
            return (name, scoped[name])
        if "__" not in name and self.model._meta.get_field(name).is_relation:
            return (name, ScopedRelatedListFilter)
        return name

    def get_edit_handler(self):
        handler = super().get_edit_handler()
        base = handler.base_form_class
        if base is None or not issubclass(base, ScopedChoicesForm):
            handler.base_form_class = ScopedChoicesForm
        return handler


class RecordAdmin(ScopedModelAdmin):
    """What every record's admin shares: list, filters, export, status changes."""

    index_view_class = RecordIndexView
    history_view_class = ScopedHistoryView
    button_helper_class = RecordButtonHelper
    list_per_page = 50
    list_export = ("reference",)  # turns on the CSV/XLSX buttons; columns come from resource_class
    resource_class = None
    export_filename = "export"
    site_field = None  # records of a mediation site: only its staff (and coordinators) see them
    personal_data = True  # exports are logged (who, when, which filter)
    export_permission = None  # "app.codename" needed to export, beyond seeing the list

    def __init__(self, parent=None):
        super().__init__(parent)
        self.permission_helper.site_field = self.site_field

    def user_can_export(self, user):
        return self.export_permission is None or user.has_perm(self.export_permission)

    def get_export_resource(self, request):
        return self.resource_class()

    def get_list_export(self, request):
        return self.list_export if self.user_can_export(request.user) else ()

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
