"""Every email the portal sends leaves through ``queue_email``.

The email is written in the request that causes it, stored as an
``OutgoingEmail`` with the records that request saves (same transaction), and
sent after commit by a background task (``forms.engine.tasks.send_email``): the
immediate backend in development and tests, the database worker in production.
A mail server failure is logged and retried; the person never sees an error.

Staff notices carry a reference and a link, never a beneficiary's details.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forms.engine.models.outgoing_email import OutgoingEmail
from forms.engine.recipients import audience
from forms.engine.tasks import send_email
from forms.enums import CommitteeDecision


def queue_email(subject, template_name, context, to, reason=""):
    """Write the email now; send it once the current transaction commits."""
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    if not recipients:
        return None
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    email = OutgoingEmail.objects.create(
        subject=" ".join(str(subject).split())[:255],
        body=render_to_string(template_name, context),
        to=recipients,
        reason=reason,
    )
    transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify_submission(submission, record, page):
    """The acknowledgement to the person who filled the form, and the notice to staff."""
    kind = page.kind_definition
    context = {
        "page": page,
        "submission": submission,
        "record": record,
        "kind": kind,
        "admin_url": absolute_url(record.admin_url()),
        "handled_by": kind.handled_by(record) if kind.handled_by else "",
        "answers": submission.answers if kind.acknowledge_answers else None,
    }
    recipient = getattr(record, kind.email_field, "") if kind.email_field else ""
    if recipient:
        subject = page.acknowledgement_subject or _("%(kind)s received – %(reference)s") % {
            "kind": kind.label,
            "reference": submission.reference,
        }
        if submission.reference not in subject:
            subject = f"{subject} [{submission.reference}]"
        queue_email(
            subject, "emails/acknowledgement.txt", context, [recipient], reason="acknowledgement"
        )
    staff = page.notify_email_list()
    if kind.notification_event:
        staff = audience(
            kind.notification_event,
            record.campaign_id,
            site=getattr(record, "site", None),
            extra=staff,
        ).staff
    queue_email(
        _("New %(kind)s: %(reference)s")
        % {"kind": str(kind.label).lower(), "reference": submission.reference},
        "emails/staff_notification.txt",
        context,
        staff,
        reason="staff_notification",
    )


def notify_prescriber_of_status(prescription):
    """Tell the prescriber a prescription moved on: its reference and a link, never
    the beneficiary's details."""
    if not prescription.prescriber_email or prescription.anonymised_at:
        return None
    return queue_email(
        _("Prescription %(reference)s: %(status)s")
        % {"reference": prescription.reference, "status": prescription.get_status_display()},
        "emails/prescription_status.txt",
        {"prescription": prescription, "follow_url": absolute_url(prescription.follow_url())},
        [prescription.prescriber_email],
        reason="prescription_status",
    )


def notify_committee_decision(prescription, decision_label, staff, tell_prescriber):
    """The allocation committee's decision: to the staff who act on it (an admin link)
    and to the prescriber (the follow link), never the beneficiary's details nor the
    committee's reason (it stays on the record)."""
    context = {
        "prescription": prescription,
        "decision": decision_label,
        "meeting_date": prescription.committee_meeting_date,
        "granted": prescription.committee_decision == CommitteeDecision.ACCEPTED,
        "waiting_list": prescription.committee_decision == CommitteeDecision.WAITING_LIST,
    }
    subject = _("Prescription %(reference)s: committee decision “%(decision)s”") % {
        "reference": prescription.reference,
        "decision": decision_label,
    }
    sent = []
    sent.append(
        queue_email(
            subject,
            "emails/committee_decision_staff.txt",
            {**context, "admin_url": absolute_url(prescription.admin_url())},
            staff,
            reason="committee_decision_staff",
        )
    )
    if tell_prescriber and prescription.prescriber_email and not prescription.anonymised_at:
        sent.append(
            queue_email(
                subject,
                "emails/committee_decision_prescriber.txt",
                {**context, "follow_url": prescription.follow_absolute_url()},
                [prescription.prescriber_email],
                reason="committee_decision_prescriber",
            )
        )
    return [email for email in sent if email is not None]


def remind_site_of_prescription(prescription, recipients, expiry_days):
    return queue_email(
        _("Reminder: prescription %(reference)s is waiting")
        % {"reference": prescription.reference},
        "emails/prescription_reminder.txt",
        {
            "prescription": prescription,
            "expiry_days": expiry_days,
            "admin_url": absolute_url(prescription.admin_url()),
        },
        recipients,
        reason="prescription_reminder",
    )


def send_donor_follow_up_link(pledge, link):
    return queue_email(
        _("Follow your donation – %(reference)s") % {"reference": pledge.reference},
        "emails/donor_follow_up.txt",
        {"pledge": pledge, "url": link.full_url()},
        [link.email],
        reason="donor_follow_up",
    )


def notify_prescriber_of_handover(prescription):
    """Tell the prescriber the person received their computer: the reference and the
    follow link, never the person's details."""
    if not prescription.prescriber_email or prescription.anonymised_at:
        return None
    return queue_email(
        _("Prescription %(reference)s: computer handed over")
        % {"reference": prescription.reference},
        "emails/prescription_handed_over.txt",
        {"prescription": prescription, "follow_url": prescription.follow_absolute_url()},
        [prescription.prescriber_email],
        reason="prescription_handed_over",
    )


def remind_person_who_did_not_come(prescription):
    """The site expects the person: to their own address, or else to the prescriber
    to pass on (then with the reference only)."""
    if prescription.anonymised_at:
        return None
    to_person = bool(prescription.beneficiary_email)
    return queue_email(
        _("%(site)s is expecting you") % {"site": prescription.site.nom}
        if to_person
        else _("Prescription %(reference)s: the person has not come yet")
        % {"reference": prescription.reference},
        "emails/prescription_no_show.txt",
        {"prescription": prescription, "site": prescription.site, "to_person": to_person},
        [prescription.beneficiary_email if to_person else prescription.prescriber_email],
        reason="prescription_no_show",
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


def send_one_year_review(review):
    """The one-year questionnaire, to the prescriber: the handover's and the
    prescription's references, the site and a private link, never the person's details."""
    handover = review.handover
    return queue_email(
        _("One-year review of handover %(reference)s") % {"reference": handover.reference},
        "emails/one_year_review.txt",
        {
            "handover": handover,
            "prescription_reference": handover.prescription.reference
            if handover.prescription
            else "",
            "site": handover.site,
            "url": absolute_url(reverse("one_year_review", args=[review.token])),
            "answer_days": settings.ONE_YEAR_REVIEW_ANSWER_DAYS,
        },
        [review.recipient_email],
        reason="one_year_review",
    )
