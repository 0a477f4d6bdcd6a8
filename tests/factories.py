"""Factories for the models tests need. One place, shared by every test module."""

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
from forms.models import DonorPledge, FormPage


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
    programme_status = ProgrammeStatus.SIGNED
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


# Forms -------------------------------------------------------------------
def core(name, **options):
    return ("core_field", {"core": f"pledge:{name}", **options})


def pledge_steps():
    """A small but complete pledge form: a conditional step and a conditional field."""
    return [
        (
            "step",
            {
                "title": "Votre organisation",
                "intro": "Qui donne ?",
                "fields": [
                    core("organisation_name"),
                    core("organisation_kind"),
                    core("siret", label="Numéro SIRET"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Contact",
                "fields": [
                    core("contact_name"),
                    core("contact_email"),
                    core("contact_phone"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Adresse",
                "fields": [
                    core("address"),
                    core("postcode"),
                    core("city"),
                    core("pickup_address_differs", label="Enlèvement à une autre adresse ?"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Adresse d'enlèvement",
                "condition": {"field": "pickup_address_differs", "value": "yes"},
                "fields": [
                    core("pickup_address", required=True),
                    core("pickup_city", required=True),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Matériel et engagements",
                "fields": [
                    core("laptops"),
                    core("accessories"),
                    core("erasure_by"),
                    (
                        "single_choice",
                        {
                            "label": "Comment nous avez-vous connus ?",
                            "name": "connu_par",
                            "required": False,
                            "choices": ["Presse", "Autre"],
                        },
                    ),
                    (
                        "short_text",
                        {
                            "label": "Précisez",
                            "name": "connu_par_autre",
                            "required": True,
                            "condition": {"field": "connu_par", "value": "Autre"},
                        },
                    ),
                    core("terms_accepted", text="J'accepte les conditions du don."),
                ],
            },
        ),
    ]


class FormPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FormPage

    title = "Promesse de don"
    slug = "don"
    kind = "pledge"
    thank_you_text = "<p>Merci beaucoup !</p>"
    acknowledgement_subject = "Votre promesse de don"
    acknowledgement_text = "Merci pour votre promesse."
    notify_emails = "equipe@example.org"
    steps = factory.LazyFunction(pledge_steps)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        page = super()._create(model_class, *args, **kwargs)
        page.save_revision().publish()  # a live revision, as an editor's publish leaves it
        return FormPage.objects.get(pk=page.pk)


class DonorPledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DonorPledge

    reference = factory.Sequence(lambda n: f"DON-2026-{n + 1:05d}")
    organisation_name = factory.Sequence(lambda n: f"Entreprise {n}")
    organisation_kind = "company"
    contact_name = "Sophie Martin"
    contact_email = "sophie@example.com"
    address = "12 rue du Port"
    postcode = "17000"
    city = "La Rochelle"
    laptops = 10
    terms_accepted = True
