"""Each programme's identity on its documents: one per campaign.

The site-wide ``portal.models.ProgrammeSettings`` is only the fallback of a
campaign without its own identity (forms.logistics.services.identity)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from portal.validators import validate_siret


class ProgrammeIdentity(models.Model):
    campaign = models.OneToOneField(
        "content.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="programme_identity",
    )
    name = models.CharField(
        _("programme name"),
        max_length=200,
        help_text=_("First line of the header of the documents the programme issues."),
    )
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_("One line per line of the address, e.g. the coordinating body, street, town."),
    )
    siret = models.CharField(_("SIRET"), max_length=17, blank=True, validators=[validate_siret])
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
    signatory_name = models.CharField(
        _("signatory"),
        max_length=150,
        blank=True,
        help_text=_("The person who signs the agreements for the programme."),
    )
    signatory_role = models.CharField(
        _("signatory's role"), max_length=150, blank=True, help_text=_("e.g. Director.")
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

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.siret = "".join(ch for ch in self.siret if ch.isdigit())
