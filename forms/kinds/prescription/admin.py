"""Admin of prescription sheets (site staff's queue) and of priority criteria."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail_modeladmin.options import modeladmin_register

from forms.engine.admin_views import ScopedHistoryView
from forms.engine.panels import (
    AddedPanelsTab,
    ExtraAnswersPanel,
    RecordTabbedInterface,
    StatusPanel,
)
from forms.engine.record_admin import RecordAdmin, ScopedModelAdmin
from forms.engine.record_forms import RecordAdminForm
from forms.kinds.prescription import admin_committee, admin_urls  # noqa: F401 (their hooks)
from forms.kinds.prescription.committee import apply_decision_effects, may_decide, tell_of_decision
from forms.kinds.prescription.models import Prescription, PriorityCriterion
from forms.kinds.prescription.resources import PrescriptionResource
from portal.templatetags.portal_display import display_fr

COMMITTEE_FIELDS = ("committee_decision", "committee_meeting_date", "committee_reason")


class PrescriptionAdminForm(RecordAdminForm):
    """The committee's decision is edited by the campaign's coordinators only; site
    staff read it (disabled fields keep the stored values whatever is posted)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.instance.campaign if self.instance.campaign_id else None
        self.decides = may_decide(self.for_user, campaign)
        for name in COMMITTEE_FIELDS:
            if name in self.fields and not self.decides:
                self.fields[name].disabled = True

    def save(self, commit=True):
        decided = self.instance.pk is not None and "committee_decision" in self.changed_data
        record = super().save(commit=commit)
        if commit and decided and record.committee_decision:
            apply_decision_effects(record, by=self.for_user)
            tell_of_decision(record)
        return record


class CommitteePanel(MultiFieldPanel):
    """Shown for the prescriptions of a campaign with a committee (or already decided)."""

    class BoundPanel(MultiFieldPanel.BoundPanel):
        def is_shown(self):
            record = self.instance
            shown = record is not None and (
                record.committee_decision or (record.campaign_id and record.needs_committee)
            )
            return bool(shown) and super().is_shown()


@modeladmin_register
class PrescriptionAdmin(RecordAdmin):
    model = Prescription
    menu_label = _("Prescriptions")
    menu_icon = "user"
    menu_order = 210
    add_to_admin_menu = True
    site_field = "site"
    resource_class = PrescriptionResource
    export_filename = "prescriptions"
    export_permission = "forms.export_personal_data"
    list_display = ("reference", "priority", "beneficiary", "site", "status", "created_at")
    list_filter = (
        "site",
        "campaign",
        "priority_criterion",
        "status",
        "prescriber_kind",
        "created_at",
    )
    list_select_related = ("site", "priority_criterion")
    search_fields = (
        "reference",
        "beneficiary_last_name",
        "beneficiary_first_name",
        "prescriber_organisation",
        "prescriber_name",
    )
    # The queue: priority criterion first, then the oldest.
    ordering = ("priority_criterion__order", "created_at")

    edit_handler = RecordTabbedInterface(
        [
            ObjectList(
                [
                    StatusPanel(),
                    MultiFieldPanel(
                        [
                            FieldRowPanel(
                                [
                                    FieldPanel("beneficiary_first_name"),
                                    FieldPanel("beneficiary_last_name"),
                                ]
                            ),
                            FieldRowPanel(
                                [FieldPanel("beneficiary_phone"), FieldPanel("beneficiary_email")]
                            ),
                            FieldRowPanel([FieldPanel("commune"), FieldPanel("postcode")]),
                            FieldRowPanel(
                                [FieldPanel("household_adults"), FieldPanel("household_children")]
                            ),
                            FieldPanel("family_quotient"),
                        ],
                        heading=_("Beneficiary"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("priority_criterion"),
                            FieldPanel("situation"),
                            FieldPanel("needs"),
                            FieldPanel("owned_equipment"),
                            FieldRowPanel(
                                [FieldPanel("aptic_cheques"), FieldPanel("aptic_cheques_value")]
                            ),
                        ],
                        heading=_("Situation and needs"),
                    ),
                    FieldRowPanel([FieldPanel("campaign"), FieldPanel("site")]),
                    CommitteePanel(
                        [
                            FieldRowPanel(
                                [
                                    FieldPanel("committee_decision"),
                                    FieldPanel("committee_meeting_date"),
                                ]
                            ),
                            FieldPanel("committee_reason"),
                        ],
                        heading=_("Allocation committee"),
                    ),
                    # The handover adds its link here (forms/kinds/handover/admin.py).
                    AddedPanelsTab([], slot="handover"),
                    # The partners' layer says which partner system sent it (forms/partners).
                    AddedPanelsTab([], slot="origin"),
                ],
                heading=_("Prescription"),
            ),
            ObjectList(
                [
                    FieldPanel("prescriber_kind"),
                    FieldRowPanel(
                        [FieldPanel("prescriber_organisation"), FieldPanel("prescriber_name")]
                    ),
                    FieldRowPanel([FieldPanel("prescriber_email"), FieldPanel("prescriber_phone")]),
                ],
                heading=_("Prescriber"),
            ),
            ObjectList([ExtraAnswersPanel()], heading=_("Other answers")),
            AddedPanelsTab([], heading=_("Documents")),
        ],
        base_form_class=PrescriptionAdminForm,
    )

    def priority(self, obj):
        return obj.priority_criterion.order if obj.priority_criterion else "–"

    priority.short_description = _("priority")

    def beneficiary(self, obj):
        return obj.beneficiary_display

    beneficiary.short_description = _("beneficiary")


@modeladmin_register
class PriorityCriterionAdmin(ScopedModelAdmin):
    """Each campaign's own ordered criteria: coordinators see and edit their campaigns'."""

    model = PriorityCriterion
    history_view_class = ScopedHistoryView
    menu_label = _("Priority criteria")
    menu_icon = "list-ol"
    menu_order = 230
    add_to_admin_menu = True
    list_display = ("order", "label", "campaign", "is_active")
    list_filter = ("active", "campaign")
    ordering = ("campaign", "order")

    def is_active(self, obj):
        return display_fr(obj.active)  # "Oui" / "Non", not Django's tick icon with alt="True"

    is_active.short_description = _("active")

    panels = [
        FieldPanel("order"),
        FieldPanel("label"),
        FieldPanel("active"),
        FieldPanel("campaign"),
    ]
