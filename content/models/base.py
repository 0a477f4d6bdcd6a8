from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page


class BasePage(Page):
    """Fields every public page shares: SEO title and description come from
    Wagtail's promote tab; this adds the image shown when the page is shared."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social sharing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared on social networks (1200×630 px)."),
    )

    promote_panels = [
        MultiFieldPanel(Page.promote_panels, _("Common page configuration")),
        FieldPanel("social_image"),
    ]

    api_fields = [
        APIField("seo_title"),
        APIField("search_description"),
        APIField("social_image", serializer=ImageRenditionField("fill-1200x630")),
    ]

    class Meta:
        abstract = True

    def get_social_image(self):
        return self.social_image
