"""Background work, run by the tasks framework after the request's transaction commits.

Each email leaves once, whoever sends it (any number of ``db_worker`` processes and
``send_queued_emails`` runs at once): a sender first claims the row with one
conditional UPDATE (no other live claim, not sent), commits it, sends outside any
lock, then marks the row sent. A claim older than ``EMAIL_CLAIM_LEASE_SECONDS``
belongs to a sender that died and is taken back. The one window left: a sender
that dies after the mail server accepted the message and before its UPDATE
commits; the email is then sent again after the lease (at least once, never lost).
The window is kept to that one UPDATE: the connection is opened before and closed
after it, so the server's goodbye is not inside it.
"""

import logging
import os
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import default_task_backend, task

from forms.engine.models.outgoing_email import OutgoingEmail

logger = logging.getLogger(__name__)
RETRY_DELAYS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600]  # seconds

# What ``deliver`` found.
SENT = "sent"  # sent now by this sender
FAILED = "failed"  # the mail server refused or was down: try again later
DONE = "done"  # nothing to do: already sent, given up or deleted
BUSY = "busy"  # another sender holds a live claim on it


def lease():
    return timedelta(seconds=settings.EMAIL_CLAIM_LEASE_SECONDS)


def new_sender_id():
    """Who claims: host and process (to find a stuck sender), plus a token of this claim."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def claimable(now=None):
    """Pending emails no live sender holds."""
    now = now or timezone.now()
    return OutgoingEmail.objects.pending().filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - lease()),
        attempts__lt=OutgoingEmail.MAX_ATTEMPTS,
    )


def claim(email_id, sender):
    """Take the email for ``sender``: True when it is ours to send. One UPDATE whose
    condition the database re-checks under the row's lock (PostgreSQL re-reads a row
    another transaction changed; SQLite has one writer), so two senders never both win.
    A claim counts as an attempt: an email that kills its sender is given up after
    MAX_ATTEMPTS like one the mail server refuses."""
    now = timezone.now()
    return bool(
        claimable(now)
        .filter(pk=email_id)
        .update(claimed_at=now, claimed_by=sender, attempts=F("attempts") + 1)
    )


def deliver(email_id, sender=None):
    """Send one stored email if this sender can claim it; returns SENT, FAILED, DONE or BUSY.

    Call it outside a transaction (a worker's task, a command): the claim must be
    committed before the message leaves, and the mark right after."""
    sender = sender or new_sender_id()
    if not claim(email_id, sender):
        state = OutgoingEmail.objects.filter(pk=email_id).values("sent_at", "attempts").first()
        if state is None or state["sent_at"] or state["attempts"] >= OutgoingEmail.MAX_ATTEMPTS:
            return DONE
        return BUSY
    email = OutgoingEmail.objects.get(pk=email_id)
    connection = get_connection()
    try:
        connection.open()
        EmailMessage(
            subject=email.subject, body=email.body, to=email.to, connection=connection
        ).send()
    except Exception as error:  # noqa: BLE001 - any mail failure is retried, never shown
        OutgoingEmail.objects.filter(pk=email.pk, claimed_by=sender).update(
            last_error=type(error).__name__[:255], claimed_at=None, claimed_by=""
        )
        # Logged without addresses or content: only the email's number and the error's kind.
        logger.warning(
            "Email #%s (%s) not sent, attempt %s: %s",
            email.pk,
            email.reason,
            email.attempts,
            type(error).__name__,
        )
        close_quietly(connection)
        return FAILED
    # The mail server has the message: mark it at once (the at-least-once window).
    OutgoingEmail.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), last_error="", claimed_at=None, claimed_by=""
    )
    close_quietly(connection)
    return SENT


def close_quietly(connection):
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - the message is sent (or failed) already
        logger.info("Mail connection not closed cleanly", exc_info=True)


@task()
def send_email(email_id):
    """Send a stored email; on failure, try again later when the backend can defer
    (the database worker), otherwise ``manage.py send_queued_emails`` retries it.
    An email another sender holds is looked at again when that claim's lease ends
    (its sender may have died)."""
    result = deliver(email_id)
    if result in (SENT, DONE) or not default_task_backend.supports_defer:
        return
    email = OutgoingEmail.objects.filter(pk=email_id).values("attempts", "claimed_at").first()
    if email is None:
        return
    if result == BUSY:
        claimed_at = email["claimed_at"] or timezone.now()  # released meanwhile
        run_after = claimed_at + lease() + timedelta(seconds=1)
    elif email["attempts"] >= OutgoingEmail.MAX_ATTEMPTS:
        return
    else:
        delay = RETRY_DELAYS[min(email["attempts"] - 1, len(RETRY_DELAYS) - 1)]
        run_after = timezone.now() + timedelta(seconds=delay)
    send_email.using(run_after=run_after).enqueue(email_id)


def retry_pending_emails():
    """Try again every email not sent yet and not held by a live sender (after a mail
    server outage, or a sender that died); returns (sent, failed). Safe beside the
    workers and another run of itself."""
    sent = failed = 0
    sender = new_sender_id()
    for email_id in claimable().values_list("pk", flat=True).order_by("created_at"):
        result = deliver(email_id, sender)
        sent += result == SENT
        failed += result == FAILED
    return sent, failed
