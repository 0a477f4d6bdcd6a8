"""Handover sheets: anonymous by construction (no name, no contact)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from forms.engine.models.records import Record
from forms.enums import AgeClass, DiagnosticTool, HandoverKind, Sex, SocialStatus
from forms.enums import HandoverStatus as Status
from forms.kinds.handover.review import OneYearReview  # noqa: F401 (loaded with its kind)
from forms.kinds.handover.signals import find_device, handover_recorded
from forms.kinds.prescription.models import prescriber_kind_choices


class HandoverSheet(Record):
    """A computer handed over (or lent) by a mediation site, with the anonymous
    profile the programme reports on."""

    Status = Status
    TRANSITIONS = {Status.RECORDED: {Status.CANCELLED}}

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECORDED
    )
    site = models.ForeignKey(
        "content.MediationSite",
        verbose_name=_("mediation site"),
        on_delete=models.PROTECT,
        related_name="handover_sheets",
    )
    handover_date = models.DateField(_("handover date"))
    device_code = models.CharField(_("device inventory code"), max_length=32)
    device = models.ForeignKey(
        "forms.Device",
        verbose_name=_("device"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="handover_sheets",
    )
    handover_kind = models.CharField(
        _("donation or loan"),
        max_length=16,
        choices=HandoverKind.choices,
        default=HandoverKind.DONATION,
    )
    loan_end_date = models.DateField(_("end of the loan"), null=True, blank=True)
    prescription = models.ForeignKey(
        "forms.Prescription",
        verbose_name=_("prescription"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handover_sheets",
    )

    # Anonymous profile
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.NOT_GIVEN)
    age_class = models.CharField(
        _("age class"), max_length=16, choices=AgeClass.choices, default=AgeClass.NOT_GIVEN
    )
    social_status = models.CharField(
        _("social status"),
        max_length=20,
        choices=SocialStatus.choices,
        default=SocialStatus.NOT_GIVEN,
    )
    prescriber_kind = models.CharField(
        _("kind of prescriber"), max_length=32, choices=prescriber_kind_choices, blank=True
    )
    diagnostic_tool = models.CharField(
        _("diagnostic tool"),
        max_length=20,
        choices=DiagnosticTool.choices,
        default=DiagnosticTool.NONE,
    )
    training_sessions = models.PositiveSmallIntegerField(
        _("number of training sessions"), default=0, validators=[MaxValueValidator(200)]
    )
    training_hours = models.DecimalField(
        _("training hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("999"))],
    )
    no_resale_accepted = models.BooleanField(_("no-resale commitment accepted"), default=False)
    no_resale_text = models.TextField(_("text of the commitment"), blank=True, editable=False)
    ceremony_attended = models.BooleanField(_("attended the handover ceremony"), default=False)
    accompanied = models.BooleanField(
        _("accompanied by the site"),
        default=False,
        help_text=_("The person is followed by the site after the handover (training, help)."),
    )

    class Meta(Record.Meta):
        verbose_name = _("handover sheet")
        verbose_name_plural = _("handover sheets")
        ordering = ["-handover_date", "-created_at"]

    def resolve_device(self):
        """Link the device whose code was given: it must be in the site's stock."""
        if self.device_id or not (self.site_id and self.device_code):
            return
        try:
            device = find_device(self.site_id, self.device_code)
        except ValidationError as error:
            raise ValidationError({"device_code": error.messages}) from error
        if device is not None:
            self.device = device
            self.device_code = device.inventory_code

    def check_campaign(self):
        """A sheet counts for its campaign (the form's, or the one chosen in the admin):
        the device it hands over and the prescription it answers must be of it too."""
        if not self.campaign_id:
            return
        device = self.device if self.device_id else None
        if device is not None and device.campaign_id not in (None, self.campaign_id):
            raise ValidationError(
                {
                    "device_code": _(
                        "The device “%(code)s” belongs to another campaign: record its "
                        "handover with that campaign's form."
                    )
                    % {"code": device.inventory_code}
                }
            )
        prescription = self.prescription if self.prescription_id else None
        if prescription is not None and prescription.campaign_id not in (None, self.campaign_id):
            raise ValidationError(
                {"prescription": _("This prescription belongs to another campaign.")}
            )

    def apply_effects(self, by=None):
        """What a recorded handover changes elsewhere: the device becomes "handed
        over" and the linked prescription "equipped"."""
        handover_recorded.send(sender=type(self), sheet=self, by=by)
        prescription = self.prescription
        if prescription and prescription.can_transition(prescription.Status.EQUIPPED):
            prescription.transition(
                prescription.Status.EQUIPPED,
                by=by,
                note=_("Handover sheet %(reference)s") % {"reference": self.reference},
            )

    def clean(self):
        super().clean()
        if self.handover_kind == HandoverKind.LOAN and not self.loan_end_date:
            raise ValidationError({"loan_end_date": _("A loan needs an end date.")})
        if self.loan_end_date and self.handover_date and self.loan_end_date <= self.handover_date:
            raise ValidationError(
                {"loan_end_date": _("The end of the loan must come after the handover.")}
            )
        if self.pk is None:
            self.resolve_device()
            self.check_campaign()
        if self.prescription_id and self.site_id and self.prescription.site_id != self.site_id:
            raise ValidationError(
                {"prescription": _("This prescription was sent to another site.")}
            )
