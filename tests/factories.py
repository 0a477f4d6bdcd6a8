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
from forms.models import DonorPledge, FormPage, HandoverSheet, Prescription, PriorityCriterion


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
def core(name, kind="pledge", **options):
    return ("core_field", {"core": f"{kind}:{name}", **options})


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


def prescription_steps():
    def pre(name, **options):
        return core(name, kind="prescription", **options)

    return [
        (
            "step",
            {
                "title": "Prescripteur",
                "fields": [
                    pre("prescriber_kind"),
                    pre("prescriber_organisation"),
                    pre("prescriber_name"),
                    pre("prescriber_email"),
                    pre("prescriber_phone"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "La personne",
                "fields": [
                    pre("beneficiary_first_name"),
                    pre("beneficiary_last_name"),
                    pre("beneficiary_phone"),
                    pre("beneficiary_email"),
                    pre("commune"),
                    pre("postcode"),
                    pre("household_adults"),
                    pre("household_children"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Situation",
                "fields": [
                    pre("priority_criterion"),
                    pre("situation"),
                    pre("needs"),
                    pre("owned_equipment"),
                    pre("aptic_cheques"),
                ],
            },
        ),
        ("step", {"title": "Lieu", "fields": [pre("site")]}),
        (
            "step",
            {
                "title": "Engagements",
                "fields": [
                    pre("beneficiary_agreement", text="La personne est d'accord (v1)."),
                    pre("prescriber_commitment", text="Je protège ses données (v1)."),
                ],
            },
        ),
    ]


def handover_steps():
    def rem(name, **options):
        return core(name, kind="handover", **options)

    return [
        (
            "step",
            {
                "title": "Remise",
                "fields": [
                    rem("site"),
                    rem("handover_date"),
                    rem("device_code"),
                    rem("handover_kind"),
                    rem(
                        "loan_end_date",
                        required=True,
                        condition={"field": "handover_kind", "value": "loan"},
                    ),
                    rem("prescription"),
                ],
            },
        ),
        (
            "step",
            {
                "title": "Profil",
                "fields": [
                    rem("sex"),
                    rem("age_class"),
                    rem("social_status"),
                    rem("prescriber_kind"),
                    rem("diagnostic_tool"),
                    rem("training_sessions"),
                    rem("training_hours"),
                    rem("no_resale_accepted", text="Je ne revendrai pas cet ordinateur (v1)."),
                    rem("ceremony_attended"),
                ],
            },
        ),
    ]


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    reference = factory.Sequence(lambda n: f"PRE-2026-{n + 1:05d}")
    site = factory.SubFactory(MediationSiteFactory)
    prescriber_kind = "CCAS"
    prescriber_organisation = "CCAS de Dax"
    prescriber_name = "Julie Lacoste"
    prescriber_email = "julie@example.org"
    beneficiary_first_name = "Amina"
    beneficiary_last_name = factory.Sequence(lambda n: f"Diallo{n}")
    beneficiary_phone = "0612345678"
    commune = "Dax"
    postcode = "40100"
    situation = "rsa"
    needs = factory.LazyFunction(lambda: ["computer"])
    priority_criterion = factory.LazyFunction(
        lambda: PriorityCriterion.objects.filter(order=1).first()
    )


class HandoverSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandoverSheet

    reference = factory.Sequence(lambda n: f"REM-2026-{n + 1:05d}")
    site = factory.SubFactory(MediationSiteFactory)
    handover_date = datetime.date(2026, 11, 2)
    device_code = factory.Sequence(lambda n: f"OS-{n:05d}")
    sex = "female"
    age_class = "25_39"
    social_status = "employed"
    no_resale_accepted = True


# Devices, lots and documents (issue 6) --------------------------------------
class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forms.Device"

    inventory_code = factory.Sequence(lambda n: f"EQ-TEST-{n + 1:05d}")
    device_type = "laptop"
    brand = "Dell"
    model_name = "Latitude 5490"
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    status = "received"


class DeviceBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "forms.DeviceBatch"

    kind = "public_body"
    supplier_name = "Conseil départemental des Landes"
