"""Background work, run by the tasks framework after the request's transaction commits."""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone
from django_tasks import default_task_backend, task

from forms.engine.models.outgoing_email import OutgoingEmail

logger = logging.getLogger(__name__)
RETRY_DELAYS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600]  # seconds


def deliver(email_id):
    """Send one stored email. True when sent (or already sent), False on failure."""
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or email.sent_at:
        return True
    try:
        EmailMessage(subject=email.subject, body=email.body, to=email.to).send()
    except Exception as error:  # noqa: BLE001 - any mail failure is retried, never shown
        OutgoingEmail.objects.filter(pk=email.pk).update(
            attempts=F("attempts") + 1, last_error=type(error).__name__[:255]
        )
        # Logged without addresses or content: only the email's number and the error's kind.
        logger.warning(
            "Email #%s (%s) not sent, attempt %s: %s",
            email.pk,
            email.reason,
            email.attempts + 1,
            type(error).__name__,
        )
        return False
    OutgoingEmail.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


@task()
def send_email(email_id):
    """Send a stored email; on failure, try again later when the backend can defer
    (the database worker), otherwise ``manage.py send_queued_emails`` retries it."""
    if deliver(email_id):
        return
    attempts = OutgoingEmail.objects.filter(pk=email_id).values_list("attempts", flat=True).first()
    if attempts is None or attempts >= OutgoingEmail.MAX_ATTEMPTS:
        return
    if default_task_backend.supports_defer:
        delay = RETRY_DELAYS[min(attempts - 1, len(RETRY_DELAYS) - 1)]
        send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(email_id)


def retry_pending_emails():
    """Try again every email not sent yet (after a mail server outage); returns (sent, failed)."""
    sent = failed = 0
    pending = OutgoingEmail.objects.pending().filter(attempts__lt=OutgoingEmail.MAX_ATTEMPTS)
    for email_id in pending.values_list("pk", flat=True).order_by("created_at"):
        if deliver(email_id):
            sent += 1
        else:
            failed += 1
    return sent, failed
