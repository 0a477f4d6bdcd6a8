"""The local refurbishing chain: suppliers (donors), refurbishers and prescribers.

This model lives in ``content`` (not ``forms``) because the public directory
block of a campaign page reads it, and ``content`` never imports ``forms`` at
module level; ``forms`` points to it (a device's refurbisher, a pledge's
supplier), which is the allowed direction.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content import standards
from portal.validators import validate_siret


class OrganisationQuerySet(models.QuerySet):
    def with_role(self, role):
        return self.filter(**{f"is_{role}": True})

    def directory(self, department=""):
        """What the public directory lists: published, of the department if given."""
        organisations = self.filter(is_published=True)
        if department:
            organisations = organisations.filter(department=department)
        return organisations.order_by("name")


class Organisation(models.Model):
    ROLES = ("supplier", "refurbisher", "prescriber")

    name = models.CharField(_("name"), max_length=200)
    is_supplier = models.BooleanField(_("supplier or donor"), default=False)
    is_refurbisher = models.BooleanField(_("refurbisher"), default=False)
    is_prescriber = models.BooleanField(_("prescriber"), default=False)
    siret = models.CharField(
        _("SIRET"), max_length=17, blank=True, validators=[validate_siret], db_index=True
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    department = models.CharField(
        _("department"),
        max_length=3,
        blank=True,
        help_text=_("Taken from the postcode when left empty (e.g. 49)."),
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("what they do"), max_length=600, blank=True, help_text=_("Shown in the public directory.")
    )
    is_published = models.BooleanField(
        _("shown in the public directory"),
        default=True,
        help_text=_("The name, role, city, website and description are public; contacts are not."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation of the refurbishing chain")
        verbose_name_plural = _("refurbishing chain")
        indexes = [models.Index(fields=["department"], name="organisation_department")]

    def __str__(self):
        return f"{self.name} ({self.city})" if self.city else self.name

    @property
    def roles(self):
        return [role for role in self.ROLES if getattr(self, f"is_{role}")]

    def role_labels(self):
        return [str(self._meta.get_field(f"is_{role}").verbose_name) for role in self.roles]

    def clean(self):
        super().clean()
        self.siret = "".join(ch for ch in self.siret if ch.isdigit()) if self.siret else ""
        if not self.roles:
            raise ValidationError(
                _("Tick at least one role: supplier or donor, refurbisher, prescriber.")
            )

    def save(self, *args, **kwargs):
        if not self.department and self.postcode:
            self.department = standards.department_code(self.postcode, "")
        super().save(*args, **kwargs)
