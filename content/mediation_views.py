"""Open data on mediation sites: GeoJSON for maps and the standard's CSV.

Published sites only, never programme or staff data. Responses are cached and
validated with ETag/Last-Modified: the version is one aggregate query over the
registry (number of sites, last change), so a warm request costs one query.
"""

import hashlib
import json

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from content import importexport
from content.models import CampaignPage, MediationSite
from content.models.mediation_site import CAMPAIGN_PARAM, FILTER_PARAMS

CACHE_TIMEOUT = 24 * 3600
MAX_AGE = 300
COORDINATE_DECIMALS = 5  # about one metre


def registry_version():
    """(number of sites, last change): changes on every save, import or deletion."""
    stats = MediationSite.objects.aggregate(count=Count("pk"), last=Max("updated_at"))
    return stats["count"], stats["last"]


def campaign_version(request):
    """When filtered by campaign, its own version: its sites and territory change when
    it is published (None without the filter or for an unknown campaign)."""
    slug = request.GET.get(CAMPAIGN_PARAM, "").strip()
    if not slug:
        return None
    return (
        CampaignPage.objects.live()
        .filter(slug=slug[:255])
        .values_list("pk", "last_published_at")
        .first()
    )


def _filter_params(request):
    """The filter parameters that matter, in a stable order (for cache keys)."""
    return sorted(
        (key, value)
        for key in request.GET
        if key in FILTER_PARAMS
        for value in request.GET.getlist(key)
    )


def cached_open_data(request, kind, build, content_type):
    count, last = registry_version()
    last = last or timezone.now().replace(year=2000, month=1, day=1)
    campaign = campaign_version(request)
    if campaign is not None and campaign[1] is not None:
        last = max(last, campaign[1])
    key_source = json.dumps(
        [kind, count, last.isoformat(), _filter_params(request), campaign], default=str
    )
    etag = '"' + hashlib.sha256(key_source.encode()).hexdigest()[:32] + '"'
    last_modified = int(last.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        cache_key = f"open-data:{kind}:{etag.strip(chr(34))}"
        body = cache.get(cache_key)
        if body is None:
            body = build()
            cache.set(cache_key, body, CACHE_TIMEOUT)
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def published_sites(request):
    return MediationSite.objects.published().filter_from_params(request.GET)


def build_geojson(queryset):
    rows = (
        queryset.with_coordinates()
        .order_by("pk")
        .values_list(
            "pk",
            "identifier",
            "nom",
            "latitude",
            "longitude",
            "hands_over_computers",
            "accepts_prescriptions",
        )
    )
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {
                "type": "Point",
                "coordinates": [
                    round(longitude, COORDINATE_DECIMALS),
                    round(latitude, COORDINATE_DECIMALS),
                ],
            },
            "properties": {
                "id": identifier,
                "nom": nom,
                "materiel": computers,
                "prescription": prescriptions,
            },
        }
        for pk, identifier, nom, latitude, longitude, computers, prescriptions in rows.iterator(
            chunk_size=2000
        )
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


@require_safe
def geojson(request):
    return cached_open_data(
        request,
        "geojson",
        lambda: build_geojson(published_sites(request)),
        "application/geo+json",
    )


@require_safe
def csv_export(request):
    response = cached_open_data(
        request,
        "csv",
        lambda: importexport.export_csv(published_sites(request)).encode("utf-8"),
        importexport.CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = 'inline; filename="lieux-de-mediation-numerique.csv"'
    return response
