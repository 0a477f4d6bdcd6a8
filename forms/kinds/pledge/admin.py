"""Admin of donor pledges."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail_modeladmin.options import modeladmin_register

from forms.engine.panels import (
    AddedPanelsTab,
    ExtraAnswersPanel,
    RecordTabbedInterface,
    StatusPanel,
)
from forms.engine.record_admin import RecordAdmin
from forms.engine.record_forms import RecordAdminForm
from forms.kinds.pledge.models import DonorPledge
from forms.kinds.pledge.resources import DonorPledgeResource


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

    edit_handler = RecordTabbedInterface(
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
                    FieldPanel("supplier"),  # the refurbishing chain
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
            AddedPanelsTab([], heading=_("Devices and documents")),
        ],
        base_form_class=RecordAdminForm,
    )

    def equipment_total(self, obj):
        return obj.equipment_total

    equipment_total.short_description = _("equipment")
