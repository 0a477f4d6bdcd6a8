"""Who may see which records: the one place where site scoping is decided.

Coordinators and superusers see the whole programme; mediation-site staff see
only the records of the sites they belong to; everyone else sees nothing.
Admin lists, edit views, status changes, exports and documents all go through
these functions.
"""

from portal.roles import COORDINATION


def is_programme_wide(user):
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_portal_programme_wide", None)
    if cached is None:
        cached = user.groups.filter(name=COORDINATION).exists()
        user._portal_programme_wide = cached
    return cached


def scoped_sites(user, sites):
    if is_programme_wide(user):
        return sites
    if not user or not user.is_authenticated:
        return sites.none()
    return sites.filter(staff=user)


def scoped_queryset(user, queryset, site_field="site"):
    """``queryset`` restricted to what ``user`` may see."""
    if is_programme_wide(user):
        return queryset
    if not user or not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{f"{site_field}__staff": user}).distinct()


def can_access(user, record, site_field="site"):
    return scoped_queryset(user, type(record).objects.filter(pk=record.pk), site_field).exists()


def is_site_staff(user):
    return bool(
        user
        and user.is_authenticated
        and (is_programme_wide(user) or user.mediation_sites.exists())
    )
