"""Admin wiring of the records (wagtail-modeladmin: import it only from here)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from forms.admin_forms import RecordAdminForm
from forms.admin_views import RecordIndexView, StatusTransitionView
from forms.models import DonorPledge
from forms.panels import ExtraAnswersPanel, StatusPanel
from forms.resources import DonorPledgeResource


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


@modeladmin_register
class DonorPledgeAdmin(RecordAdmin):
    model = DonorPledge
    menu_label = _("Donor pledges")
    menu_icon = "doc-full-inverse"
    menu_order = 200
    add_to_admin_menu = True
    resource_class = DonorPledgeResource
    export_filename = "promesses-de-don"
    list_display = (
        "reference",
        "organisation_name",
        "campaign",
        "equipment_total",
        "status",
        "created_at",
    )
    list_filter = ("campaign", "status", "organisation_kind", "created_at")
    list_select_related = ("campaign",)
    search_fields = ("reference", "organisation_name", "siret", "contact_name", "contact_email")
    ordering = ("-created_at",)

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    StatusPanel(),
                    MultiFieldPanel(
                        [
                            FieldPanel("organisation_name"),
                            FieldRowPanel([FieldPanel("siret"), FieldPanel("organisation_kind")]),
                            FieldPanel("sector"),
                        ],
                        heading=_("Organisation"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_role")]),
                            FieldRowPanel(
                                [FieldPanel("contact_email"), FieldPanel("contact_phone")]
                            ),
                        ],
                        heading=_("Contact"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("address"),
                            FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                            FieldPanel("pickup_address_differs"),
                            FieldPanel("pickup_address"),
                            FieldRowPanel(
                                [FieldPanel("pickup_postcode"), FieldPanel("pickup_city")]
                            ),
                        ],
                        heading=_("Addresses"),
                    ),
                    FieldPanel("campaign"),
                ],
                heading=_("Donor"),
            ),
            ObjectList(
                [
                    FieldRowPanel(
                        [FieldPanel("laptops"), FieldPanel("desktops"), FieldPanel("screens")]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("tablets"),
                            FieldPanel("smartphones"),
                            FieldPanel("other_devices"),
                        ]
                    ),
                    FieldRowPanel([FieldPanel("equipment_age"), FieldPanel("operating_system")]),
                    FieldPanel("accessories"),
                    FieldPanel("erasure_by"),
                    FieldPanel("pickup_availability"),
                    FieldRowPanel([FieldPanel("attend_ceremony"), FieldPanel("terms_accepted")]),
                ],
                heading=_("Equipment"),
            ),
            ObjectList([ExtraAnswersPanel()], heading=_("Other answers")),
        ],
        base_form_class=RecordAdminForm,
    )

    def equipment_total(self, obj):
        return obj.equipment_total

    equipment_total.short_description = _("equipment")
