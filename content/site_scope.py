"""Which registry sites a person may see and change in the admin.

``content`` cannot know the programmes' rules (they live in ``forms``): an app
registers a Wagtail hook under SCOPE_HOOK that narrows the sites for a user
(forms/wagtail_hooks/scoping.py). The registry's views and the admin's site
import both go through ``scoped_for``."""

from wagtail import hooks

SCOPE_HOOK = "scope_mediation_sites"


def scoped_for(user, queryset):
    """The sites of ``queryset`` that ``user`` may see in the registry."""
    for scope in hooks.get_hooks(SCOPE_HOOK):
        queryset = scope(user, queryset)
    return queryset
