from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

from content.models import MapPage, MediationSite

SEARCH_RESULTS_PER_PAGE = 10
SITE_RESULTS = 20


def search(request):
    """Full-text search over the published, public pages of the site, and the
    published mediation sites by name, commune and service."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    sites, site_count, map_page = [], 0, None
    if query:
        results = Page.objects.live().public().specific().search(query)
        map_page = MapPage.objects.live().public().order_by("path").first()
        if map_page is not None:
            found = (
                MediationSite.objects.published()
                .search_text(query)
                .only("pk", "nom", "commune", "code_postal", "services")
                .order_by("nom")
            )
            sites = list(found[:SITE_RESULTS])
            site_count = len(sites) if len(sites) < SITE_RESULTS else found.count()
            base = map_page.get_url(request)
            for site in sites:
                site.public_url = base + map_page.reverse_subpage("site", kwargs={"pk": site.pk})
    paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "pages/search.html",
        {
            "search_query": query,
            "search_results": page,
            "paginator": paginator,
            "sites": sites,
            "site_count": site_count,
            "map_page": map_page,
        },
    )
