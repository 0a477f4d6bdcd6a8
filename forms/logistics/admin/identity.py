"""Admin of the programmes' identities (Settings > Programme identities): a
coordinator sees and edits only their campaigns' (forms.access), and a new one
starts on their only campaign."""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import modeladmin_register

from forms.engine.admin_views import ScopedHistoryView
from forms.engine.record_admin import ScopedModelAdmin, ScopedPermissionHelper
from forms.logistics.models.identity import ProgrammeIdentity


class IdentityPermissionHelper(ScopedPermissionHelper):
    def user_can_delete_obj(self, user, obj):
        # A campaign without its own identity falls back to the site-wide one.
        return self.user_has_specific_permission(user, "delete") and self._in_scope(user, obj)


@modeladmin_register
class ProgrammeIdentityAdmin(ScopedModelAdmin):
    model = ProgrammeIdentity
    permission_helper_class = IdentityPermissionHelper
    history_view_class = ScopedHistoryView
    menu_label = _("Programme identities")
    menu_icon = "site"
    menu_order = 240
    add_to_settings_menu = True
    list_display = ("name", "campaign", "siret", "signatory_name")
    list_filter = ("campaign",)
    search_fields = ("name",)
    ordering = ("name",)
