"""Lots: ready devices transferred to a mediation site under a transfer agreement."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.engine.models.records import ReferenceCounter, StatusMachine, TransitionNotAllowed
from forms.enums import DeviceStatus
from forms.enums import LotStatus as Status
from forms.model_fields import campaign_field
from forms.site_rules import lot_refusal

LOT_PREFIX = "LOT"
DEFAULT_LOT_SIZE = 10


class Lot(StatusMachine):
    Status = Status
    TRANSITIONS = {Status.DRAFT: {Status.DELIVERED, Status.CANCELLED}}

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    site = models.ForeignKey(
        "content.MediationSite",
        verbose_name=_("mediation site"),
        on_delete=models.PROTECT,
        related_name="lots",
    )
    campaign = campaign_field()
    size = models.PositiveSmallIntegerField(
        _("number of devices"),
        default=DEFAULT_LOT_SIZE,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    price = models.DecimalField(
        _("symbolic price (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    delivered_at = models.DateTimeField(_("delivered on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self):
        return self.reference

    def clean(self):
        super().clean()
        if self.site_id and self.status != Status.CANCELLED and self.site_changed():
            refusal = lot_refusal(self.site)
            if refusal:
                raise ValidationError({"site": refusal})

    def site_changed(self):
        """A new lot, or one moved to another site (a delivered lot's history stays)."""
        return (
            self.pk is None
            or not type(self).objects.filter(pk=self.pk, site_id=self.site_id).exists()
        )

    def transition_refusal(self, to_status):
        if to_status == Status.DELIVERED:
            return lot_refusal(self.site)
        return None

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = ReferenceCounter.next_reference(LOT_PREFIX)
        super().save(*args, **kwargs)

    def transition(self, to_status, by=None, note="", update_fields=()):
        """Delivering allocates the lot's devices to the site; cancelling frees them."""
        with transaction.atomic():
            if to_status == Status.DELIVERED and self.can_transition(to_status):
                refusal = self.transition_refusal(to_status)
                if refusal:  # before the devices: the site is what must change
                    raise TransitionNotAllowed(refusal)
                devices = list(self.devices.select_for_update().order_by("pk"))
                if not devices:
                    raise TransitionNotAllowed(_("This lot has no device."))
                not_ready = [d.inventory_code for d in devices if d.status != DeviceStatus.READY]
                if not_ready:
                    raise TransitionNotAllowed(
                        _("These devices are not ready and cannot be delivered: %(codes)s.")
                        % {"codes": ", ".join(not_ready)}
                    )
                self.delivered_at = timezone.now()
                update_fields = [*update_fields, "delivered_at"]
                super().transition(to_status, by=by, note=note, update_fields=update_fields)
                for device in devices:
                    device.site = self.site
                    device.transition(
                        DeviceStatus.ALLOCATED, by=by, note=self.reference, update_fields=["site"]
                    )
                return self
            result = super().transition(to_status, by=by, note=note, update_fields=update_fields)
            if to_status == Status.CANCELLED:
                self.devices.filter(status=DeviceStatus.READY).update(lot=None)
            return result
