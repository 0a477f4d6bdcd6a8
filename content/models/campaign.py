from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, PageManager, PageQuerySet, PageViewRestriction
from wagtail.search import index

from content.blocks import BodyBlock
from content.caching import remember_here
from content.enums import (
    CampaignStatus,
    KeyFigureMetric,
    NotificationEvent,
    NotificationRecipients,
)
from content.metrics import campaign_figures
from content.models.base import BasePage
from portal.generations import campaign_scope

DEPARTMENT_LIST_VALIDATOR = RegexValidator(
    r"^\s*(\d{2,3}|2[AB])(\s*,\s*(\d{2,3}|2[AB]))*\s*$",
    _("Give département codes separated by commas, e.g. 17 or 40, 64."),
)


def split_list(text):
    return [item.strip() for item in (text or "").split(",") if item.strip()]


class CampaignIndexPage(BasePage):
    template = "pages/campaign_index_page.html"
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.CampaignPage"]

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("campaign index")
        verbose_name_plural = _("campaign indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        campaigns = CampaignPage.objects.child_of(self).live().public().order_by("-start_date")
        status = request.GET.get("status", "")
        if status in CampaignStatus.values:
            campaigns = campaigns.filter(status=status)
        else:
            status = ""
        context.update(
            campaigns=campaigns.select_related("listing_image"),
            status_choices=CampaignStatus.choices,
            selected_status=status,
        )
        return context


class CampaignPageQuerySet(PageQuerySet):
    def private_q(self):
        """Wagtail's (``public()``), from the private sections this process keeps under
        the ``all`` generation (content/caching.py), bumped by any view restriction
        change: a listing of campaigns served again reads no view restriction row."""
        sections = remember_here(
            "private-sections",
            lambda: list(PageViewRestriction.objects.values_list("page__path", "page__depth")),
        )
        q = models.Q()
        for path, depth in sections:
            q |= models.Q(path__startswith=path) & models.Q(depth__gte=depth)
        return q if q else models.Q(pk__in=[])

    def current(self):
        """Running campaigns first, then upcoming ones."""
        running_first = models.Case(models.When(status=CampaignStatus.RUNNING, then=0), default=1)
        return self.exclude(status=CampaignStatus.FINISHED).order_by(running_first, "start_date")


class CampaignPage(BasePage):
    template = "pages/campaign_page.html"
    parent_page_types = ["content.CampaignIndexPage"]

    territory = models.CharField(
        _("territory"), max_length=120, help_text=_("e.g. Landes, City of Poitiers")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    goal = models.PositiveIntegerField(
        _("goal"), null=True, blank=True, help_text=_("Number of computers to hand over.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.UPCOMING
    )
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("Shown in campaign lists.")
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    # The programme run by this campaign: its territory, people and rules ------
    departments = models.CharField(
        _("départements"),
        max_length=120,
        blank=True,
        validators=[DEPARTMENT_LIST_VALIDATOR],
        help_text=_("Codes separated by commas, e.g. 17 or 40, 64."),
    )
    communes = models.TextField(
        _("communes"),
        blank=True,
        help_text=_(
            "Optional: INSEE codes or names of the communes, separated by commas, when the "
            "programme covers only part of its départements."
        ),
    )
    donation_agreement_wording = models.TextField(
        _("donation agreement wording"),
        blank=True,
        help_text=_("Printed on this campaign's donation agreements."),
    )
    requires_committee = models.BooleanField(
        _("prescriptions need a committee decision"),
        default=False,
        help_text=_("A site may hand over only to people the committee has accepted."),
    )
    # Programme-specific questions: the prescription and handover forms (public and
    # admin) ask them only in the campaigns that switch them on.
    uses_aptic_cheques = models.BooleanField(
        _("APTIC cheques are handed out"),
        default=False,
        help_text=_("The prescription forms ask how many APTIC cheques were given."),
    )
    uses_ceremony = models.BooleanField(
        _("handovers happen at a ceremony"),
        default=False,
        help_text=_("The handover forms ask whether the person attended the ceremony."),
    )
    # On by default: before this switch every campaign's household loans asked for the
    # family quotient, and a page revision saved before it (edited later) reads the default.
    uses_income_criteria = models.BooleanField(
        _("household loans are under an income criterion"),
        default=True,
        help_text=_(
            "The loan forms ask for the household's family quotient and refuse one above "
            "the ceiling."
        ),
    )
    coordinators = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        blank=True,
        related_name="coordinated_campaigns",
    )
    sites = ParentalManyToManyField(
        "content.MediationSite",
        verbose_name=_("mediation sites"),
        blank=True,
        related_name="campaigns",
    )

    # Evaluation goals (FACE indicators) --------------------------------------
    goal_donor_organisations = models.PositiveSmallIntegerField(
        _("goal: donor organisations"), null=True, blank=True
    )
    goal_refurbishers = models.PositiveSmallIntegerField(
        _("goal: refurbishers"), null=True, blank=True
    )
    goal_ceremony_pct = models.PositiveSmallIntegerField(
        _("goal: % of beneficiaries at the handover ceremony"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    goal_accompanied_pct = models.PositiveSmallIntegerField(
        _("goal: % of beneficiaries accompanied"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    goal_reviews_pct = models.PositiveSmallIntegerField(
        _("goal: % of one-year reviews done"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )

    objects = PageManager.from_queryset(CampaignPageQuerySet)()

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("territory"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("goal"), FieldPanel("status")]),
            ],
            heading=_("Campaign"),
        ),
        FieldPanel("summary"),
        FieldPanel("listing_image"),
        FieldPanel("body"),
    ]
    programme_panels = [
        MultiFieldPanel(
            [FieldPanel("departments"), FieldPanel("communes")], heading=_("Territory")
        ),
        FieldPanel("coordinators"),
        FieldPanel("sites"),
        FieldPanel("requires_committee"),
        MultiFieldPanel(
            [
                FieldPanel("uses_aptic_cheques"),
                FieldPanel("uses_ceremony"),
                FieldPanel("uses_income_criteria"),
            ],
            heading=_("Programme-specific questions"),
        ),
        FieldPanel("donation_agreement_wording"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("goal_donor_organisations"), FieldPanel("goal_refurbishers")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("goal_ceremony_pct"),
                        FieldPanel("goal_accompanied_pct"),
                        FieldPanel("goal_reviews_pct"),
                    ]
                ),
            ],
            heading=_("Evaluation goals"),
        ),
    ]
    notification_panels = [
        InlinePanel(
            "notification_rules",
            heading=_("Who is told of what"),
            label=_("Notification rule"),
            help_text=_(
                "Without a rule for an event, the usual people are told: new pledges and "
                "free-form answers go to the coordinators, new prescriptions to the site's "
                "staff (the coordinators when the site has no account), committee decisions "
                "to the site's staff and the prescriber, overdue loans to the site's staff."
            ),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(programme_panels, heading=_("Programme")),
            ObjectList(notification_panels, heading=_("Notifications")),
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(BasePage.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = BasePage.search_fields + [
        index.SearchField("territory"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("territory"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("goal"),
        APIField("status"),
        APIField("summary"),
        APIField("listing_image", serializer=ImageRenditionField("fill-800x450")),
        APIField("body"),
        APIField("live_figures"),
    ]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    route_select_related = ("social_image", "listing_image")

    @property
    def live_figures(self):
        """The live key figures of the campaign, the numbers its page's key-figures block
        shows (content/metrics.py), for the read API."""
        labels = dict(KeyFigureMetric.choices)
        return [
            {"metric": metric, "label": str(labels[metric]), "value": value}
            for metric, value in campaign_figures(self).items()
        ]

    # What other pages show of a campaign (its card, the map's filter, menus): a
    # publish that changes none of them purges only this campaign's page; otherwise
    # every page (portal/page_cache.py).
    page_cache_listed_fields = (
        "title",
        "slug",
        "url_path",
        "live",
        "show_in_menus",
        "seo_title",
        "status",
        "territory",
        "summary",
        "start_date",
        "end_date",
        "listing_image_id",
    )

    def page_cache_scopes(self):
        """The page cache scopes this page shows: its own, which its records'
        changes and its publishes purge."""
        return (campaign_scope(self.pk),)

    def department_codes(self):
        return split_list(self.departments)

    def commune_names_or_codes(self):
        return split_list(self.communes)

    def get_social_image(self):
        return self.social_image or self.listing_image


class CampaignNotificationRule(Orderable):
    """Who a campaign tells of one kind of event. A campaign without a rule for an
    event uses the defaults (forms/engine/recipients.py reads these rules)."""

    campaign = ParentalKey(
        CampaignPage, on_delete=models.CASCADE, related_name="notification_rules"
    )
    event = models.CharField(_("event"), max_length=24, choices=NotificationEvent.choices)
    recipients = models.CharField(
        _("recipients"), max_length=16, choices=NotificationRecipients.choices
    )
    email = models.EmailField(
        _("address"), blank=True, help_text=_("Only for the recipients “A fixed address”.")
    )

    panels = [FieldRowPanel([FieldPanel("event"), FieldPanel("recipients"), FieldPanel("email")])]

    class Meta(Orderable.Meta):
        verbose_name = _("notification rule")
        verbose_name_plural = _("notification rules")

    def __str__(self):
        return f"{self.get_event_display()}: {self.get_recipients_display()}"

    def clean(self):
        super().clean()
        if self.recipients == NotificationRecipients.ADDRESS and not self.email:
            raise ValidationError({"email": _("Give the address to notify.")})
        if self.recipients != NotificationRecipients.ADDRESS:
            self.email = ""
