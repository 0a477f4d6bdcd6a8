"""List filters of the records' admin that offer only what the person may see."""

from django.contrib.admin.filters import RelatedFieldListFilter

from forms.access import scoped_campaigns, scoped_choices, scoped_sites


class ScopedSiteListFilter(RelatedFieldListFilter):
    """The mediation-site filter: a site's staff see their own sites, not all of them."""

    def field_choices(self, field, request, model_admin):
        sites = scoped_sites(request.user, field.related_model.objects.all())
        return [(site.pk, str(site)) for site in sites.order_by("nom").only("pk", "nom", "commune")]


class ScopedCampaignListFilter(RelatedFieldListFilter):
    """The campaign filter: only the campaigns the person works in."""

    def field_choices(self, field, request, model_admin):
        campaigns = scoped_campaigns(request.user, field.related_model.objects.all())
        return [(campaign.pk, str(campaign)) for campaign in campaigns.order_by("title")]


class ScopedRelatedListFilter(RelatedFieldListFilter):
    """Any other relation's filter (priority criterion, pledge, organisation, device…):
    only the rows the person may pick (forms.access.scoped_choices)."""

    def field_choices(self, field, request, model_admin):
        rows = scoped_choices(request.user, field.related_model._default_manager.all())
        ordering = self.field_admin_ordering(field, request, model_admin) or ("pk",)
        return [(row.pk, str(row)) for row in rows.order_by(*ordering)]
