"""List filters of the records' admin that offer only what the person may see."""

from django.contrib.admin.filters import RelatedFieldListFilter

from forms.access import scoped_sites


class ScopedSiteListFilter(RelatedFieldListFilter):
    """The mediation-site filter: a site's staff see their own sites, not all of them."""

    def field_choices(self, field, request, model_admin):
        sites = scoped_sites(request.user, field.related_model.objects.all())
        return [(site.pk, str(site)) for site in sites.order_by("nom").only("pk", "nom", "commune")]
