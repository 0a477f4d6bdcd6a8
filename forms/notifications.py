"""Emails that follow a submission. Staff notices carry a reference and a link only."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from forms.models import Submission


def notify_submission(submission_id):
    submission = Submission.objects.select_related("form_page").get(pk=submission_id)
    page = submission.form_page.specific if submission.form_page else None
    record = submission.record
    if page is None or record is None:
        return
    kind = page.kind_definition
    recipient = getattr(record, kind.email_field, "") if kind.email_field else ""
    context = {
        "page": page,
        "submission": submission,
        "record": record,
        "kind": kind,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + record.admin_url(),
    }
    if recipient:
        subject = page.acknowledgement_subject or _("%(kind)s received – %(reference)s") % {
            "kind": kind.label,
            "reference": submission.reference,
        }
        EmailMessage(
            subject=f"{subject} [{submission.reference}]"
            if submission.reference not in subject
            else subject,
            body=render_to_string("emails/acknowledgement.txt", context),
            to=[recipient],
        ).send()
    staff = page.notify_email_list()
    if kind.staff_recipients:
        staff = sorted(set(staff) | set(kind.staff_recipients(record)))
    if staff:
        EmailMessage(
            subject=_("New %(kind)s: %(reference)s")
            % {"kind": str(kind.label).lower(), "reference": submission.reference},
            body=render_to_string("emails/staff_notification.txt", context),
            to=staff,
        ).send()


def notify_prescriber_of_status(prescription):
    """Tell the prescriber a prescription moved on: its reference and a link, never
    the beneficiary's details."""
    if not prescription.prescriber_email or prescription.anonymised_at:
        return
    context = {
        "prescription": prescription,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "follow_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + prescription.follow_url(),
    }
    EmailMessage(
        subject=_("Prescription %(reference)s: %(status)s")
        % {"reference": prescription.reference, "status": prescription.get_status_display()},
        body=render_to_string("emails/prescription_status.txt", context),
        to=[prescription.prescriber_email],
    ).send()
