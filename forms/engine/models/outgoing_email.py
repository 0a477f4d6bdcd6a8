"""Emails waiting to leave, or sent: every email of the portal goes through here.

An email is written (rendered) in the request that causes it, stored with the
records that request saves, and sent after commit by a background task. A mail
server failure leaves it pending: it is retried, never shown to the person.

A sender claims the row before sending (``claimed_at``/``claimed_by``, one
conditional UPDATE), so any number of workers and ``send_queued_emails`` runs
send each email once; a claim older than ``EMAIL_CLAIM_LEASE_SECONDS`` belongs
to a sender that died and is taken back (forms/engine/tasks.py).
"""

from django.db import models
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)

    def queue_health(self, now=None):
        """Figures for /healthz (one query, nothing personal): the emails waiting to
        leave, the age in seconds of the oldest, and those given up."""
        now = now or timezone.now()
        trying = Q(attempts__lt=OutgoingEmail.MAX_ATTEMPTS)
        figures = self.pending().aggregate(
            waiting=Count("pk", filter=trying),
            oldest=Min("created_at", filter=trying),
            given_up=Count("pk", filter=~trying),
        )
        oldest = figures.pop("oldest")
        figures["oldest_waiting_seconds"] = (
            max(0, int((now - oldest).total_seconds())) if oldest else None
        )
        return figures


class OutgoingEmail(models.Model):
    MAX_ATTEMPTS = 8

    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    to = models.JSONField(_("recipients"), default=list)
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("written on"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    # Set by the sender sending it now; cleared once sent or failed.
    claimed_at = models.DateTimeField(_("claimed on"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self):
        return f"{self.reason or 'email'} #{self.pk}"

    @property
    def gave_up(self):
        return self.sent_at is None and self.attempts >= self.MAX_ATTEMPTS
