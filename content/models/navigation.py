from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from content.blocks import LinkBlock


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """The main menu and the footer, edited in Settings > Navigation."""

    # ``for_site()`` creates the row empty on the first page view, which shows the
    # same as no row: that creation purges no cached page (portal/page_cache.py).
    page_cache_created_blank = True

    main_menu = StreamField(
        [("link", LinkBlock())], verbose_name=_("main menu"), blank=True, max_num=8
    )
    footer_links = StreamField([("link", LinkBlock())], verbose_name=_("footer links"), blank=True)
    footer_text = models.TextField(_("footer text"), blank=True)

    panels = [FieldPanel("main_menu"), FieldPanel("footer_links"), FieldPanel("footer_text")]

    class Meta:
        verbose_name = _("navigation")
