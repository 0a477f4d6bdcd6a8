"""The demo: loans in every state and the Anjou refurbishing chain."""

import pytest
from django.core.management import call_command

from content.models import Organisation
from forms.logistics.models.loan import Loan, MaintenanceEntry

pytestmark = pytest.mark.django_db


def test_demo_has_loans_in_every_state_and_the_anjou_chain(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    loans = Loan.objects.all()
    statuses = set(loans.values_list("status", flat=True))
    assert statuses == {"ongoing", "returned", "cancelled"}
    assert loans.overdue().exists() and loans.ongoing().exclude(pk__in=loans.overdue()).exists()
    assert loans.filter(extensions__gt=0).exists()
    assert set(loans.values_list("borrower_kind", flat=True)) == {"household", "association"}
    assert MaintenanceEntry.objects.exists()
    returned = set(loans.filter(status="returned").values_list("device__status", flat=True))
    assert returned == {"ready", "recycled"}  # available again, or retired
    assert Organisation.objects.filter(department="49", is_refurbisher=True).exists()
    html = client.get("/campagnes/filiere-anjou/").content.decode()
    assert "Envie Anjou" in html and "CCAS d" in html
    counts = (Loan.objects.count(), Organisation.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Loan.objects.count(), Organisation.objects.count()) == counts
