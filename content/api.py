"""Wagtail API v2 endpoint for published mediation sites (registered in portal/api.py)."""

from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import OrderingFilter
from wagtail.api.v2.views import BaseAPIViewSet

from content import standards
from content.models import MediationSite
from content.models.mediation_site import FILTER_PARAMS

EXACT_FILTERS = ("commune", "code_postal", "code_insee", "department")
STANDARD_FIELDS = [standards.model_field_name(name) for name in standards.field_names()]


class MediationSiteFilter(BaseFilterBackend):
    """The public map's filters (services, publics, prise_en_charge, frais,
    typologie, materiel, prescription, q) plus exact commune/postcode/department."""

    def filter_queryset(self, request, queryset, view):
        queryset = queryset.filter_from_params(request.GET)
        exact = {name: request.GET[name] for name in EXACT_FILTERS if request.GET.get(name)}
        return queryset.filter(**exact)


class MediationSitesAPIViewSet(BaseAPIViewSet):
    model = MediationSite
    name = "mediation-sites"
    filter_backends = [MediationSiteFilter, OrderingFilter]
    known_query_parameters = BaseAPIViewSet.known_query_parameters.union(
        FILTER_PARAMS, EXACT_FILTERS
    )
    body_fields = (
        BaseAPIViewSet.body_fields
        + STANDARD_FIELDS
        + ["department", "hands_over_computers", "accepts_prescriptions"]
    )
    listing_default_fields = BaseAPIViewSet.listing_default_fields + [
        "identifier",
        "nom",
        "commune",
        "code_postal",
        "latitude",
        "longitude",
        "hands_over_computers",
        "accepts_prescriptions",
    ]
    nested_default_fields = BaseAPIViewSet.nested_default_fields + ["nom"]

    def get_queryset(self):
        return MediationSite.objects.published().order_by("id")
