"""StreamField blocks editors compose campaign and standard pages with."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

from content.enums import ButtonStyle, KeyFigureMetric
from content.metrics import campaign_figures
from portal.generations import FIGURES, campaign_scope
from portal.page_cache import depends_on


class LinkValue(blocks.StructValue):
    """A link to a page of the site or to an external address."""

    @property
    def href(self):
        return self.href_for(None)

    def href_for(self, request):
        """The address; with the request, the site's root paths are read once per request."""
        page = self.get("page")
        if page:
            # The base page knows its URL: no query for the specific page.
            return page.get_url(request=request)
        return self.get("url") or ""

    @property
    def text(self):
        page = self.get("page")
        return self.get("label") or (page.title if page else self.get("url"))


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        label=_("Label"),
        required=False,
        max_length=80,
        help_text=_("Defaults to the page title."),
    )
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("External address"), required=False)

    class Meta:
        icon = "link"
        value_class = LinkValue
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose either a page or an external address (one of the two).")
            raise blocks.StructBlockValidationError(block_errors={"page": ValidationError(message)})
        if value.get("url") and not value.get("label"):
            raise blocks.StructBlockValidationError(
                block_errors={"label": ValidationError(_("A link to an address needs a label."))}
            )
        return value


class HeroBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    image = ImageBlock(label=_("Image"), required=False)

    class Meta:
        icon = "image"
        label = _("Hero")
        template = "blocks/hero.html"


class KeyFigureValue(blocks.StructValue):
    @property
    def percent(self):
        goal = self.get("goal")
        if not goal:
            return None
        return min(100, round(100 * (self.get("value") or 0) / goal))


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.IntegerBlock(label=_("Value"), min_value=0)
    goal = blocks.IntegerBlock(
        label=_("Goal"),
        min_value=1,
        required=False,
        help_text=_("When set, the figure shows its progress towards the goal."),
    )
    label = blocks.CharBlock(
        label=_("Label"), max_length=80, help_text=_("e.g. computers handed over")
    )

    class Meta:
        icon = "order"
        value_class = KeyFigureValue
        label = _("Key figure")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1)

    class Meta:
        icon = "order"
        label = _("Key figures")
        template = "blocks/key_figures.html"


def progress_percent(value, goal):
    return min(100, round(100 * (value or 0) / goal)) if goal else None


class LiveKeyFigureBlock(blocks.StructBlock):
    metric = blocks.ChoiceBlock(label=_("Figure"), choices=KeyFigureMetric.choices)
    label = blocks.CharBlock(
        label=_("Label"),
        required=False,
        max_length=80,
        help_text=_("Defaults to the name of the figure."),
    )
    goal = blocks.IntegerBlock(
        label=_("Goal"),
        min_value=1,
        required=False,
        help_text=_("When set, the figure shows its progress towards the goal."),
    )

    class Meta:
        icon = "order"
        label = _("Live key figure")


class LiveKeyFiguresBlock(blocks.StructBlock):
    """Key figures counted from the records of the page's campaign (of the whole
    programme on any other page), always up to date (content/metrics.py)."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    figures = blocks.ListBlock(LiveKeyFigureBlock(), label=_("Figures"), min_num=1)

    class Meta:
        icon = "order"
        label = _("Live key figures")
        template = "blocks/live_key_figures.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent_context = parent_context or {}
        figures = figures_of_page(parent_context.get("page"), parent_context.get("request"))
        labels = dict(KeyFigureMetric.choices)
        context["figures"] = [
            {
                "value": figures.get(figure["metric"], 0),
                "goal": figure.get("goal"),
                "label": figure.get("label") or labels.get(figure["metric"], ""),
                "percent": progress_percent(figures.get(figure["metric"], 0), figure.get("goal")),
            }
            for figure in value["figures"]
        ]
        return context


REQUEST_FIGURES = "_live_key_figures"


def figures_of_page(page, request=None):
    """The live figures of the campaign ``page`` is (of the programme on any other
    page), computed once per request however many blocks show them."""
    campaign = _campaign_of(page)
    key = campaign.pk if campaign is not None else None
    known = getattr(request, REQUEST_FIGURES, None) if request is not None else None
    if known is None:
        known = {}
        if request is not None:
            setattr(request, REQUEST_FIGURES, known)
    if key not in known:
        known[key] = campaign_figures(campaign)
        depends_on(request, figures_scope(page))  # portal/page_cache.py
    return known[key]


def _campaign_of(page):
    campaign_model = apps.get_model("content", "CampaignPage")
    return page if isinstance(page, campaign_model) and page.pk is not None else None


def figures_scope(page):
    """The page cache scope of the live figures ``page`` shows: its campaign's, or
    the whole programme's (portal/generations.py)."""
    campaign = _campaign_of(page)
    return FIGURES if campaign is None else campaign_scope(campaign.pk)


def shows_live_figures(stream):
    return any(item.get("type") == "live_figures" for item in stream.raw_data)


class TimelineStepBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"))
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    steps = blocks.ListBlock(TimelineStepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "date"
        label = _("Timeline")
        template = "blocks/timeline.html"


class CriterionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Criterion"), max_length=160)
    description = blocks.TextBlock(label=_("Description"), required=False)


class EligibilityCriteriaBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    criteria = blocks.ListBlock(
        CriterionBlock(), label=_("Criteria, in order of priority"), min_num=1
    )

    class Meta:
        icon = "list-ol"
        label = _("Eligibility criteria")
        template = "blocks/eligibility_criteria.html"


class PartnerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=120)
    logo = ImageChooserBlock(label=_("Logo"), required=False)
    url = blocks.URLBlock(label=_("Website"), required=False)


class PartnersBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    partners = blocks.ListBlock(PartnerBlock(), label=_("Partners and sponsors"), min_num=1)

    class Meta:
        icon = "group"
        label = _("Partners")
        template = "blocks/partners.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=255)
    answer = blocks.RichTextBlock(
        label=_("Answer"), features=["bold", "italic", "link", "ol", "ul"]
    )


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("FAQ")
        template = "blocks/faq.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    author = blocks.CharBlock(label=_("Author"), max_length=120)
    role = blocks.CharBlock(label=_("Role or organisation"), required=False, max_length=160)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class ButtonBlock(LinkBlock):
    style = blocks.ChoiceBlock(
        label=_("Style"), choices=ButtonStyle.choices, default=ButtonStyle.PRIMARY
    )

    class Meta:
        value_class = LinkValue
        label = _("Button")


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    buttons = blocks.ListBlock(ButtonBlock(), label=_("Buttons"), min_num=1, max_num=3)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "blocks/call_to_action.html"


class RefurbishingChainBlock(blocks.StructBlock):
    """The public directory of a territory's refurbishing chain (content.Organisation)."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=120,
        default=_("The local refurbishing chain"),
    )
    department = blocks.CharBlock(
        label=_("Department"),
        max_length=3,
        help_text=_("Code of the campaign's department, e.g. 49 for Maine-et-Loire."),
    )
    roles = blocks.MultipleChoiceBlock(
        label=_("Roles listed"),
        choices=[
            ("supplier", _("Suppliers and donors")),
            ("refurbisher", _("Refurbishers")),
            ("prescriber", _("Prescribers")),
        ],
        required=False,
        help_text=_("All three when none is ticked."),
    )

    class Meta:
        icon = "group"
        label = _("Refurbishing chain directory")
        template = "blocks/refurbishing_chain.html"

    def get_context(self, value, parent_context=None):
        # content.models imports these blocks: the directory's model is read when shown.
        from content.models.organisation import Organisation

        context = super().get_context(value, parent_context=parent_context)
        roles = list(value.get("roles") or Organisation.ROLES)
        organisations = list(
            Organisation.objects.directory(value.get("department", "").strip().upper())
        )
        labels = dict(self.child_blocks["roles"].field.choices)
        context["groups"] = [
            (labels[role], [o for o in organisations if getattr(o, f"is_{role}")])
            for role in Organisation.ROLES
            if role in roles
        ]
        return context


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul", "hr"]


class BodyBlock(blocks.StreamBlock):
    """The blocks of a campaign, home or standard page body."""

    hero = HeroBlock()
    rich_text = blocks.RichTextBlock(
        label=_("Rich text"), features=RICH_TEXT_FEATURES, template="blocks/rich_text.html"
    )
    key_figures = KeyFiguresBlock()
    live_figures = LiveKeyFiguresBlock()
    timeline = TimelineBlock()
    eligibility_criteria = EligibilityCriteriaBlock()
    partners = PartnersBlock()
    faq = FAQBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    refurbishing_chain = RefurbishingChainBlock()

    class Meta:
        block_counts = {"hero": {"max_num": 1}}
