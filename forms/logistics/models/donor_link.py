"""A donor's private link to follow what became of their pledge."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(32)


class DonorFollowUpLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class DonorFollowUpLink(models.Model):
    pledge = models.ForeignKey(
        "forms.DonorPledge",
        verbose_name=_("donor pledge"),
        on_delete=models.CASCADE,
        related_name="follow_up_links",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    email = models.EmailField(_("sent to"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DonorFollowUpLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("donor follow-up link")
        verbose_name_plural = _("donor follow-up links")

    def __str__(self):
        return f"{self.pledge} ({self.created_at:%d/%m/%Y})"

    @property
    def is_active(self):
        return self.revoked_at is None

    def get_absolute_url(self):
        return reverse("donor_follow_up", args=[self.token])

    def full_url(self):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.get_absolute_url()

    def revoke(self, by=None):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.revoked_by = by
            self.save(update_fields=["revoked_at", "revoked_by"])
