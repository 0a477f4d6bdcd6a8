"""The read-only headless API (Wagtail API v2). Wagtail's API v3 is not mounted."""

from django.urls import NoReverseMatch
from taggit.managers import _TaggableManager
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer, TagsField
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.api.v2.serializers import ImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet

from content.api import MediationSitesAPIViewSet


class PrefetchedTagsField(TagsField):
    """Tag names read from tags fetched with the listing (one query, not one per image)."""

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())


class PortalImageSerializer(ImageSerializer):
    def build_property_field(self, field_name, model_class):
        if isinstance(getattr(model_class, field_name, None), _TaggableManager):
            return PrefetchedTagsField, {}
        return super().build_property_field(field_name, model_class)


class PortalImagesAPIViewSet(ImagesAPIViewSet):
    """Images with ready-to-use rendition URLs, not only the original file."""

    base_serializer_class = PortalImageSerializer

    body_fields = ImagesAPIViewSet.body_fields + [
        APIField("thumbnail", serializer=ImageRenditionField("fill-400x300", source="*")),
        APIField("large", serializer=ImageRenditionField("max-1600x1600", source="*")),
    ]
    listing_default_fields = ImagesAPIViewSet.listing_default_fields + ["thumbnail"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")


class RequestHtmlUrlField(PageHtmlUrlField):
    """The page's public URL, resolved with the request: the site's root paths are
    read once per listing instead of once per page."""

    def to_representation(self, page):
        try:
            return page.get_full_url(request=self.context.get("request"))
        except NoReverseMatch:
            return None


class PortalPageSerializer(PageSerializer):
    html_url = RequestHtmlUrlField(read_only=True)


class PortalPagesAPIViewSet(PagesAPIViewSet):
    """Pages with their locale and the images their fields show fetched with the listing."""

    base_serializer_class = PortalPageSerializer
    # A campaign's live figures cost queries of their own: served on its detail view
    # (/api/v2/pages/<id>/), never multiplied over a listing.
    detail_only_fields = [*PagesAPIViewSet.detail_only_fields, "live_figures"]

    def get_queryset(self):
        queryset = super().get_queryset()
        related = ("locale", *getattr(queryset.model, "route_select_related", ()))
        return queryset.select_related(*related)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", PortalImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("mediation-sites", MediationSitesAPIViewSet)
