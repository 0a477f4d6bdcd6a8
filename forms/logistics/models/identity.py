"""Each programme's identity on its documents: one per campaign.

The site-wide ``portal.models.ProgrammeSettings`` is only the fallback of a
campaign without its own identity (forms.logistics.services.identity)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from portal.models import ProgrammeIdentityFields


class ProgrammeIdentity(ProgrammeIdentityFields):
    campaign = models.OneToOneField(
        "content.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="programme_identity",
    )
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    panels = [
        FieldPanel("campaign"),
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("siret"),
        MultiFieldPanel(
            [FieldPanel("signatory_name"), FieldPanel("signatory_role")],
            heading=_("Signatory"),
        ),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("logo"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme identity")
        verbose_name_plural = _("programme identities")
