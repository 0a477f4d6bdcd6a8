"""Prescriptions over time: reminders, expiry, and anonymisation after retention."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forms.kinds import all_kinds
from forms.kinds.prescription import prescription_recipients
from forms.models import (
    GeneratedDocument,
    OneYearReview,
    OutgoingEmail,
    Prescription,
    StatusLog,
    Submission,
)
from forms.models.prescription import CLOSED_STATUSES
from forms.notifications import remind_site_of_prescription

WAITING_STATUSES = (Prescription.Status.RECEIVED, Prescription.Status.ACCEPTED)
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
    # Generated PDFs (prescription sheets) name the person: they go with the data,
    # those of prescriptions anonymised before this rule included.
    GeneratedDocument.objects.filter(
        content_type__app_label="forms",
        content_type__model="prescription",
        object_id__in=Prescription.objects.filter(anonymised_at__isnull=False).values("pk"),
    ).delete()
    if not ids:
        forget_review_recipients()
        return 0
    with transaction.atomic():
        Prescription.objects.filter(pk__in=ids).update(**ANONYMISED_FIELDS, anonymised_at=now)
        forget_review_recipients()
        GeneratedDocument.objects.filter(
            content_type__app_label="forms", content_type__model="prescription", object_id__in=ids
        ).delete()
        # The raw answers and the notes of the status history may name the person too.
        Submission.objects.filter(kind="prescription", record_id__in=ids).update(answers=[])
        StatusLog.objects.filter(
            content_type__app_label="forms", content_type__model="prescription", object_id__in=ids
        ).update(note="")
    return len(ids)


def forget_review_recipients():
    """A one-year review forgets the prescriber's address with the prescription's
    personal data (or once the handover has no prescription); its answers are
    anonymous and stay."""
    return (
        OneYearReview.objects.exclude(recipient_email="")
        .filter(
            Q(handover__prescription__isnull=True)
            | Q(handover__prescription__anonymised_at__isnull=False)
        )
        .update(recipient_email="")
    )


def purge_sent_emails(now=None):
    """Forget the emails sent (or given up) more than EMAIL_RETENTION_DAYS ago."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.EMAIL_RETENTION_DAYS)
    old = OutgoingEmail.objects.filter(created_at__lte=limit)
    deleted, _details = old.filter(sent_at__isnull=False).delete()
    given_up, _details = old.filter(
        sent_at__isnull=True, attempts__gte=OutgoingEmail.MAX_ATTEMPTS
    ).delete()
    return deleted + given_up


def purge_kinds(now=None):
    """What each kind of record purges after its own retention: {kind label: count}."""
    return {str(kind.label): kind.purge(now) for kind in all_kinds() if kind.purge}
