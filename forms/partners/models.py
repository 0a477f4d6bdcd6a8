"""A partner's key, the prescriptions it sent, and the webhook deliveries it is owed."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX_LENGTH = 8  # visible part of a key, to tell keys apart in the admin


def hash_key(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class PartnerKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def for_raw_key(self, raw):
        """The active key whose token is ``raw``, or None (one indexed lookup)."""
        if not raw or len(raw) > 200:
            return None
        return self.active().filter(key_hash=hash_key(raw)).first()


class PartnerKey(models.Model):
    """A partner system's key: stored hashed, shown once, revocable."""

    name = models.CharField(_("partner"), max_length=200)
    campaigns = models.ManyToManyField(
        "content.CampaignPage",
        related_name="partner_keys",
        verbose_name=_("campaigns it may send to"),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    callback_url = models.URLField(
        _("callback URL"),
        blank=True,
        max_length=500,
        help_text=_("Each stage change of its prescriptions is sent there (HTTPS)."),
    )
    prefix = models.CharField(_("key begins with"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    webhook_secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True, editable=False)

    objects = PartnerKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner key")
        verbose_name_plural = _("partner keys")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def new_token(self):
        """Give the key a new token and secret (before its first save); returns the token,
        the only time it is readable."""
        raw = f"osk_{secrets.token_urlsafe(32)}"
        self.prefix = raw[: 4 + KEY_PREFIX_LENGTH]
        self.key_hash = hash_key(raw)
        if not self.webhook_secret:
            self.webhook_secret = secrets.token_hex(32)
        return raw

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def may_send_to(self, campaign):
        return self.campaigns.filter(pk=campaign.pk).exists()


class PartnerPrescription(models.Model):
    """A prescription a partner sent: its origin, and when a partner last saw it change."""

    key = models.ForeignKey(
        PartnerKey, on_delete=models.PROTECT, related_name="prescriptions", verbose_name=_("key")
    )
    prescription = models.OneToOneField(
        "forms.Prescription",
        on_delete=models.CASCADE,
        related_name="partner_origin",
        verbose_name=_("prescription"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)

    class Meta:
        verbose_name = _("prescription sent by a partner")
        verbose_name_plural = _("prescriptions sent by partners")

    def __str__(self):
        return f"{self.prescription_id} ← {self.key_id}"


class WebhookDelivery(models.Model):
    """One stage change to POST to a key's callback URL, and what came of it."""

    PENDING = "pending"
    DELIVERED = "delivered"
    GIVEN_UP = "given_up"
    STATES = [
        (PENDING, _("To send")),
        (DELIVERED, _("Delivered")),
        (GIVEN_UP, _("Given up")),
    ]

    key = models.ForeignKey(
        PartnerKey, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("key")
    )
    reference = models.CharField(_("reference"), max_length=20)
    payload = models.JSONField()
    state = models.CharField(_("state"), max_length=16, choices=STATES, default=PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_status_code = models.PositiveIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.reference} → {self.key.name}"
