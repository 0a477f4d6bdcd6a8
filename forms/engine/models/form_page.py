import hashlib
import json
import uuid
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField

from content.models import BasePage, CampaignPage
from forms.engine.admin_forms import FormPageAdminForm
from forms.engine.blocks import StepBlock
from forms.engine.campaign_questions import omitted_fields
from forms.engine.definition import FormDefinition
from forms.engine.kinds import get_kind, kind_choices
from forms.engine.record_targets import target_choices
from forms.engine.serializers import definition_as_json
from forms.engine.views import preview_view, thanks_view
from forms.engine.wizard import wizard_view

# Parsed definitions by (kind, hash of the steps' raw data): parsing a StreamField
# of steps costs more than serving a step, and the result only depends on them.
_DEFINITIONS = {}
DEFINITION_CACHE_SIZE = 256


def validate_email_list(value):
    for address in split_addresses(value):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("“%(address)s” is not a valid email address.") % {"address": address}
            ) from None


def split_addresses(value):
    return [
        item.strip()
        for item in (value or "").replace(";", ",").replace("\n", ",").split(",")
        if item.strip()
    ]


class FormPage(RoutablePageMixin, BasePage):
    """A multi-step form built by editors; each submission becomes a typed record."""

    template = "forms/wizard_step.html"
    parent_page_types = ["content.CampaignPage"]
    subpage_types = []
    base_form_class = FormPageAdminForm
    cache_anonymous = False  # wizard steps and thank-you pages are personal

    kind = models.CharField(_("kind of form"), max_length=32, choices=kind_choices)
    intro = models.TextField(_("introduction"), blank=True)
    # Steps open collapsed to their titles: a long form stays a short page to edit.
    steps = StreamField(
        [("step", StepBlock())], verbose_name=_("steps"), blank=True, collapsed=True
    )
    thank_you_text = RichTextField(
        _("thank-you message"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    acknowledgement_subject = models.CharField(
        _("acknowledgement email subject"), max_length=200, blank=True
    )
    acknowledgement_text = models.TextField(
        _("acknowledgement email text"),
        blank=True,
        help_text=_("Sent with the reference and a summary of the answers."),
    )
    notify_emails = models.TextField(
        _("staff addresses to notify"),
        blank=True,
        validators=[validate_email_list],
        help_text=_("Comma-separated. They receive the reference and a link to the record."),
    )
    # A free form whose answers ask for a record (a loan request): staff turn an
    # answer into it, prefilled (forms/engine/record_targets.py).
    record_target = models.CharField(
        _("answers become"),
        max_length=32,
        blank=True,
        choices=target_choices,
        help_text=_("Free forms: the record staff can create from an answer, prefilled."),
    )
    record_mapping = models.TextField(
        _("which question fills which field"),
        blank=True,
        help_text=_(
            "One line per field: “field = question's technical name”, e.g. “borrower_name = nom”."
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("steps"),
    ]
    after_panels = [
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("acknowledgement_subject"), FieldPanel("acknowledgement_text")],
            heading=_("Acknowledgement email"),
        ),
        FieldPanel("notify_emails"),
        MultiFieldPanel(
            [FieldPanel("record_target"), FieldPanel("record_mapping")],
            heading=_("Turn an answer into a record"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Form")),
            ObjectList(after_panels, heading=_("After submission")),
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(BasePage.settings_panels, heading=_("Settings")),
        ]
    )

    api_fields = BasePage.api_fields + [
        APIField("kind"),
        APIField("intro"),
        APIField("form_definition"),
    ]

    class Meta:
        verbose_name = _("form page")

    # Definition ----------------------------------------------------------
    @cached_property
    def kind_definition(self):
        return get_kind(self.kind)

    @cached_property
    def definition(self):
        """The parsed steps, shared between requests while the steps stay the same."""
        raw = json.dumps(self.steps.raw_data, sort_keys=True, default=str)
        # The questions the campaign does not ask (APTIC cheques, ceremony) are left out.
        omitted = omitted_fields(self.campaign)
        key = (self.kind, hashlib.sha256(raw.encode()).hexdigest(), omitted)
        definition = _DEFINITIONS.get(key)
        if definition is None:
            if len(_DEFINITIONS) >= DEFINITION_CACHE_SIZE:
                _DEFINITIONS.clear()
            definition = _DEFINITIONS[key] = FormDefinition(
                self.steps, self.kind_definition, omitted=omitted
            )
        return definition

    @property
    def campaign(self):
        parent = self.get_parent()
        return parent.specific if parent and parent.specific_class is CampaignPage else None

    def notify_email_list(self):
        return split_addresses(self.notify_emails)

    @property
    def form_definition(self):
        """The public definition of the steps, for partner front ends (read API)."""
        return definition_as_json(self.definition)

    # Routes --------------------------------------------------------------
    @path("")
    def start(self, request):
        walk = uuid.uuid4().hex
        first = self.definition.steps[0].slug if self.definition.steps else "etape-1"
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(self.url + self.reverse_subpage("wizard_step", args=(walk, first)) + query)

    @path("<str:walk>/merci/", name="thanks")
    def thanks(self, request, walk):
        return thanks_view(request, self, walk)

    @path("<str:walk>/<str:step>/", name="wizard_step")
    def wizard(self, request, walk, step):
        return wizard_view(request, self, walk, step)

    def serve_preview(self, request, mode_name):
        return preview_view(request, self)
