"""The read-only headless API (Wagtail API v2). Wagtail's API v3 is not mounted."""

from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.api.v2.views import ImagesAPIViewSet

from content.api import MediationSitesAPIViewSet


class PortalImagesAPIViewSet(ImagesAPIViewSet):
    """Images with ready-to-use rendition URLs, not only the original file."""

    body_fields = ImagesAPIViewSet.body_fields + [
        APIField("thumbnail", serializer=ImageRenditionField("fill-400x300", source="*")),
        APIField("large", serializer=ImageRenditionField("max-1600x1600", source="*")),
    ]
    listing_default_fields = ImagesAPIViewSet.listing_default_fields + ["thumbnail"]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", PortalImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("mediation-sites", MediationSitesAPIViewSet)
