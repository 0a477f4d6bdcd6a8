# The module also makes Django emit post_migrate for this app, which synchronises
# the staff groups (see portal.roles).

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class RateLimitCounter(models.Model):
    """One client's request count in one time window (forms/ratelimit.py).

    Incremented by a single INSERT … ON CONFLICT DO UPDATE … RETURNING statement:
    exact under concurrency, and no failed write per request."""

    bucket = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)  # Unix time when the window closes

    class Meta:
        verbose_name = "rate-limit counter"

    def __str__(self):
        return f"{self.bucket}: {self.count}"


@register_setting(icon="site")
class ProgrammeSettings(BaseGenericSetting):
    """Who runs the programme: the header of every document (PDF) it issues."""

    name = models.CharField(
        _("programme name"),
        max_length=200,
        default="Programme Ordinateurs solidaires",
        help_text=_("First line of the header of the documents the programme issues."),
    )
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_("One line per line of the address, e.g. the coordinating body, street, town."),
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the documents (PNG or JPEG)."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("logo"),
    ]

    class Meta:
        verbose_name = _("programme")

    def header_lines(self):
        lines = [self.name.strip(), *self.address.splitlines()]
        contact = " – ".join(part for part in (self.phone.strip(), self.email.strip()) if part)
        return [line.strip() for line in (*lines, contact) if line.strip()]
