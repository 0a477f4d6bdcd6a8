"""The registry of digital mediation sites, on the national data standard v1.0.2.

Each column of the standard is a field of the same name (``id`` is stored as
``identifier``, the database keeps its own primary key). Multi-value columns are
stored as the standard writes them: one string, values separated by ``|``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from content import standards
from content.enums import ProgrammeStatus
from content.opening_hours import describe as describe_opening_hours
from content.opening_hours import validate_opening_hours
from portal.page_cache import purge as purge_page_cache

# GET parameter -> multi-value column, shared by the public list, the map data,
# the open-data exports and the API.
MULTI_VALUE_PARAMS = {
    "services": "services",
    "publics": "publics_specifiquement_adresses",
    "prise_en_charge": "prise_en_charge_specifique",
    "frais": "frais_a_charge",
    "typologie": "typologie",
}
FLAG_PARAMS = {"materiel": "hands_over_computers", "prescription": "accepts_prescriptions"}
SEARCH_PARAM = "q"
CAMPAIGN_PARAM = "campagne"
FILTER_PARAMS = (*MULTI_VALUE_PARAMS, *FLAG_PARAMS, SEARCH_PARAM, CAMPAIGN_PARAM)
# Sites that left the programme or are suspended from it receive nothing new.
INACTIVE_PROGRAMME_STATUSES = (ProgrammeStatus.SUSPENDED, ProgrammeStatus.LEFT)
PRESCRIPTION_URL_HOOK = "mediation_site_prescription_url"


def has_value_q(field_name, value):
    """Rows whose `|`-separated column contains exactly this value (portable SQL)."""
    sep = standards.SEPARATOR
    return (
        models.Q(**{field_name: value})
        | models.Q(**{f"{field_name}__startswith": value + sep})
        | models.Q(**{f"{field_name}__endswith": sep + value})
        | models.Q(**{f"{field_name}__contains": sep + value + sep})
    )


def territory_q(campaign):
    """The sites accepting prescriptions in a campaign's départements and communes;
    every site when the campaign gives neither."""
    departments = campaign.department_codes()
    communes = campaign.commune_names_or_codes()
    if not departments and not communes:
        return models.Q()
    condition = models.Q(accepts_prescriptions=True)
    if departments:
        condition &= models.Q(department__in=[code.upper() for code in departments])
    if communes:
        in_communes = models.Q(code_insee__in=communes)
        for name in communes:
            in_communes |= models.Q(commune__iexact=name)
        condition &= in_communes
    return condition


def _getlist(params, key):
    if hasattr(params, "getlist"):
        return params.getlist(key)
    value = params.get(key)
    if value is None:
        return []
    return value if isinstance(value, list | tuple) else [value]


class MediationSiteQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: sites shown on the public map."""
        return self.filter(is_published=True)

    def set_published(self, published=True):
        """Show (or hide) these sites on the public map, the open data and the API, in
        one query; the cached pages are forgotten. Returns how many sites changed."""
        changed = self.exclude(is_published=published).update(
            is_published=published, updated_at=timezone.now()
        )
        if changed:
            purge_page_cache()
        return changed

    def with_coordinates(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def in_programme(self):
        """Sites that may still receive people and computers (not suspended, not gone)."""
        return self.exclude(programme_status__in=INACTIVE_PROGRAMME_STATUSES)

    def for_campaign(self, campaign):
        """The sites of a campaign's territory, in one query: the campaign's own
        ``sites`` when it lists some; else the sites accepting prescriptions in its
        départements (and communes, by INSEE code or name, when it names some); every
        site when it gives no territory. Never a suspended or departed site."""
        queryset = self.in_programme()
        if campaign is None:
            return queryset
        membership = self.model.campaigns.through.objects.filter(campaignpage_id=campaign.pk)
        lists_sites = models.Exists(membership)
        listed = models.Q(pk__in=membership.values("mediationsite_id"))
        return queryset.filter(
            (models.Q(lists_sites) & listed) | (~models.Q(lists_sites) & territory_q(campaign))
        )

    def for_campaign_slug(self, slug):
        """``for_campaign`` of the live campaign with this slug; unchanged when none has it."""
        campaign_model = self.model.campaigns.field.model
        campaign = (
            campaign_model.objects.live()
            .filter(slug=slug)
            .only("pk", "departments", "communes")
            .first()
        )
        return self.for_campaign(campaign) if campaign is not None else self

    def chooser_order(self, postcode=""):
        """Sites accepting prescriptions first; then, when a postcode is known, the
        nearest to the sites of that postcode (or department) first; then by name."""
        order = [models.F("accepts_prescriptions").desc()]
        centre = self._centre_of(postcode)
        if centre:
            latitude, longitude = centre
            squared_distance = (models.F("latitude") - latitude) * (
                models.F("latitude") - latitude
            ) + (models.F("longitude") - longitude) * (models.F("longitude") - longitude)
            order.append(
                models.ExpressionWrapper(squared_distance, output_field=models.FloatField()).asc(
                    nulls_last=True
                )
            )
        return self.order_by(*order, "nom")

    def _centre_of(self, postcode):
        postcode = (postcode or "").strip()
        if not postcode.isdigit():
            return None
        located = MediationSite.objects.with_coordinates()
        for candidates in (
            located.filter(code_postal=postcode),
            located.filter(code_postal__startswith=postcode[:2]),
        ):
            centre = candidates.aggregate(lat=models.Avg("latitude"), lon=models.Avg("longitude"))
            if centre["lat"] is not None:
                return centre["lat"], centre["lon"]
        return None

    def has_value(self, field_name, value):
        return self.filter(has_value_q(field_name, value))

    def search_text(self, query):
        """The site search: every word of ``query`` is found in the site's name,
        commune, postcode or services."""
        words = [word for word in query.split() if len(word) > 1][:8]
        if not words:
            return self.none()
        queryset = self
        for word in words:
            queryset = queryset.filter(
                models.Q(nom__icontains=word)
                | models.Q(commune__icontains=word)
                | models.Q(code_postal__startswith=word)
                | models.Q(services__icontains=word)
            )
        return queryset

    def filter_from_params(self, params):
        """Apply the public filters (GET parameters: services, publics,
        prise_en_charge, frais, typologie, materiel, prescription, q, campagne). Values
        outside the standard's lists are ignored. Several values of one filter
        are alternatives; different filters all apply."""
        queryset = self
        for param, column in MULTI_VALUE_PARAMS.items():
            allowed = standards.allowed_values(column)
            values = [v for v in _getlist(params, param) if v in allowed]
            if values:
                condition = models.Q()
                for value in values:
                    condition |= has_value_q(column, value)
                queryset = queryset.filter(condition)
        for param, field_name in FLAG_PARAMS.items():
            if str(params.get(param, "")).lower() in {"1", "true", "on", "oui"}:
                queryset = queryset.filter(**{field_name: True})
        slug = str(params.get(CAMPAIGN_PARAM, "")).strip()[:255]
        if slug:
            queryset = queryset.for_campaign_slug(slug)
        query = standards.normalise_text(params.get(SEARCH_PARAM, ""))[:100]
        if query:
            if query.isdigit():
                queryset = queryset.filter(
                    models.Q(code_postal__startswith=query) | models.Q(code_insee=query)
                )
            else:
                queryset = queryset.filter(commune__icontains=query)
        return queryset


def _multi(name, verbose_name, max_length=None):
    kwargs = {"blank": True, "validators": [standards.AllowedValuesValidator(name)]}
    if max_length:
        return models.CharField(verbose_name, max_length=max_length, **kwargs)
    return models.TextField(verbose_name, **kwargs)


class MediationSite(models.Model):
    # The 32 columns of the national standard, in its order ----------------
    identifier = models.CharField(
        _("identifier (id)"),
        max_length=255,
        unique=True,
        help_text=_("Unique local identifier of the site, kept across imports."),
    )
    pivot = models.CharField(
        _("SIRET or RNA"), max_length=14, validators=[standards.PatternValidator("pivot")]
    )
    nom = models.CharField(_("name"), max_length=255)
    commune = models.CharField(_("commune"), max_length=255)
    code_postal = models.CharField(
        _("postcode"), max_length=5, validators=[standards.PatternValidator("code_postal")]
    )
    code_insee = models.CharField(
        _("INSEE code"),
        max_length=5,
        blank=True,
        validators=[standards.PatternValidator("code_insee")],
    )
    adresse = models.CharField(_("address"), max_length=255)
    complement_adresse = models.CharField(_("address complement"), max_length=255, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[standards.validate_latitude]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[standards.validate_longitude]
    )
    typologie = _multi("typologie", _("typology"), max_length=500)
    telephone = models.CharField(
        _("phone"), max_length=16, blank=True, validators=[standards.PatternValidator("telephone")]
    )
    courriels = models.TextField(_("emails"), blank=True, validators=[standards.validate_emails])
    site_web = models.TextField(_("websites"), blank=True, validators=[standards.validate_urls])
    horaires = models.TextField(
        _("opening hours"),
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("OpenStreetMap format, e.g. Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"),
    )
    presentation_resume = models.CharField(_("summary"), max_length=280, blank=True)
    presentation_detail = models.TextField(_("detailed presentation"), blank=True)
    source = models.CharField(_("data source"), max_length=255, blank=True)
    itinerance = _multi("itinerance", _("mobility"), max_length=50)
    structure_parente = models.CharField(_("parent organisation"), max_length=255, blank=True)
    date_maj = models.DateField(_("last update of the data"), default=timezone.localdate)
    services = _multi("services", _("services"))
    publics_specifiquement_adresses = _multi(
        "publics_specifiquement_adresses", _("specific audiences")
    )
    prise_en_charge_specifique = _multi("prise_en_charge_specifique", _("specific support"))
    frais_a_charge = _multi("frais_a_charge", _("fees"), max_length=100)
    dispositif_programmes_nationaux = _multi(
        "dispositif_programmes_nationaux", _("national programmes")
    )
    formations_labels = _multi("formations_labels", _("training and labels"))
    autres_formations_labels = models.TextField(_("other training and labels"), blank=True)
    modalites_acces = _multi("modalites_acces", _("access modes"))
    modalites_accompagnement = _multi("modalites_accompagnement", _("support modes"))
    fiche_acces_libre = models.TextField(
        _("Acceslibre page"), blank=True, validators=[standards.validate_urls]
    )
    prise_rdv = models.TextField(
        _("online appointment"), blank=True, validators=[standards.validate_urls]
    )

    # Programme --------------------------------------------------------------
    programme_status = models.CharField(
        _("programme status"),
        max_length=16,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.CANDIDATE,
    )
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    is_network_member = models.BooleanField(_("member of the network"), default=False)
    is_on_national_map = models.BooleanField(_("on the public national map"), default=False)
    has_training_offer = models.BooleanField(_("formal training offer"), default=False)
    is_aptic_labelled = models.BooleanField(_("APTIC-labelled"), default=False)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff accounts"),
        blank=True,
        related_name="mediation_sites",
        help_text=_("People who receive this site's prescriptions and fill its handover sheets."),
    )
    is_published = models.BooleanField(
        _("shown on the public map"),
        default=False,
        help_text=_("Only published sites appear on the map, in the open data and the API."),
    )

    # Derived on save, for filters ------------------------------------------
    department = models.CharField(_("department"), max_length=3, blank=True, editable=False)
    hands_over_computers = models.BooleanField(
        _("hands over solidarity computers"), default=False, editable=False
    )
    accepts_prescriptions = models.BooleanField(
        _("accepts prescriptions"), default=False, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = MediationSiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation site")
        verbose_name_plural = _("mediation sites")
        ordering = ["commune", "nom"]
        indexes = [
            models.Index(fields=["is_published", "commune"], name="mediation_pub_commune"),
            models.Index(fields=["department"], name="mediation_department"),
            models.Index(fields=["code_postal"], name="mediation_postcode"),
            models.Index(fields=["updated_at"], name="mediation_updated"),
        ]

    def __str__(self):
        return f"{self.nom} ({self.commune})"

    # Behaviour -----------------------------------------------------------------
    def compute_derived(self):
        """Normalise multi-value columns and refresh the derived fields."""
        for name in standards.multi_value_field_names():
            setattr(self, name, standards.normalise_multi_value(getattr(self, name)))
        self.department = standards.department_code(self.code_postal, self.code_insee)
        self.hands_over_computers = any(
            standards.has_value(self.services, value) for value in standards.COMPUTER_SERVICES
        )
        self.accepts_prescriptions = standards.has_value(
            self.modalites_acces, standards.PRESCRIPTION_ACCESS
        )
        self.updated_at = timezone.now()

    def save(self, *args, **kwargs):
        self.compute_derived()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "department",
                "hands_over_computers",
                "accepts_prescriptions",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def values(self, name):
        """The list of values of a multi-value column."""
        return standards.split_values(getattr(self, name))

    @cached_property
    def opening_hours_lines(self):
        return describe_opening_hours(self.horaires)

    @property
    def emails(self):
        return self.values("courriels")

    @property
    def websites(self):
        return self.values("site_web")

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    def get_prescription_url(self):
        """Where a prescriber sends a person to this site, or None.

        The prescription form is built later: it registers a
        ``mediation_site_prescription_url`` Wagtail hook, ``fn(site) -> url | None``.
        """
        if not self.accepts_prescriptions:
            return None
        for hook in hooks.get_hooks(PRESCRIPTION_URL_HOOK):
            url = hook(self)
            if url:
                return url
        return None

    # The solidarity-computer programme ------------------------------------------
    def missing_prerequisites(self):
        """The labels of the programme's prerequisites this site does not meet."""
        checks = (
            (self.is_network_member, _("member of the network")),
            (self.is_on_national_map, _("on the public map")),
            (self.has_training_offer, _("formal training offer")),
        )
        return [label for met, label in checks if not met]

    def meets_prerequisites(self):
        return not self.missing_prerequisites()

    @property
    def has_signed_agreement(self):
        return self.programme_status == ProgrammeStatus.SIGNED and self.agreement_date is not None

    @property
    def has_left_programme(self):
        """A site that left the programme, or is suspended, keeps its history but
        receives nothing new (no lot, no transfer agreement, no prescription)."""
        return self.programme_status in (ProgrammeStatus.LEFT, ProgrammeStatus.SUSPENDED)

    def missing_for_supply(self):
        """What the site lacks to receive computers (a lot, a transfer agreement):
        the prerequisites, then an agreement signed and dated."""
        missing = self.missing_prerequisites()
        if not self.has_signed_agreement:
            missing.append(_("a signed agreement (status “signed” and its date)"))
        return missing
