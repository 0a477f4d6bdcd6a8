"""Factories of form pages and of the records submissions become."""

import datetime

import factory
import wagtail_factories

from forms.engine.models.form_page import FormPage
from forms.kinds.handover.models import HandoverSheet
from forms.kinds.pledge.models import DonorPledge
from forms.kinds.prescription.models import Prescription, PriorityCriterion
from tests.factories.content import MediationSiteFactory
from tests.factories.steps import pledge_steps

# The Poitiers programme's ordered criteria (docs/PROGRAMME.md).
POITIERS_CRITERIA = [
    "Famille avec enfants sans ordinateur",
    "Demandeur d'emploi",
    "Autre famille suivie par un travailleur social",
    "Étudiant",
]


def criteria_for(campaign, labels=POITIERS_CRITERIA):
    """Give ``campaign`` its own ordered priority criteria (none is shared)."""
    return [
        PriorityCriterion.objects.create(label=label, order=order, campaign=campaign)
        for order, label in enumerate(labels, 1)
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
    priority_criterion = factory.LazyAttribute(
        lambda o: (
            PriorityCriterion.objects.filter(order=1, campaign=o.campaign).first()
            if getattr(o, "campaign", None)
            else None
        )
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
