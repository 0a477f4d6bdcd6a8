"""Factories of public content: users, images, pages, mediation sites."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from content.enums import CampaignStatus, ProgrammeStatus
from content.models import (
    CampaignIndexPage,
    CampaignPage,
    HomePage,
    MapPage,
    MediationSite,
    StandardPage,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.set(Group.objects.filter(name__in=names))
        if create:
            self.save()


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.django.ImageField(width=1600, height=1000, color="blue")


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Ordinateurs solidaires"
    slug = "accueil"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Page {n}")
    intro = "Introduction"


class CampaignIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CampaignIndexPage

    title = "Campagnes"
    slug = "campagnes"


class CampaignPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CampaignPage

    title = factory.Sequence(lambda n: f"Campagne {n}")
    territory = "Landes"
    start_date = datetime.date(2026, 1, 15)
    goal = 500
    status = CampaignStatus.RUNNING
    summary = "Des ordinateurs reconditionnés pour les familles."
    # Asks every programme-specific question, as campaigns created before the switches.
    uses_aptic_cheques = True
    uses_ceremony = True


class MapPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = MapPage

    title = "Carte des lieux"
    slug = "carte"
    intro = "<p>Trouvez un lieu de médiation numérique.</p>"


class MediationSiteFactory(factory.django.DjangoModelFactory):
    """A valid, published site of the national standard, in the Landes."""

    class Meta:
        model = MediationSite
        skip_postgeneration_save = True

    identifier = factory.Sequence(lambda n: f"lieu-{n:05d}")
    pivot = "43493312300029"
    nom = factory.Sequence(lambda n: f"Espace numérique {n}")
    commune = "Mont-de-Marsan"
    code_postal = "40000"
    code_insee = "40192"
    adresse = "12 rue Victor Hugo"
    latitude = 43.8902
    longitude = -0.4998
    typologie = "MUNI"
    telephone = "+33558000000"
    courriels = "contact@example.org"
    horaires = "Mo-Fr 09:00-12:00,14:00-17:30"
    date_maj = datetime.date(2026, 3, 1)
    services = (
        "Aide aux démarches administratives|Acquisition de matériel informatique à prix solidaire"
    )
    frais_a_charge = "Gratuit"
    modalites_acces = "Se présenter|Envoyer un mail avec une fiche de prescription"
    # A signed site that meets the programme's prerequisites: it may receive lots.
    programme_status = ProgrammeStatus.SIGNED
    agreement_date = datetime.date(2025, 9, 1)
    is_network_member = True
    is_on_national_map = True
    has_training_offer = True
    is_published = True

    @factory.post_generation
    def staff(self, create, users, **kwargs):
        if create and users:
            self.staff.set(users)


def make_site_tree():
    """A home page as the default site's root, with a campaign index below it."""
    root = Page.get_first_root_node()
    # Wagtail's initial migration leaves a "Welcome" placeholder page: replace it.
    Page.objects.filter(depth=2, content_type__model="page").delete()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    index = CampaignIndexPageFactory(parent=home)
    return home, index


def coordinated_campaign(*users, parent=None, **kwargs):
    """A campaign page coordinated by ``users`` (coordinators see only their campaigns'
    records: forms.access), under the campaign index (made when missing)."""
    if parent is None:
        parent = CampaignIndexPage.objects.first() or make_site_tree()[1]
    campaign = CampaignPageFactory(parent=parent, **kwargs)
    for user in users:
        user.coordinated_campaigns.add(campaign)
    return campaign
