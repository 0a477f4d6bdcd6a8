"""Admin wiring of the allocation committee: its URLs and its menu item, shown to
the coordinators of a campaign that requires a committee."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from forms.kinds.prescription import committee_views
from forms.kinds.prescription.committee import has_committee_work


@hooks.register("register_admin_urls")
def register_committee_urls():
    return [
        path("comite/", committee_views.committee_index, name="forms_committee"),
        path(
            "comite/<int:campaign_id>/",
            committee_views.committee_campaign,
            name="forms_committee_campaign",
        ),
    ]


class CommitteeMenuItem(MenuItem):
    def is_shown(self, request):
        return has_committee_work(request.user)


@hooks.register("register_admin_menu_item")
def register_committee_menu_item():
    return CommitteeMenuItem(
        _("Allocation committee"), reverse("forms_committee"), icon_name="group", order=211
    )
