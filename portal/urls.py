from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from content import mediation_views
from content import routing as content_routing
from content import views as content_views
from forms.history_report import ScopedSiteHistoryView
from forms.kinds.handover import review_views
from forms.kinds.prescription import views as prescription_views
from forms.logistics import public_views
from forms.partners.api import api as partners_api
from portal.api import api_router

urlpatterns = [
    # Wagtail's site history, scoped to what each person may see (before the admin's own).
    path("admin/reports/site-history/", ScopedSiteHistoryView.as_view()),
    path("admin/reports/site-history/results/", ScopedSiteHistoryView.as_view(results_only=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/mediation-sites.geojson", mediation_views.geojson, name="mediation_sites_geojson"),
    path("api/mediation-sites.csv", mediation_views.csv_export, name="mediation_sites_csv"),
    path("api/v2/", api_router.urls),
    path("api/partners/v1/", partners_api.urls),
    path("recherche/", content_views.search, name="search"),
    path(
        "suivi/prescription/<str:token>/",
        prescription_views.prescription_follow_view,
        name="prescription_follow",
    ),
    path("bilan/<str:token>/", review_views.one_year_review_view, name="one_year_review"),
    path(
        "bilan/<str:token>/merci/",
        review_views.one_year_review_thanks,
        name="one_year_review_thanks",
    ),
    path("sitemap.xml", sitemap),
    path(
        "verification/<str:code>/",
        public_views.certificate_verification,
        name="certificate_verification",
    ),
    path("suivi-don/<str:token>/", public_views.donor_follow_up, name="donor_follow_up"),
    path(
        "suivi-don/<str:token>/attestations/<int:document_id>/",
        public_views.donor_certificate,
        name="donor_certificate",
    ),
]

if settings.DEBUG:
    # Development only: production serves static and media files itself.
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's page view, with the routes it found kept in the page cache alias.
    re_path(r"^((?:[\w\-]+/)*)$", content_routing.serve),
    path("", include(wagtail_urls)),
]
