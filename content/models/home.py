from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from content.blocks import BodyBlock
from content.models.base import BasePage
from content.models.campaign import CampaignPage


class HomePage(BasePage):
    template = "pages/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    intro = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [APIField("intro")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        # The router imports Wagtail's views, which need every model loaded first.
        from content.routing import route_from

        return route_from(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = (
            CampaignPage.objects.live().public().current().select_related("listing_image")[:6]
        )
        return context
