"""Who may see which records: the one place where scoping is decided.

The programme (a ``CampaignPage``) is the unit of work.

- **Superusers** see everything, including records that name no campaign
  (legacy rows): nobody else sees those.
- **Coordinators** (group Coordination) see the records of the campaigns whose
  ``coordinators`` list names them, and only those; a person may coordinate
  several campaigns. Being listed as a coordinator without the group gives
  nothing (the group brings the model permissions; both are needed).
- **Mediation-site staff** see the records of the sites they belong to
  (prescriptions, handover sheets, devices allocated, lots delivered, loans),
  whichever campaign the record belongs to: a site may serve several campaigns.
  A person who is both coordinator and site staff sees the union.
- Everyone else (communication staff, visitors) sees no record.

How each staff model reaches a campaign (``CAMPAIGN_PATHS``) and a site
(``SITE_FIELDS``):

| model | campaign | site |
|---|---|---|
| pledges, prescriptions, free-form answers, devices, device batches, lots, loans | its ``campaign`` | prescriptions, devices, lots, loans: its ``site`` |
| handover sheets | its own ``campaign``, else its prescription's | its ``site`` |
| priority criteria | its ``campaign`` (required) | – |
| donor follow-up links | its pledge's | – |
| maintenance entries | its loan's | its loan's site |
| one-year reviews | its handover sheet's (own, else prescription's) | the sheet's site |

Status logs, record histories and generated documents (PDF) follow their record
(``can_see`` on the record); exports are built from the scoped list; the
dashboard and the site-history report use these functions too.

Shared directories are not programme records: **mediation sites** in the
registry are shown to a coordinator when they serve one of their campaigns or
serve no campaign yet and lie in the territory (départements, communes) of one
of their campaigns (candidates a coordinator may enrol); sites of other
programmes only, and candidates outside their territories, are hidden from
their list and edit views (``scoped_site_registry``); choosers of a site offer the
sites of the user's campaigns and their own sites (``scoped_sites``). The
**organisations** of the refurbishing chain (suppliers, refurbishers,
prescribers) and the **document wordings** are shared by every programme: any
coordinator sees the directory (model permissions decide). Choosers and filters
of an organisation offer only those working for the user's campaigns or for no
campaign yet (``scoped_organisations``); those of priority criteria the
criteria of the campaigns they work in (``scoped_criteria``); every other
chooser or filter of a programme's records goes through ``scoped_choices``.

Everything here costs a bounded number of queries per request: the user's
campaign and site ids are read once and cached on the user object.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from content.models import CampaignPage
from portal.roles import COORDINATION

# Record types and the paths that lead to their campaign: the first is the record's
# own; the next ones are used only when the ones before are empty.
CAMPAIGN_PATHS = {
    "forms.donorpledge": ("campaign",),
    "forms.prescription": ("campaign",),
    "forms.handoversheet": ("campaign", "prescription__campaign"),
    "forms.formanswer": ("campaign",),
    "forms.device": ("campaign",),
    "forms.devicebatch": ("campaign",),
    "forms.lot": ("campaign",),
    "forms.loan": ("campaign",),
    "forms.prioritycriterion": ("campaign",),
    "forms.programmeidentity": ("campaign",),
    "forms.donorfollowuplink": ("pledge__campaign",),
    "forms.maintenanceentry": ("loan__campaign",),
    "forms.oneyearreview": ("handover__campaign", "handover__prescription__campaign"),
}

# Models of the forms app every coordinator shares (not a programme's records).
SHARED_MODELS = ("forms.documentwording",)

# Record types that belong to a mediation site, and the path that names it.
SITE_FIELDS = {
    "forms.prescription": "site",
    "forms.handoversheet": "site",
    "forms.device": "site",
    "forms.lot": "site",
    "forms.loan": "site",
    "forms.maintenanceentry": "loan__site",
    "forms.oneyearreview": "handover__site",
}


def _authenticated(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_programme_wide(user):
    """Whether ``user`` sees every programme's records: superusers only."""
    return _authenticated(user) and user.is_superuser


def is_coordinator(user):
    """Whether ``user`` belongs to the group Coordination (superusers count as such);
    read with the campaigns they coordinate, in one query."""
    if not _authenticated(user):
        return False
    if user.is_superuser:
        return True
    _user_campaigns(user)
    return user._portal_coordination


def campaign_ids_of(user):
    """Ids of the campaigns whose records ``user`` sees as a whole (frozenset):
    every campaign for a superuser, the campaigns they coordinate for a
    coordinator, none otherwise (site staff see their sites, not campaigns).
    Per-campaign dashboards and reports offer these campaigns."""
    return _user_campaigns(user)[0]


def committee_campaign_ids_of(user):
    """Those of ``campaign_ids_of(user)`` whose prescriptions need a committee decision
    (read in the same query: the admin menu asks on every page)."""
    return _user_campaigns(user)[1]


def _user_campaigns(user):
    """(campaign ids, committee campaign ids) of ``user``, and whether they coordinate,
    in one query cached on the user."""
    if not _authenticated(user):
        return frozenset(), frozenset()
    cached = getattr(user, "_portal_campaigns", None)
    if cached is None:
        if user.is_superuser:
            rows = list(CampaignPage.objects.values_list("pk", "requires_committee"))
        else:
            in_coordination = Group.objects.filter(user=OuterRef("pk"), name=COORDINATION)
            found = list(
                get_user_model()
                .objects.filter(pk=user.pk)
                .annotate(coordination=Exists(in_coordination))
                .values_list(
                    "coordination",
                    "coordinated_campaigns__pk",
                    "coordinated_campaigns__requires_committee",
                )
            )
            user._portal_coordination = bool(found and found[0][0])
            rows = [
                (pk, committee)
                for _coordination, pk, committee in found
                if pk is not None and user._portal_coordination
            ]
        cached = (
            frozenset(pk for pk, _committee in rows),
            frozenset(pk for pk, committee in rows if committee),
        )
        user._portal_campaigns = cached
    return cached


def user_site_ids(user):
    """Ids of the mediation sites ``user`` belongs to (frozenset, cached on the user)."""
    if not _authenticated(user):
        return frozenset()
    cached = getattr(user, "_portal_site_ids", None)
    if cached is None:
        cached = frozenset(user.mediation_sites.values_list("pk", flat=True))
        user._portal_site_ids = cached
    return cached


def _site_campaign_ids(user):
    """Ids of the campaigns the user's sites serve (cached on the user)."""
    cached = getattr(user, "_portal_site_campaign_ids", None)
    if cached is None:
        site_ids = user_site_ids(user)
        cached = (
            frozenset(
                CampaignPage.objects.filter(sites__in=site_ids)
                .values_list("pk", flat=True)
                .distinct()
            )
            if site_ids
            else frozenset()
        )
        user._portal_site_campaign_ids = cached
    return cached


def working_campaign_ids(user):
    """The campaigns ``user`` works in: those they coordinate and those their sites serve."""
    return campaign_ids_of(user) | _site_campaign_ids(user)


def scoped_campaigns(user, campaigns):
    """Campaigns of ``campaigns`` that ``user`` may choose: in list filters and in the
    campaign field of a record they create or edit (coordinated ones, and those
    their sites serve)."""
    if is_programme_wide(user):
        return campaigns
    if not _authenticated(user):
        return campaigns.none()
    return campaigns.filter(pk__in=working_campaign_ids(user))


def scoped_sites(user, sites):
    """Sites ``user`` may choose or list as theirs: the sites of their campaigns
    (coordinators) and the sites they belong to."""
    if is_programme_wide(user):
        return sites
    if not _authenticated(user):
        return sites.none()
    campaign_ids = campaign_ids_of(user)
    condition = Q(pk__in=user_site_ids(user))
    if campaign_ids:
        condition |= Q(campaigns__in=campaign_ids)
    return sites.filter(condition).distinct()


def scoped_site_registry(user, sites):
    """Sites ``user`` sees in the mediation-site registry: a coordinator's
    campaigns' sites and the sites serving no campaign yet (candidates); site
    staff their own sites."""
    if is_programme_wide(user):
        return sites
    if not _authenticated(user):
        return sites.none()
    condition = Q(pk__in=user_site_ids(user))
    if is_coordinator(user):
        campaign_ids = campaign_ids_of(user)
        condition |= Q(campaigns__isnull=True) & _territories(user)
        if campaign_ids:
            condition |= Q(campaigns__in=campaign_ids)
    return sites.filter(condition).distinct()


def _territories(user):
    """The condition on sites in the territories (départements, communes) of the
    campaigns ``user`` coordinates, cached on the user; a campaign naming neither
    covers the whole country."""
    cached = getattr(user, "_portal_territories", None)
    if cached is None:
        cached = Q(pk__in=[])
        campaigns = CampaignPage.objects.filter(pk__in=campaign_ids_of(user)).only(
            "pk", "departments", "communes"
        )
        for campaign in campaigns:
            departments = campaign.department_codes()
            communes = campaign.commune_names_or_codes()
            if not departments and not communes:
                cached = Q()
                break
            part = Q()
            if departments:
                part &= Q(department__in=[code.upper() for code in departments])
            if communes:
                in_communes = Q(code_insee__in=communes)
                for name in communes:
                    in_communes |= Q(commune__iexact=name)
                part &= in_communes
            cached |= part
        user._portal_territories = cached
    return cached


# How an organisation of the refurbishing chain works for a campaign: the record
# types that name it, and the field that does.
ORGANISATION_LINKS = (
    ("forms.device", "refurbisher"),
    ("forms.donorpledge", "supplier"),
    ("forms.loan", "association"),
)


def scoped_organisations(user, organisations):
    """Organisations ``user`` may choose or filter on: those working for one of
    their campaigns (a device refurbished, a pledge supplied, a loan lent for it)
    and those working for no campaign yet; never those working only for other
    programmes. The directory itself stays shared (model permissions decide)."""
    if is_programme_wide(user):
        return organisations
    if not _authenticated(user):
        return organisations.none()
    campaign_ids = working_campaign_ids(user)
    mine = Q(pk__in=[])
    linked = Q(pk__in=[])
    for label, field in ORGANISATION_LINKS:
        records = apps.get_model(label).objects.filter(
            **{field: OuterRef("pk")}, campaign__isnull=False
        )
        linked |= Q(Exists(records))
        if campaign_ids:
            mine |= Q(Exists(records.filter(campaign__in=campaign_ids)))
    return organisations.filter(mine | ~linked)


def scoped_criteria(user, criteria):
    """Priority criteria ``user`` may choose or filter on: those of the campaigns
    they work in (coordinated, or served by their sites)."""
    if is_programme_wide(user):
        return criteria
    if not _authenticated(user):
        return criteria.none()
    return criteria.filter(campaign__in=working_campaign_ids(user))


def scoped_choices(user, queryset):
    """Rows of ``queryset`` that ``user`` may pick in a chooser or a list filter,
    whatever the related model: campaigns, sites, priority criteria and
    organisations as above, programme records (pledges, devices, loans…) as
    ``scope``; other models (users, wordings) are left as they are."""
    model = queryset.model
    label = model._meta.label_lower
    if issubclass(model, CampaignPage):
        return scoped_campaigns(user, queryset)
    if label == "content.mediationsite":
        return scoped_sites(user, queryset)
    if label == "content.organisation":
        return scoped_organisations(user, queryset)
    if label == "forms.prioritycriterion":
        return scoped_criteria(user, queryset)
    if label in CAMPAIGN_PATHS or label in SITE_FIELDS:
        return scope(user, queryset)
    return queryset


def site_field_of(model):
    return SITE_FIELDS.get(model._meta.label_lower)


def campaign_paths_of(model):
    return CAMPAIGN_PATHS.get(model._meta.label_lower, ())


def visibility(user, model):
    """The condition on ``model``'s rows that ``user`` may see, or None for none."""
    condition = None
    campaign_ids = campaign_ids_of(user)
    paths = campaign_paths_of(model)
    if campaign_ids and paths:
        empty = {}
        for path in paths:
            part = Q(**empty, **{f"{path}__in": campaign_ids})
            condition = part if condition is None else condition | part
            empty[f"{path}__isnull"] = True
    site_field = site_field_of(model)
    site_ids = user_site_ids(user) if site_field else frozenset()
    if site_ids:
        part = Q(**{f"{site_field}__in": site_ids})
        condition = part if condition is None else condition | part
    return condition


def scope(user, queryset):
    """Records of ``queryset`` that ``user`` may see, whatever their type."""
    if is_programme_wide(user):
        return queryset
    if not _authenticated(user):
        return queryset.none()
    condition = visibility(user, queryset.model)
    return queryset.none() if condition is None else queryset.filter(condition)


def scoped_queryset(user, queryset, site_field=None):
    """Kept for callers written before campaigns: the same as ``scope``."""
    return scope(user, queryset)


def _id_at(record, path):
    """The id at the end of ``path`` ("loan__site") from ``record``, or None."""
    *relations, last = path.split("__")
    current = record
    for name in relations:
        if getattr(current, f"{name}_id", None) is None:
            return None
        current = getattr(current, name)
    return getattr(current, f"{last}_id", None)


def campaign_id_of(record):
    """The id of the campaign ``record`` belongs to (see CAMPAIGN_PATHS), or None."""
    for path in campaign_paths_of(type(record)):
        campaign_id = _id_at(record, path)
        if campaign_id is not None:
            return campaign_id
    return None


def can_see(user, record):
    """Whether ``user`` may see ``record`` (no query once the user's ids are known,
    except to follow a relation the record has not loaded)."""
    if is_programme_wide(user):
        return True
    if not _authenticated(user):
        return False
    campaign_ids = campaign_ids_of(user)
    if campaign_ids and campaign_id_of(record) in campaign_ids:
        return True
    site_field = site_field_of(type(record))
    if site_field is None:
        return False
    site_ids = user_site_ids(user)
    return bool(site_ids) and _id_at(record, site_field) in site_ids


def can_access(user, record, site_field=None):
    return can_see(user, record)


def is_site_staff(user):
    """Staff who work on records: superusers, coordinators and site staff."""
    return bool(is_coordinator(user) or user_site_ids(user))


def scope_log_entries(user, entries):
    """Log entries (Wagtail's ModelLogEntry) of ``entries`` that ``user`` may read:
    those of other apps, of shared models, and of the forms records they may see
    (one subquery per record type, in the same query)."""
    if is_programme_wide(user):
        return entries
    keep = ~Q(content_type__app_label="forms")
    for label in SHARED_MODELS:
        keep |= Q(content_type=ContentType.objects.get_for_model(apps.get_model(label)))
    if _authenticated(user):
        for label in sorted(set(CAMPAIGN_PATHS) | set(SITE_FIELDS)):
            model = apps.get_model(label)
            condition = visibility(user, model)
            if condition is None:
                continue
            ids = (
                model.objects.filter(condition)
                .annotate(log_object_id=Cast("pk", CharField()))
                .values("log_object_id")
            )
            keep |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return entries.filter(keep)
