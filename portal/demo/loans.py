"""Demo refurbishing chain (Anjou campaign, `filiere-anjou`, and each campaign's
refurbishers) and loans in every state (Défis / Ordi 2.0, Lorient: its own devices,
prescriptions and sites). Idempotent: organisations are matched by name, loans
are made only once."""

import datetime

from django.utils import timezone

from content.models import CampaignPage, MediationSite, Organisation
from forms.enums import DeviceStatus, LoanStatus, PledgeStatus
from forms.kinds.pledge.models import DonorPledge
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan, MaintenanceEntry
from forms.logistics.services.loans import extend_loan, return_loan, start_loan
from forms.logistics.services.organisations import match_supplier
from portal.demo.campaigns import own_coordinator
from portal.demo.fixtures import read_fixture

LANDES_REFURBISHER = "Atelier Ordi'Landes"
LOAN_CAMPAIGN = "ordi-2-0-lorient"
LOAN_SITE = "demo-56-01"


def load_refurbishing_chain(loader):
    created = 0
    for entry in read_fixture("refurbishing_chain.json"):
        organisation, new = Organisation.objects.get_or_create(name=entry["name"], defaults=entry)
        created += new
        if not new and entry.get("siret") and not organisation.siret:
            # A demo loaded before its refurbishers had a SIRET: their certificates need it.
            Organisation.objects.filter(pk=organisation.pk).update(
                siret=entry["siret"], address=entry["address"]
            )
    _landes, new = Organisation.objects.get_or_create(
        name=LANDES_REFURBISHER,
        defaults={
            "is_refurbisher": True,
            "siret": "40123401700028",
            "address": "8 avenue du Maréchal Foch",
            "postcode": "40000",
            "city": "Mont-de-Marsan",
            "description": "Atelier de reconditionnement du programme OrdiPin40.",
        },
    )
    created += new
    # Each demo device was refurbished by one of its campaign's refurbishers.
    unlinked = Device.objects.filter(refurbisher__isnull=True).exclude(erasure_operator="")
    for name in set(unlinked.values_list("erasure_operator", flat=True)):
        refurbisher = Organisation.objects.filter(name=name, is_refurbisher=True).first()
        if refurbisher:
            unlinked.filter(erasure_operator=name).update(refurbisher=refurbisher)
    for pledge in DonorPledge.objects.filter(
        supplier__isnull=True, status__in=[PledgeStatus.COLLECTED, PledgeStatus.CLOSED]
    ):
        match_supplier(pledge, create=True)
    loader.created["organisations"] = created


def load_loans(loader):
    campaign = CampaignPage.objects.filter(slug=LOAN_CAMPAIGN).first()
    if campaign is None or Loan.objects.filter(campaign=campaign).exists():
        return
    ready = list(
        Device.objects.filter(
            campaign=campaign, status=DeviceStatus.READY, lot__isnull=True
        ).order_by("inventory_code")[:6]
    )
    prescriptions = list(
        Prescription.objects.filter(campaign=campaign, site__identifier=LOAN_SITE).order_by(
            "created_at", "pk"
        )[:2]
    )
    site = MediationSite.objects.filter(identifier=LOAN_SITE).first()
    if len(ready) < 6 or len(prescriptions) < 2 or site is None:
        return
    coordinator = own_coordinator(campaign)
    defis = Organisation.objects.filter(name="Défis").first()
    today = timezone.localdate()

    def days(offset):
        return today + datetime.timedelta(days=offset)

    def lend(device, **fields):
        return start_loan(
            Loan(device=device, site=site, campaign=campaign, **fields), by=coordinator
        )

    # a household, ongoing, due in two months
    # (a household's loan takes the family quotient its prescription gave)
    lend(ready[0], prescription=prescriptions[0], due_date=days(60))
    # a household, overdue: lent on the day of its prescription (a loan never starts
    # before the prescription it answers), due two weeks later (yesterday at the latest)
    prescribed_on = timezone.localdate(prescriptions[1].created_at)
    lend(
        ready[1],
        prescription=prescriptions[1],
        start_date=prescribed_on,
        due_date=max(min(prescribed_on + datetime.timedelta(days=14), days(-1)), prescribed_on),
        agreement_signed_on=prescribed_on,
    )
    # an association with maintenance, due in five days, extended once
    association = lend(
        ready[2],
        borrower_kind="association",
        association=defis,
        borrower_name="Secours populaire de Lorient",
        start_date=days(-180),
        due_date=days(-20),
        condition_out="worn",
    )
    extend_loan(association, days(5), by=coordinator, note="Demande de l'association")
    MaintenanceEntry.objects.create(
        loan=association,
        done_on=days(-90),
        description="Nettoyage, mises à jour du système, remplacement de la batterie.",
        by=coordinator,
    )
    # returned, the device available again
    returned = lend(
        ready[3],
        borrower_kind="association",
        borrower_name="Conseillère numérique de Lanester",
        start_date=days(-120),
        due_date=days(-30),
    )
    return_loan(returned, "good", returned_on=days(-32), available=True, by=coordinator)
    # returned broken, the device retired
    retired = lend(
        ready[4],
        borrower_kind="association",
        borrower_name="Maison de quartier de Kervénanec",
        start_date=days(-200),
        due_date=days(-60),
    )
    return_loan(retired, "broken", returned_on=days(-61), available=False, by=coordinator)
    # cancelled before the device left
    cancelled = lend(ready[5], prescription=prescriptions[0], due_date=days(90))
    cancelled.transition(
        LoanStatus.CANCELLED, by=coordinator, note="La famille a été équipée autrement"
    )
    loader.created["loans"] = Loan.objects.count()
