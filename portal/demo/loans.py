"""Demo refurbishing chain (Anjou campaign, `filiere-anjou`) and loans in every
state (Défis / Ordi 2.0). Idempotent: organisations are matched by name, loans
are made only once."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from content.models import Organisation
from forms.enums import DeviceStatus, LoanStatus, PledgeStatus
from forms.kinds.pledge.models import DonorPledge
from forms.kinds.prescription.models import Prescription
from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan, MaintenanceEntry
from forms.logistics.services.loans import extend_loan, return_loan, start_loan
from forms.logistics.services.organisations import match_supplier
from portal.demo.fixtures import read_fixture

LANDES_REFURBISHER = "Atelier Ordi'Landes"


def load_refurbishing_chain(loader):
    created = 0
    for entry in read_fixture("refurbishing_chain.json"):
        _organisation, new = Organisation.objects.get_or_create(name=entry["name"], defaults=entry)
        created += new
    landes, new = Organisation.objects.get_or_create(
        name=LANDES_REFURBISHER,
        defaults={
            "is_refurbisher": True,
            "postcode": "40000",
            "city": "Mont-de-Marsan",
            "description": "Atelier de reconditionnement du programme OrdiPin40.",
        },
    )
    created += new
    Device.objects.filter(refurbisher__isnull=True, erasure_operator=LANDES_REFURBISHER).update(
        refurbisher=landes
    )
    for pledge in DonorPledge.objects.filter(
        supplier__isnull=True, status__in=[PledgeStatus.COLLECTED, PledgeStatus.CLOSED]
    ):
        match_supplier(pledge, create=True)
    loader.created["organisations"] = created


def load_loans(loader):
    if Loan.objects.exists():
        return
    ready = list(
        Device.objects.filter(status=DeviceStatus.READY, lot__isnull=True).order_by(
            "inventory_code"
        )[:6]
    )
    prescriptions = list(Prescription.objects.exclude(site__isnull=True).order_by("created_at")[:2])
    if len(ready) < 6 or len(prescriptions) < 2:
        return
    coordinator = get_user_model().objects.filter(username="coordination").first()
    defis = Organisation.objects.filter(name="Défis").first()
    today = timezone.localdate()

    def days(offset):
        return today + datetime.timedelta(days=offset)

    def lend(device, **fields):
        return start_loan(Loan(device=device, **fields), by=coordinator)

    # a household, ongoing, due in two months
    lend(ready[0], prescription=prescriptions[0], family_quotient=540, due_date=days(60))
    # a household, overdue
    lend(
        ready[1],
        prescription=prescriptions[1],
        family_quotient=710,
        start_date=days(-100),
        due_date=days(-10),
        agreement_signed_on=days(-100),
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
    cancelled = lend(
        ready[5], prescription=prescriptions[0], family_quotient=540, due_date=days(90)
    )
    cancelled.transition(
        LoanStatus.CANCELLED, by=coordinator, note="La famille a été équipée autrement"
    )
    loader.created["loans"] = Loan.objects.count()
