"""The demo programmes' identities: the header of their documents (PDF).

Each demo campaign has its own (fixtures/demo/campaigns.json, "programme" >
"identity"); the site-wide settings are only the fallback of a campaign without one.
"""

from content.models import CampaignPage
from forms.logistics.models.identity import ProgrammeIdentity
from portal.demo.fixtures import read_fixture
from portal.demo.images import get_or_create_image
from portal.models import ProgrammeSettings

DEMO_PROGRAMME = {
    "name": "Programme Ordinateurs solidaires (démonstration)",
    "address": (
        "Coordination départementale de l'inclusion numérique\n"
        "12 rue de la République\n"
        "40000 Mont-de-Marsan"
    ),
    "siret": "40123401700010",
    "signatory_name": "Marie Duclos",
    "signatory_role": "Coordinatrice départementale",
    "email": "coordination@ordinateurs-solidaires.example",
    "phone": "05 58 00 00 00",
}
LOGO = {
    "key": "logo-programme",
    "title": "Logo du programme",
    "color": [31, 63, 143],
    "size": [480, 160],
}


def load_programme_settings(loader):
    """Fills the programme settings once, while they still hold the defaults."""
    programme = ProgrammeSettings.load()
    if programme.address or programme.logo_id:
        return
    logo, created = get_or_create_image(**LOGO)
    loader.created["images"] += created
    for field, value in DEMO_PROGRAMME.items():
        setattr(programme, field, value)
    programme.logo = logo
    programme.save()


def load_identities(loader):
    """Each demo campaign's own identity, created once (an edited one is kept)."""
    created = 0
    for item in read_fixture("campaigns.json")["campaigns"]:
        identity = item.get("programme", {}).get("identity")
        campaign = CampaignPage.objects.filter(slug=item["slug"]).first()
        if not identity or campaign is None:
            continue
        _identity, new = ProgrammeIdentity.objects.get_or_create(
            campaign=campaign, defaults=identity
        )
        created += new
    loader.created["identities"] = created
