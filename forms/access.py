"""Who may see which records: the one place where site scoping is decided.

Coordinators and superusers see the whole programme; mediation-site staff see
only the records of the sites they belong to; everyone else sees nothing.
Admin lists, edit views, history pages, status changes, exports, labels and
documents all go through these functions: ``scope`` for any list of records,
``can_see`` for one record. A record type that names no site (pledges, device
batches, priority criteria) is seen by programme-wide staff only.
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


# Record types that belong to a mediation site, and the field that names it.
SITE_FIELDS = {
    "forms.prescription": "site",
    "forms.handoversheet": "site",
    "forms.device": "site",
    "forms.lot": "site",
    "forms.loan": "site",
}


def site_field_of(model):
    return SITE_FIELDS.get(model._meta.label_lower)


def scope(user, queryset):
    """Records of ``queryset`` that ``user`` may see, whatever their type."""
    if is_programme_wide(user):
        return queryset
    site_field = site_field_of(queryset.model)
    if site_field is None or not user or not user.is_authenticated:
        return queryset.none()
    return scoped_queryset(user, queryset, site_field)


def can_see(user, record):
    """Whether ``user`` may see ``record`` (no query once the user's sites are known)."""
    if is_programme_wide(user):
        return True
    site_field = site_field_of(type(record))
    if site_field is None or not user or not user.is_authenticated:
        return False
    site_id = getattr(record, f"{site_field}_id", None)
    return site_id is not None and site_id in user_site_ids(user)


def user_site_ids(user):
    cached = getattr(user, "_portal_site_ids", None)
    if cached is None:
        cached = frozenset(user.mediation_sites.values_list("pk", flat=True))
        user._portal_site_ids = cached
    return cached


def can_access(user, record, site_field="site"):
    return scoped_queryset(user, type(record).objects.filter(pk=record.pk), site_field).exists()


def is_site_staff(user):
    return bool(
        user
        and user.is_authenticated
        and (is_programme_wide(user) or user.mediation_sites.exists())
    )
