"""The mediation-site registry (content's admin) scoped by forms.access."""

from wagtail import hooks

from content.site_scope import SCOPE_HOOK
from forms.access import scoped_site_registry


@hooks.register(SCOPE_HOOK)
def scope_mediation_sites(user, queryset):
    return scoped_site_registry(user, queryset)
