"""Each stage change of a partner's prescription, POSTed to its callback URL.

The change is written (``WebhookDelivery``) in the staff member's transaction and
sent by the task worker after commit: a partner that is slow or down never slows
or fails the action. The body is signed: header ``X-Signature: t=<unix time>,
v1=<hex HMAC-SHA256 of "<t>.<body>" with the key's secret>``. A failure is tried
again with backoff for a day, then given up; the admin shows each delivery.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from forms.partners.models import PartnerPrescription, WebhookDelivery
from forms.partners.status import status_json

logger = logging.getLogger(__name__)
RETRY_DELAYS = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600]  # seconds
SIGNATURE_HEADER = "X-Signature"


def sign(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret, body, timestamp=None):
    timestamp = int(timestamp or time.time())
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def _public_address(host):
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return False
    return bool(infos)


def check_callback_url(url):
    """Refuse a callback that is not HTTPS (in production) or reaches a private,
    loopback or link-local address."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(_("Enter a complete web address."))
    if settings.PARTNER_WEBHOOK_REQUIRE_HTTPS and parts.scheme != "https":
        raise ValidationError(_("The callback address must use HTTPS."))
    if not settings.PARTNER_WEBHOOK_ALLOW_PRIVATE and not _public_address(parts.hostname):
        raise ValidationError(
            _("The callback address must reach a public server, not a private network.")
        )


def stage_changed(prescription):
    """Note that a partner's prescription changed stage and owe its partner a webhook."""
    origin = (
        PartnerPrescription.objects.select_related("key")
        .filter(prescription_id=prescription.pk)
        .first()
    )
    if origin is None:
        return None
    origin.changed_at = timezone.now()
    origin.save(update_fields=["changed_at"])
    if not origin.key.callback_url or origin.key.is_revoked:
        return None
    status = status_json(prescription)
    status["status_url"] = settings.WAGTAILAPI_BASE_URL.rstrip("/") + status["status_url"]
    payload = {"event": "prescription.stage_changed", "prescription": status}
    delivery = WebhookDelivery.objects.create(
        key=origin.key,
        reference=prescription.reference,
        payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
    )
    transaction.on_commit(lambda: send_webhook.enqueue(delivery.pk))
    return delivery


def post(delivery):
    """POST one delivery; returns (status code or None, error text)."""
    key = delivery.key
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    try:
        check_callback_url(key.callback_url)  # again: the address may resolve elsewhere now
    except ValidationError as error:
        return None, error.messages[0]
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        key.callback_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "ordinateurs-solidaires-webhook/1",
            SIGNATURE_HEADER: signature_header(key.webhook_secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.PARTNER_WEBHOOK_TIMEOUT) as answer:  # noqa: S310
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (OSError, ValueError) as error:
        return None, type(error).__name__


def deliver(delivery_id):
    """Try one pending delivery; returns its state afterwards (None once gone)."""
    delivery = (
        WebhookDelivery.objects.select_related("key")
        .filter(pk=delivery_id, state=WebhookDelivery.PENDING)
        .first()
    )
    if delivery is None:
        return None
    # Claimed before sending: a conditional UPDATE moves its next attempt past the time a
    # send may take, so that the worker and `send_partner_webhooks` (or two of either)
    # never POST the same delivery at once; a sender that dies leaves it due again later.
    claimed_until = timezone.now() + timedelta(seconds=2 * settings.PARTNER_WEBHOOK_TIMEOUT)
    if not WebhookDelivery.objects.filter(
        pk=delivery.pk,
        state=WebhookDelivery.PENDING,
        next_attempt_at=delivery.next_attempt_at,
    ).update(next_attempt_at=claimed_until):
        return None
    code, error = post(delivery)
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=WebhookDelivery.DELIVERED, delivered_at=now, last_status_code=code, last_error=""
        )
        return WebhookDelivery.DELIVERED
    # Logged without the payload: only the delivery's number and what went wrong.
    logger.warning("Webhook #%s not delivered: %s", delivery.pk, error or code)
    delay = RETRY_DELAYS[min(delivery.attempts, len(RETRY_DELAYS) - 1)]
    next_at = now + timedelta(seconds=delay)
    give_up = next_at > delivery.created_at + timedelta(
        seconds=settings.PARTNER_WEBHOOK_GIVE_UP_AFTER
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=WebhookDelivery.GIVEN_UP if give_up else WebhookDelivery.PENDING,
        next_attempt_at=next_at,
        last_status_code=code,
        last_error=(error or "")[:300],
    )
    return WebhookDelivery.GIVEN_UP if give_up else WebhookDelivery.PENDING


@task()
def send_webhook(delivery_id):
    """Send one delivery; on failure, again later when the backend can defer (the
    database worker), otherwise ``retry_due_webhooks`` sends it."""
    state = deliver(delivery_id)
    if state == WebhookDelivery.PENDING and default_task_backend.supports_defer:
        run_after = WebhookDelivery.objects.get(pk=delivery_id).next_attempt_at
        send_webhook.using(run_after=run_after).enqueue(delivery_id)


def retry_due_webhooks():
    """Try every pending delivery whose time has come; returns how many were delivered."""
    due = WebhookDelivery.objects.filter(
        state=WebhookDelivery.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    return sum(deliver(pk) == WebhookDelivery.DELIVERED for pk in list(due))
