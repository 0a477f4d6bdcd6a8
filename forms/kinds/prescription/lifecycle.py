"""Prescriptions over time: reminders, expiry, and anonymisation after retention."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forms.engine.models.records import StatusLog
from forms.engine.models.submission import Submission
from forms.engine.notifications import remind_site_of_prescription
from forms.kinds.prescription import prescription_recipients
from forms.kinds.prescription.models import CLOSED_STATUSES, Prescription
from forms.kinds.prescription.signals import prescriptions_anonymised

# Waiting for the site to act (a granted prescription too; the committee's waiting
# list waits for a later meeting, not the site).
WAITING_STATUSES = (
    Prescription.Status.RECEIVED,
    Prescription.Status.GRANTED,
    Prescription.Status.ACCEPTED,
)
ANONYMISED_FIELDS = {
    "beneficiary_first_name": "",
    "beneficiary_last_name": "",
    "beneficiary_phone": "",
    "beneficiary_email": "",
    "prescriber_name": "",
    "prescriber_email": "",
    "prescriber_phone": "",
    "commune": "",
    "extra_answers": {},
}


def send_reminders(now=None):
    """Remind site staff of prescriptions waiting without action for a while."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.PRESCRIPTION_REMINDER_DAYS)
    waiting = Prescription.objects.filter(
        status__in=WAITING_STATUSES, updated_at__lte=limit, reminder_sent_at__isnull=True
    ).select_related("site")
    count = 0
    for prescription in waiting:
        with transaction.atomic():
            remind_site_of_prescription(
                prescription,
                prescription_recipients(prescription),
                settings.PRESCRIPTION_EXPIRY_DAYS,
            )
            Prescription.objects.filter(pk=prescription.pk).update(reminder_sent_at=now)
        count += 1
    return count


def expire_stale(now=None):
    """Prescriptions with no action for PRESCRIPTION_EXPIRY_DAYS become "expired"."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.PRESCRIPTION_EXPIRY_DAYS)
    count = 0
    for prescription in Prescription.objects.filter(
        status__in=WAITING_STATUSES, updated_at__lte=limit
    ):
        prescription.transition(
            Prescription.Status.EXPIRED, note=_("No action within the expiry delay")
        )
        count += 1
    return count


def purge_personal_data(now=None):
    """Anonymise prescriptions closed more than PRESCRIPTION_RETENTION_DAYS ago
    (expired ones included), keeping what statistics need: criterion, prescriber
    kind and organisation, site, postcode, dates, status. Idempotent."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.PRESCRIPTION_RETENTION_DAYS)
    due = Prescription.objects.personal().filter(status__in=CLOSED_STATUSES, closed_at__lte=limit)
    ids = list(due.values_list("pk", flat=True))
    with transaction.atomic():
        if ids:
            Prescription.objects.filter(pk__in=ids).update(**ANONYMISED_FIELDS, anonymised_at=now)
            # The raw answers and the notes of the status history may name the person too.
            Submission.objects.filter(kind="prescription", record_id__in=ids).update(answers=[])
            StatusLog.objects.filter(
                content_type__app_label="forms",
                content_type__model="prescription",
                object_id__in=ids,
            ).update(note="")
        # What other layers made from the records (the PDF prescription sheets) names the
        # person too: it goes with the data, including for records anonymised earlier.
        prescriptions_anonymised.send(sender=Prescription)
    return len(ids)
