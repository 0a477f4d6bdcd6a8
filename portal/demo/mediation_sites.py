"""Demo mediation sites: fixtures/demo/mediation_sites.csv (national standard) plus
programme flags (mediation_sites_programme.json), the staff links of the demo
users `mediation` and `mediation2`, and a published map page under the home page.

Idempotent: sites are matched on their standard `id`, the map page on its slug.
"""

import json
from datetime import date

from django.contrib.auth import get_user_model

from content import importexport
from content.models import MapPage, MediationSite
from portal.demo.fixtures import FIXTURES

MAP_PAGE = {
    "title": "Trouver un lieu de médiation numérique",
    "slug": "carte",
    "intro": (
        "<p>Les lieux de médiation numérique accompagnent les personnes éloignées du "
        "numérique et remettent les ordinateurs solidaires après un parcours de formation. "
        "Filtrez par service ou par commune : la liste sous les filtres donne les mêmes "
        "informations que la carte.</p>"
    ),
}
PREREQUISITES = {
    "network_member": "is_network_member",
    "national_map": "is_on_national_map",
    "training_offer": "has_training_offer",
    "aptic": "is_aptic_labelled",
}


def load_mediation_sites(loader, home):
    """Called once by DemoLoader.run(); returns nothing, counts in loader.created."""
    created = load_sites()
    link_staff()
    loader.created["mediation sites"] = created
    load_map_page(loader, home)


def load_sites():
    existing = set(MediationSite.objects.values_list("identifier", flat=True))
    with open(FIXTURES / "mediation_sites.csv", "rb") as handle:
        dataset = importexport.read_csv(handle.read())
    missing = [i for i, identifier in enumerate(dataset["id"]) if identifier not in existing]
    if not missing:
        return 0
    subset = dataset.subset(rows=missing)
    report = importexport.import_sites(subset, dry_run=False)
    if report.rejected:
        raise ValueError(f"Demo mediation sites rejected: {report.rejected_rows}")
    with open(FIXTURES / "mediation_sites_programme.json", encoding="utf-8") as handle:
        programme = json.load(handle)
    new_ids = set(subset["id"])
    for site in MediationSite.objects.filter(identifier__in=new_ids):
        flags = programme.get(site.identifier, {})
        site.programme_status = flags.get("programme_status", site.programme_status)
        if flags.get("agreement_date"):
            site.agreement_date = date.fromisoformat(flags["agreement_date"])
        for key, field_name in PREREQUISITES.items():
            setattr(site, field_name, key in flags.get("prerequisites", []))
        site.is_published = flags.get("published", False)
        site.save()
    return len(new_ids)


def link_staff():
    with open(FIXTURES / "mediation_sites_programme.json", encoding="utf-8") as handle:
        programme = json.load(handle)
    users = {user.username: user for user in get_user_model().objects.all()}
    for identifier, flags in programme.items():
        for username in flags.get("staff", []):
            site = MediationSite.objects.filter(identifier=identifier).first()
            if site and username in users:
                site.staff.add(users[username])


def load_map_page(loader, home):
    if home.get_children().filter(slug=MAP_PAGE["slug"]).exists():
        return
    page = MapPage(
        title=MAP_PAGE["title"],
        slug=MAP_PAGE["slug"],
        intro=MAP_PAGE["intro"],
        default_latitude=46.5,  # the five programmes, from Morbihan to the Landes
        default_longitude=-1.2,
        default_zoom=6,
        search_description="Carte et liste des lieux de médiation numérique du programme.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    loader.created["pages"] += 1
