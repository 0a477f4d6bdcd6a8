"""The public map of mediation sites: a page editors can place anywhere."""

from django.conf import settings
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index

from content import standards
from content.models.base import BasePage
from content.models.campaign import CampaignPage
from content.models.mediation_site import (
    CAMPAIGN_PARAM,
    FILTER_PARAMS,
    MULTI_VALUE_PARAMS,
    MediationSite,
)

SITES_PER_PAGE = 20

FILTER_LEGENDS = {
    "services": _("Services"),
    "publics": _("Specific audiences"),
    "prise_en_charge": _("Specific support"),
    "frais": _("Fees"),
}
FLAG_LABELS = {
    "materiel": _("Hands over solidarity computers"),
    "prescription": _("Accepts prescriptions"),
}


def filter_context(params):
    """What the filter form needs to render itself from GET parameters."""
    groups = []
    for param, legend in FILTER_LEGENDS.items():
        selected = set(params.getlist(param))
        column = MULTI_VALUE_PARAMS[param]
        groups.append(
            {
                "name": param,
                "legend": legend,
                "options": [
                    {"value": value, "label": value, "checked": value in selected}
                    for value in standards.allowed_values(column)
                ],
            }
        )
    flags = [
        {"name": name, "label": label, "checked": params.get(name) in {"1", "on", "true"}}
        for name, label in FLAG_LABELS.items()
    ]
    return {
        "filter_groups": groups,
        "filter_flags": flags,
        "typology_choices": standards.choices("typologie"),
        "selected_typology": params.get("typologie", ""),
        "search_query": params.get("q", "")[:100],
        "campaign_choices": CampaignPage.objects.live()
        .public()
        .order_by("title")
        .values_list("slug", "title"),
        "selected_campaign": params.get(CAMPAIGN_PARAM, ""),
        "active_filters": any(params.get(name) for name in FILTER_PARAMS),
    }


class MapPage(RoutablePageMixin, BasePage):
    template = "pages/map_page.html"
    detail_template = "pages/mediation_site_detail.html"

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    default_latitude = models.FloatField(
        _("latitude of the default centre"),
        default=46.2,
        validators=[standards.validate_latitude],
    )
    default_longitude = models.FloatField(
        _("longitude of the default centre"),
        default=-0.3,
        validators=[standards.validate_longitude],
    )
    default_zoom = models.PositiveSmallIntegerField(
        _("default zoom"),
        default=7,
        validators=[MinValueValidator(2), MaxValueValidator(18)],
        help_text=_("From 2 (world) to 18 (street); 6 shows France, 9 a department."),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("default_latitude"), FieldPanel("default_longitude")]),
                FieldPanel("default_zoom"),
            ],
            heading=_("Map"),
        ),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]
    api_fields = BasePage.api_fields + [
        APIField("intro"),
        APIField("default_latitude"),
        APIField("default_longitude"),
        APIField("default_zoom"),
    ]

    class Meta:
        verbose_name = _("mediation-site map")
        verbose_name_plural = _("mediation-site maps")

    def sites(self):
        return MediationSite.objects.published()

    def map_config(self, request):
        query = request.GET.urlencode()
        geojson = reverse("mediation_sites_geojson")
        page_url = self.get_url(request)
        return {
            "geojson": f"{geojson}?{query}" if query else geojson,
            "geojsonBase": geojson,
            "detailBase": page_url + "lieu/",
            "tileUrl": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "center": [self.default_latitude, self.default_longitude],
            "zoom": self.default_zoom,
        }

    @path("")
    def index_route(self, request):
        sites = (
            self.sites()
            .filter_from_params(request.GET)
            .only(
                "pk",
                "nom",
                "commune",
                "code_postal",
                "adresse",
                "services",
                "hands_over_computers",
                "accepts_prescriptions",
                "frais_a_charge",
            )
        )
        paginator = Paginator(sites, SITES_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context = self.get_context(request)
        context.update(
            filter_context(request.GET),
            page_url=self.get_url(request),
            sites=page_obj,
            paginator=paginator,
            result_count=paginator.count,
            query_string=params.urlencode(),
            map_config=self.map_config(request),
        )
        return TemplateResponse(request, self.template, context)

    @path("lieu/<int:pk>/", name="site")
    def site_route(self, request, pk):
        site = get_object_or_404(self.sites(), pk=pk)
        context = self.get_context(request)
        back = request.GET.urlencode()
        page_url = self.get_url(request)
        context.update(
            site=site,
            page_url=page_url,
            back_url=page_url + (f"?{back}" if back else ""),
            prescription_url=site.get_prescription_url(),
            site_services=site.values("services"),
            access_modes=site.values("modalites_acces"),
            support_modes=site.values("modalites_accompagnement"),
            site_audiences=site.values("publics_specifiquement_adresses"),
            site_support=site.values("prise_en_charge_specifique"),
            site_fees=site.values("frais_a_charge"),
            site_mobility=site.values("itinerance"),
        )
        return TemplateResponse(request, self.detail_template, context)

    def site_url(self, site):
        return self.url + self.reverse_subpage("site", kwargs={"pk": site.pk})
