from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, PageViewRestriction

from content.caching import remember


class BasePage(Page):
    """Fields every public page shares: SEO title and description come from
    Wagtail's promote tab; this adds the image shown when the page is shared."""

    # Anonymous visitors may be served this page from the page cache
    # (portal/page_cache.py); pages with anything personal set it to False.
    cache_anonymous = True

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

    # Fetched with the page when it is served (content/routing.py): no query per image.
    route_select_related = ("social_image",)

    def get_view_restrictions(self):
        """Wagtail's check, skipped when no restriction applies (kept in the pages cache)."""
        restricted = remember(
            f"restricted:{self.path}",
            lambda: super(BasePage, self).get_view_restrictions().exists(),
        )
        if not restricted:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_social_image(self):
        return self.social_image
