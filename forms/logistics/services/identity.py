"""Who issues a record's documents: its campaign's identity (ProgrammeIdentity),
else the site-wide fallback (portal.models.ProgrammeSettings); and what is still
missing before a document can name them without a placeholder."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from content.models import CampaignPage
from forms import access
from forms.logistics.models.identity import ProgrammeIdentity
from portal.programme import logo_data_uri, programme_settings

IDENTITY_FIELDS = (
    "name",
    "address",
    "siret",
    "email",
    "phone",
    "signatory_name",
    "signatory_role",
)


def format_siret(siret):
    digits = "".join(ch for ch in siret or "" if ch.isdigit())
    if len(digits) != 14:
        return siret or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"


@dataclass
class Identity:
    name: str = ""
    address: str = ""
    siret: str = ""
    email: str = ""
    phone: str = ""
    signatory_name: str = ""
    signatory_role: str = ""
    logo: object = None  # a Wagtail image, or None
    campaign: object = None
    own: bool = False  # the campaign's own identity, not the site-wide fallback
    fields: dict = field(default_factory=dict)

    def header_lines(self):
        lines = [self.name, *self.address.splitlines()]
        if self.siret.strip():
            lines.append(f"SIRET {format_siret(self.siret)}")
        contact = " – ".join(part for part in (self.phone.strip(), self.email.strip()) if part)
        return [line.strip() for line in (*lines, contact) if line and line.strip()]

    def logo_uri(self):
        return logo_data_uri(self.logo) if self.logo is not None else None

    @property
    def signatory(self):
        return ", ".join(p for p in (self.signatory_name.strip(), self.signatory_role.strip()) if p)

    def missing(self, signatory=False):
        """What a document naming this programme would print as a placeholder."""
        wanted = [("name", _("the programme's name")), ("address", _("the programme's address"))]
        wanted.append(("siret", _("the programme's SIRET")))
        if signatory:
            wanted += [
                ("signatory_name", _("the programme's signatory")),
                ("signatory_role", _("the signatory's role")),
            ]
        return [label for name, label in wanted if not getattr(self, name).strip()]

    def where(self):
        """Where in the admin the missing details are filled."""
        if self.campaign is not None:
            return _("Settings > Programme identities, “%(campaign)s”") % {
                "campaign": self.campaign.title
            }
        return _("Settings > Programme (a superuser)")


def campaign_of(record):
    """The campaign of ``record`` (forms.access.CAMPAIGN_PATHS), or None."""
    if getattr(record, "_meta", None) is None:  # a record drawn up outside the models
        return None
    campaign_id = access.campaign_id_of(record)
    if campaign_id is None:
        return None
    return CampaignPage.objects.filter(pk=campaign_id).first()


def resolve_identity(campaign):
    """The identity heading the documents of ``campaign``'s records: its own, else
    the site-wide programme settings."""
    own = (
        ProgrammeIdentity.objects.filter(campaign=campaign).select_related("logo").first()
        if campaign is not None
        else None
    )
    source = own if own is not None else programme_settings()
    identity = Identity(
        **{name: (getattr(source, name, "") or "").strip() for name in IDENTITY_FIELDS},
        logo=source.logo if source.logo_id else None,
        campaign=campaign,
        own=own is not None,
    )
    return identity
