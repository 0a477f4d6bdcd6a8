from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

SEARCH_RESULTS_PER_PAGE = 10


def search(request):
    """Full-text search over the published, public pages of the site."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "pages/search.html",
        {"search_query": query, "search_results": page, "paginator": paginator},
    )
