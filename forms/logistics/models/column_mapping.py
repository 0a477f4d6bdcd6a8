"""The column mapping a refurbisher's files need, remembered from one import to the next."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeviceColumnMapping(models.Model):
    """``mapping``: {column header as the refurbisher's file writes it: the device import
    column it is read as, or "" to ignore it}."""

    refurbisher = models.OneToOneField(
        "content.Organisation",
        verbose_name=_("refurbisher"),
        on_delete=models.CASCADE,
        related_name="device_column_mapping",
    )
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated on"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("device column mapping")
        verbose_name_plural = _("device column mappings")

    def __str__(self):
        return str(self.refurbisher)
