from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PersonalDataExport(models.Model):
    """Every export of personal data: who, when, what and with which filter."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    model = models.CharField(_("records"), max_length=100)
    export_format = models.CharField(_("format"), max_length=8)
    filters = models.TextField(_("filters"), blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")

    def __str__(self):
        return f"{self.model} {self.at:%Y-%m-%d %H:%M}"
