"""What happens to a loan: it starts, is extended, comes back; reminders."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.enums import NotificationEvent
from forms.engine.notifications import absolute_url, queue_email
from forms.engine.recipients import audience
from forms.enums import DeviceStatus, LoanStatus
from forms.logistics.models.loan import Loan


def reminder_days_before():
    return getattr(settings, "LOAN_REMINDER_DAYS_BEFORE", 7)


def start_loan(loan, by=None):
    """Save a new loan and move its device from ready to lent (logged on both)."""
    device = loan.device
    if device.status != DeviceStatus.READY:
        raise ValidationError(
            {
                "device": _("Only a ready device can be lent; “%(code)s” is “%(status)s”.")
                % {"code": device.inventory_code, "status": device.get_status_display()}
            }
        )
    loan.full_clean()
    with transaction.atomic():
        loan.save()
        loan.log_creation(by=by)
        device.lent_to = str(loan.borrower_display)[:200]
        device.loan_return_date = loan.due_date
        device.transition(
            DeviceStatus.LENT,
            by=by,
            note=loan.reference,
            update_fields=["lent_to", "loan_return_date"],
        )
        # The loan request it answers is handled: it leaves the lists of answers to handle.
        answer = loan.source_answer
        if answer is not None and answer.can_transition(answer.Status.DONE):
            answer.transition(answer.Status.DONE, by=by, note=loan.reference)
    return loan


def extend_loan(loan, new_due_date, by=None, note=""):
    if loan.status != LoanStatus.ONGOING:
        raise ValidationError(_("Only an ongoing loan can be extended."))
    if loan.due_date and new_due_date <= loan.due_date:
        raise ValidationError(
            {
                "due_date": _("The new due date must be after the current one (%(date)s).")
                % {"date": loan.due_date.strftime("%d/%m/%Y")}
            }
        )
    previous = loan.due_date
    with transaction.atomic():
        loan.due_date = new_due_date
        loan.extensions += 1
        # A new due date deserves new reminders.
        loan.reminder_before_sent_on = None
        loan.reminder_after_sent_on = None
        loan.save(
            update_fields=[
                "due_date",
                "extensions",
                "reminder_before_sent_on",
                "reminder_after_sent_on",
                "updated_at",
            ]
        )
        loan.log_change(
            by=by,
            note=_("Extended from %(old)s to %(new)s. %(note)s")
            % {
                "old": previous.strftime("%d/%m/%Y") if previous else "—",
                "new": new_due_date.strftime("%d/%m/%Y"),
                "note": note,
            },
        )
        device = loan.device
        device.loan_return_date = new_due_date
        device.save(update_fields=["loan_return_date", "updated_at"])
    return loan


def return_loan(loan, condition_back, returned_on=None, available=True, by=None, note=""):
    """The device comes back: the loan is returned, the device returned, then
    available again (ready) or retired (recycled)."""
    if loan.status != LoanStatus.ONGOING:
        raise ValidationError(_("This loan is not ongoing."))
    returned_on = returned_on or timezone.localdate()
    if returned_on < loan.start_date:
        raise ValidationError(
            {"returned_on": _("The return date cannot be before the start of the loan.")}
        )
    with transaction.atomic():
        loan.condition_back = condition_back
        loan.returned_on = returned_on
        loan.transition(
            LoanStatus.RETURNED,
            by=by,
            note=note,
            update_fields=["condition_back", "returned_on"],
        )
        device = loan.device
        device.transition(DeviceStatus.RETURNED, by=by, note=loan.reference)
        device.lent_to = ""
        device.loan_return_date = None
        device.save(update_fields=["lent_to", "loan_return_date", "updated_at"])
        next_status = DeviceStatus.READY if available else DeviceStatus.RECYCLED
        device.transition(next_status, by=by, note=loan.reference)
    return loan


def _staff(event, loan):
    """The staff told of a loan ending or overdue: its campaign's rules (by default,
    overdue loans to the site's staff, else the campaign's coordinators)."""
    return audience(event, loan.campaign_id, site=loan.site).staff


def _recipients(loan):
    addresses = [loan.borrower_email]
    if not loan.borrower_email and loan.association_id:
        addresses.append(loan.association.contact_email)
    if not any(addresses) and loan.prescription_id:
        addresses.append(loan.prescription.beneficiary_email)
    return [address for address in addresses if address]


def send_reminders(today=None):
    """Remind borrowers a few days before the due date and the day after it.

    Returns (reminders before, reminders after). Each is sent once per due date."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=reminder_days_before())
    before = after = 0
    ongoing = Loan.objects.ongoing().exclude(due_date__isnull=True)
    for loan in ongoing.filter(
        due_date__gte=today, due_date__lte=soon, reminder_before_sent_on__isnull=True
    ).select_related("association", "prescription", "site", "device"):
        with transaction.atomic():
            queue_email(
                _("Your loan %(reference)s ends on %(date)s")
                % {"reference": loan.reference, "date": loan.due_date.strftime("%d/%m/%Y")},
                "emails/loan_reminder_before.txt",
                {"loan": loan},
                _recipients(loan),
                reason="loan_reminder_before",
            )
            queue_email(
                _("Loan %(reference)s ends on %(date)s")
                % {"reference": loan.reference, "date": loan.due_date.strftime("%d/%m/%Y")},
                "emails/loan_due_staff.txt",
                {"loan": loan, "admin_url": absolute_url(loan.admin_url())},
                _staff(NotificationEvent.LOAN_DUE, loan),
                reason="loan_due_staff",
            )
            loan.reminder_before_sent_on = today
            loan.save(update_fields=["reminder_before_sent_on", "updated_at"])
        before += 1
    for loan in ongoing.filter(
        due_date__lt=today, reminder_after_sent_on__isnull=True
    ).select_related("association", "prescription", "site", "device"):
        with transaction.atomic():
            queue_email(
                _("Loan %(reference)s: the computer was due back on %(date)s")
                % {"reference": loan.reference, "date": loan.due_date.strftime("%d/%m/%Y")},
                "emails/loan_overdue.txt",
                {"loan": loan},
                _recipients(loan),
                reason="loan_overdue",
            )
            queue_email(
                _("Overdue loan %(reference)s") % {"reference": loan.reference},
                "emails/loan_overdue_staff.txt",
                {"loan": loan, "admin_url": absolute_url(loan.admin_url())},
                _staff(NotificationEvent.LOAN_OVERDUE, loan),
                reason="loan_overdue_staff",
            )
            loan.reminder_after_sent_on = today
            loan.save(update_fields=["reminder_after_sent_on", "updated_at"])
        after += 1
    return before, after
