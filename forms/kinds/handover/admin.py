"""Admin of handover sheets: site staff fill them with their site preselected."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail_modeladmin.options import modeladmin_register
from wagtail_modeladmin.views import CreateView

from forms.access import scope
from forms.engine.panels import (
    AddedPanelsTab,
    ExtraAnswersPanel,
    RecordTabbedInterface,
    StatusPanel,
    add_record_panel,
)
from forms.engine.record_admin import RecordAdmin
from forms.engine.record_forms import RecordAdminForm
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.handover.prescription_panel import HandoverLinkPanel
from forms.kinds.handover.resources import HandoverSheetResource
from forms.kinds.handover.review_panels import OneYearReviewPanel
from forms.kinds.prescription.models import Prescription

# A prescription's edit view links to its handover sheets, or to the form filled from it.
add_record_panel("forms.prescription", HandoverLinkPanel, slot="handover")


class HandoverSheetAdminForm(RecordAdminForm):
    """Staff pick among their sites' prescriptions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "prescription" in self.fields:
            self.fields["prescription"].queryset = scope(self.for_user, Prescription.objects.all())


class HandoverCreateView(CreateView):
    def get_instance(self):
        instance = super().get_instance()
        sites = list(self.request.user.mediation_sites.all()[:2])
        if len(sites) == 1:
            instance.site = sites[0]
        return instance


@modeladmin_register
class HandoverSheetAdmin(RecordAdmin):
    model = HandoverSheet
    menu_label = _("Handover sheets")
    menu_icon = "tick-inverse"
    menu_order = 220
    add_to_admin_menu = True
    site_field = "site"
    personal_data = False  # anonymous by construction
    create_view_class = HandoverCreateView
    resource_class = HandoverSheetResource
    export_filename = "fiches-de-remise"
    list_display = (
        "reference",
        "handover_date",
        "site",
        "device_code",
        "handover_kind",
        "prescription",
    )
    list_filter = (
        "site",
        "campaign",
        "handover_kind",
        "sex",
        "age_class",
        "social_status",
        "handover_date",
    )
    list_select_related = ("site", "prescription")
    search_fields = ("reference", "device_code", "prescription__reference")
    ordering = ("-handover_date",)

    edit_handler = RecordTabbedInterface(
        [
            ObjectList(
                [
                    StatusPanel(),
                    FieldPanel("site"),
                    FieldRowPanel([FieldPanel("handover_date"), FieldPanel("device_code")]),
                    FieldRowPanel([FieldPanel("handover_kind"), FieldPanel("loan_end_date")]),
                    FieldPanel("prescription"),
                    FieldPanel("campaign"),
                ],
                heading=_("Handover"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldRowPanel(
                                [
                                    FieldPanel("sex"),
                                    FieldPanel("age_class"),
                                    FieldPanel("social_status"),
                                ]
                            ),
                            FieldPanel("prescriber_kind"),
                        ],
                        heading=_("Anonymous profile"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("diagnostic_tool"),
                            FieldRowPanel(
                                [FieldPanel("training_sessions"), FieldPanel("training_hours")]
                            ),
                        ],
                        heading=_("Training path"),
                    ),
                    FieldPanel("no_resale_accepted"),
                    MultiFieldPanel(
                        [
                            FieldRowPanel(
                                [FieldPanel("ceremony_attended"), FieldPanel("accompanied")]
                            ),
                        ],
                        heading=_("Ceremony and accompaniment"),
                    ),
                ],
                heading=_("Profile and training"),
            ),
            ObjectList([ExtraAnswersPanel()], heading=_("Other answers")),
            AddedPanelsTab([], heading=_("Documents")),
            ObjectList([OneYearReviewPanel()], heading=_("One-year review")),
        ],
        base_form_class=HandoverSheetAdminForm,
    )
