"""Admin wiring of the programme indicators: URLs and the menu item for coordinators."""

from django.urls import path, reverse
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from forms.logistics import indicator_views


@hooks.register("register_admin_urls")
def register_indicator_urls():
    return [
        path(
            "programme/indicateurs/",
            indicator_views.indicator_index,
            name="forms_programme_indicators_index",
        ),
        path(
            "programme/<int:campaign_id>/indicateurs/",
            indicator_views.campaign_indicators,
            name="forms_programme_indicators",
        ),
        path(
            "programme/<int:campaign_id>/indicateurs/export/<str:export_format>/",
            indicator_views.campaign_indicators_export,
            name="forms_programme_indicators_export",
        ),
    ]


class IndicatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return indicator_views.may_see_indicators(request.user)


@hooks.register("register_admin_menu_item")
def register_indicators_menu_item():
    return IndicatorsMenuItem(
        pgettext_lazy("indicators", "Programme indicators"),
        reverse("forms_programme_indicators_index"),
        icon_name="table",
        order=219,
    )
