"""Admin views of the programme indicators: the campaigns a user may follow, one
campaign's dashboard (FACE indicators against goals, OrdiPin40 table, charts) and
its CSV, XLSX and PDF exports. Mounted by forms/wagtail_hooks/indicators.py."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from content.models import CampaignPage
from forms import access
from forms.logistics.services import indicators
from forms.logistics.services.pdf import render_pdf
from portal.exports import CSV_DELIMITERS, XLSX_CONTENT_TYPE, csv_text, safe_dataset, xlsx_bytes

EXPORT_FORMATS = ("csv", "xlsx", "pdf")


def indicator_campaigns(user):
    """The campaigns whose indicators ``user`` may see: the campaigns they see as a
    whole (``forms.access.campaign_ids_of``: all for superusers, their own for
    coordinators). The one call site of campaign scoping for this dashboard."""
    return CampaignPage.objects.filter(pk__in=access.campaign_ids_of(user)).order_by("title")


def may_see_indicators(user):
    """No query once the user's campaigns are known (the admin menu asks on every page)."""
    return bool(access.campaign_ids_of(user))


def _campaign_or_404(request, campaign_id):
    if not may_see_indicators(request.user):
        raise PermissionDenied
    return get_object_or_404(indicator_campaigns(request.user), pk=campaign_id)


def indicator_index(request):
    if not may_see_indicators(request.user):
        raise PermissionDenied
    campaigns = indicator_campaigns(request.user)
    return TemplateResponse(
        request, "forms/admin/indicator_index.html", {"campaigns": list(campaigns[:500])}
    )


def campaign_indicators(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    context = indicators.dashboard(campaign)
    context["export_formats"] = EXPORT_FORMATS
    return TemplateResponse(request, "forms/admin/campaign_indicators.html", context)


def campaign_indicators_export(request, campaign_id, export_format):
    if export_format not in EXPORT_FORMATS:
        raise Http404
    campaign = _campaign_or_404(request, campaign_id)
    data = indicators.dashboard(campaign)
    if export_format == "pdf":
        pdf = render_pdf("forms/admin/campaign_indicators_pdf.html", data)
        response = HttpResponse(pdf, content_type="application/pdf")
    else:
        dataset = safe_dataset(indicators.export_headers(), indicators.export_rows(data))
        if export_format == "csv":
            delimiter = CSV_DELIMITERS.get(request.GET.get("delimiter", ""), ";")
            response = HttpResponse(
                csv_text(dataset, delimiter=delimiter), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                xlsx_bytes(dataset, indicators.sheet_title()), content_type=XLSX_CONTENT_TYPE
            )
    filename = indicators.export_filename(campaign, export_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
