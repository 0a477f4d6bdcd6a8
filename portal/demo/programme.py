"""The demo programme's identity: the header of its documents (PDF)."""

from portal.demo.images import get_or_create_image
from portal.models import ProgrammeSettings

DEMO_PROGRAMME = {
    "name": "Programme Ordinateurs solidaires (démonstration)",
    "address": (
        "Coordination départementale de l'inclusion numérique\n"
        "12 rue de la République\n"
        "40000 Mont-de-Marsan"
    ),
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
