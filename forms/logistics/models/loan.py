"""Loans of refurbished devices (Défis / Ordi 2.0, Lorient): free of charge, to a
household through its prescription (under an income criterion) or to an
association, which also gets maintenance.

A loan moves its device through the device's own state machine: ready → lent
when it starts, lent → returned when it comes back, then ready again or retired
(forms/services/loans.py). Every change is logged on both.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.engine.campaign_questions import asks
from forms.engine.models.records import ReferenceCounter, StatusMachine
from forms.enums import BorrowerKind, DeviceCondition, DeviceStatus
from forms.enums import LoanStatus as Status
from forms.model_fields import campaign_field
from forms.site_rules import left_programme_refusal

LOAN_PREFIX = "PRET"


def income_ceiling():
    return getattr(settings, "LOAN_INCOME_CEILING", 1000)


class LoanQuerySet(models.QuerySet):
    def ongoing(self):
        return self.filter(status=Status.ONGOING)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.ongoing().filter(due_date__lt=today)


class Loan(StatusMachine):
    Status = Status
    TRANSITIONS = {Status.ONGOING: {Status.RETURNED, Status.CANCELLED}}
    # Returned through the return form (condition, date), never by a bare status change.
    AUTOMATIC_STATUSES = (Status.RETURNED,)

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ONGOING
    )
    device = models.ForeignKey(
        "forms.Device", verbose_name=_("device"), on_delete=models.PROTECT, related_name="loans"
    )
    borrower_kind = models.CharField(
        _("borrower"), max_length=16, choices=BorrowerKind.choices, default=BorrowerKind.HOUSEHOLD
    )
    prescription = models.ForeignKey(
        "forms.Prescription",
        verbose_name=_("prescription of the household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    association = models.ForeignKey(
        "content.Organisation",
        verbose_name=_("association (refurbishing chain)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    borrower_name = models.CharField(
        _("borrower's name"),
        max_length=200,
        blank=True,
        help_text=_("An association or digital adviser not in the refurbishing chain."),
    )
    borrower_email = models.EmailField(
        _("email for reminders"),
        blank=True,
        help_text=_("Reminders before and after the due date."),
    )
    site = models.ForeignKey(
        "content.MediationSite",
        verbose_name=_("lending site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
        help_text=_("The household's site when left empty."),
    )
    campaign = campaign_field()
    # The free-form answer (a loan request) this loan was created from, if any.
    source_answer = models.ForeignKey(
        "forms.FormAnswer",
        verbose_name=_("created from the answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="loans",
    )
    # Income criterion (household loans): the family quotient ("quotient familial").
    family_quotient = models.PositiveIntegerField(
        _("family quotient (€)"),
        null=True,
        blank=True,
        help_text=_("Household loans: the CAF family quotient, at most the programme's ceiling."),
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("Empty for an open-ended loan.")
    )
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0, editable=False)
    condition_out = models.CharField(
        _("condition when it leaves"),
        max_length=16,
        choices=DeviceCondition.choices,
        default=DeviceCondition.GOOD,
    )
    condition_back = models.CharField(
        _("condition when it comes back"),
        max_length=16,
        choices=DeviceCondition.choices,
        blank=True,
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True, editable=False)
    agreement_signed_on = models.DateField(_("loan agreement signed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    reminder_before_sent_on = models.DateField(null=True, blank=True, editable=False)
    reminder_after_sent_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=models.Q(status="ongoing"),
                name="one_ongoing_loan_per_device",
            )
        ]

    def __str__(self):
        return f"{self.reference} – {self.borrower_display}"

    @property
    def borrower_display(self):
        """Who borrows, without personal data: a household is named by its prescription."""
        if self.borrower_kind == BorrowerKind.HOUSEHOLD and self.prescription_id:
            return _("Household %(reference)s") % {"reference": self.prescription.reference}
        if self.association_id:
            return self.association.name
        return self.borrower_name

    @property
    def is_overdue(self):
        return (
            self.status == Status.ONGOING
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    @property
    def under_income_criterion(self):
        """Whether the loan's campaign (else its device's) asks for the family quotient
        (its "Programme" tab); a loan of no campaign keeps the criterion."""
        campaign = self.campaign if self.campaign_id else None
        if campaign is None and self.device_id:
            campaign = self.device.campaign
        return asks(campaign, "family_quotient")

    def clean(self):
        super().clean()
        errors = {}
        if self.borrower_kind == BorrowerKind.HOUSEHOLD:
            # A household borrows through its prescription, or its own loan request
            # (an answer to a free form turned into this loan).
            if not self.prescription_id and not self.source_answer_id:
                errors["prescription"] = _("A household borrows through its prescription.")
            if self.family_quotient is None and self.prescription_id:
                # the quotient the prescription gave, unless the loan form says otherwise
                self.family_quotient = self.prescription.family_quotient
            if not self.under_income_criterion:
                pass  # the campaign lends without an income criterion
            elif self.family_quotient is None:
                errors["family_quotient"] = _(
                    "Give the household's family quotient: loans are subject to an income criterion."
                )
            elif self.family_quotient > income_ceiling():
                errors["family_quotient"] = _(
                    "Above the programme's ceiling (%(ceiling)s €): the household is not eligible "
                    "for a loan."
                ) % {"ceiling": income_ceiling()}
        elif not (self.association_id or self.borrower_name):
            errors["association"] = _("Choose the association or write the borrower's name.")
        if self.due_date and self.start_date and self.due_date < self.start_date:
            errors["due_date"] = _("The due date cannot be before the start date.")
        if self.pk is None:  # a site that left the programme lends nothing new
            site = self.site if self.site_id else getattr(self.prescription, "site", None)
            refusal = left_programme_refusal(site)
            if refusal:
                errors["site" if self.site_id else "prescription"] = refusal
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = ReferenceCounter.next_reference(LOAN_PREFIX)
        if self.site_id is None and self.prescription_id:
            self.site_id = self.prescription.site_id
        if self.campaign_id is None and self.device_id:
            self.campaign_id = self.device.campaign_id
        super().save(*args, **kwargs)

    def transition(self, to_status, by=None, note="", update_fields=()):
        """A cancelled loan puts its device back in stock (lent → returned → ready)."""
        with transaction.atomic():
            super().transition(to_status, by=by, note=note, update_fields=update_fields)
            device = self.device
            if to_status == Status.CANCELLED and device.status == DeviceStatus.LENT:
                device.transition(DeviceStatus.RETURNED, by=by, note=self.reference)
                device.lent_to = ""
                device.loan_return_date = None
                device.save(update_fields=["lent_to", "loan_return_date", "updated_at"])
                device.transition(DeviceStatus.READY, by=by, note=self.reference)
        return self


class MaintenanceEntry(models.Model):
    """What was done on a lent device (association loans include maintenance)."""

    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="maintenance"
    )
    done_on = models.DateField(_("date"), default=timezone.localdate)
    description = models.TextField(_("what was done"), max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = _("maintenance entry")
        verbose_name_plural = _("maintenance log")

    def __str__(self):
        return f"{self.done_on:%d/%m/%Y} – {self.description[:60]}"
