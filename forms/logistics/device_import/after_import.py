"""What follows a device import: status changes logged, and a loan for every lent device."""

from django.utils import timezone
from django.utils.translation import gettext as _

from forms import access
from forms.engine.models.records import ReferenceCounter
from forms.enums import BorrowerKind, DeviceStatus, LoanStatus
from forms.logistics.device_import.writing import Inserter, log_creations
from forms.logistics.models.device import Device
from forms.logistics.models.loan import LOAN_PREFIX, Loan


def after_import(importer, by, user=None):
    """Log every status change (each creation is logged with its batch); give each lent
    device its loan (those ``user`` sees, when given)."""
    importer.log_changes()
    return create_loans_for_lent_devices(by=by, user=user)


def create_loans_for_lent_devices(by=None, user=None):
    """An ongoing loan for every lent device that has none (imported as lent);
    with ``user``, only for the devices they see.

    A device lent to a borrower the file does not name (``to_complete``) gets its loan
    all the same: the machine is out, the loan counts in the programme's figures and
    its reminders can follow. The loan's borrower is left blank and its notes say it
    is to complete; when the site fills in the device's borrower, the loan gets it
    (``Device.save``), and editing the loan asks for it (``Loan.clean``)."""
    devices = Device.objects.all() if user is None else access.scope(user, Device.objects.all())
    lent = (
        devices.filter(status=DeviceStatus.LENT)
        .exclude(loans__status=LoanStatus.ONGOING)
        .values_list("pk", "lent_to", "lent_at", "loan_return_date", "campaign_id", "site_id")
    )
    lent = list(lent)
    if not lent:
        return 0
    references = iter(ReferenceCounter.next_references(LOAN_PREFIX, len(lent)))
    today = timezone.localdate()
    loans = [
        Loan(
            reference=next(references),
            device_id=pk,
            borrower_kind=BorrowerKind.ASSOCIATION,
            borrower_name=(lent_to or "")[:200],
            start_date=timezone.localdate(lent_at) if lent_at else today,
            due_date=due,
            campaign_id=campaign_id,
            site_id=site_id,
            notes=_("Created from a file import.")
            + ("" if lent_to else " " + _("Borrower to complete.")),
        )
        for pk, lent_to, lent_at, due, campaign_id, site_id in lent
    ]
    Inserter(Loan).insert(loans)
    log_creations(
        Loan, "reference", [loan.reference for loan in loans], by, timezone.now(), _("File import")
    )
    return len(loans)
