"""Prescription sheets: a social worker refers a person to a mediation site."""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.standards import typologies
from forms.engine.models.records import Record
from forms.enums import CommitteeDecision, Need, OwnedEquipment, RefusalReason, Situation
from forms.enums import PrescriptionStatus as Status
from forms.model_fields import ChoiceListField
from forms.site_rules import left_programme_refusal
from portal.validators import validate_french_phone, validate_postcode


def new_token():
    return secrets.token_urlsafe(32)


CLOSED_STATUSES = (Status.EQUIPPED, Status.REFUSED, Status.WITHDRAWN, Status.EXPIRED)
# The status each decision of the allocation committee gives a prescription.
STATUS_OF_DECISION = {
    CommitteeDecision.ACCEPTED: Status.GRANTED,
    CommitteeDecision.WAITING_LIST: Status.WAITING_LIST,
    CommitteeDecision.REFUSED: Status.REFUSED,
}
COMMITTEE_STATUSES = (Status.GRANTED, Status.WAITING_LIST)


def prescriber_kind_choices():
    """The data·inclusion structure types (shared/standards/typologies-de-structures.json)."""
    return typologies()


class PriorityCriterionQuerySet(models.QuerySet):
    def for_campaign(self, campaign):
        """The campaign's own active criteria (none shared between campaigns)."""
        return self.filter(campaign=campaign, active=True) if campaign else self.none()

    def copy_to(self, campaign):
        """Give ``campaign`` its own copy of these criteria (same labels and order)."""
        return PriorityCriterion.objects.bulk_create(
            PriorityCriterion(
                label=criterion.label,
                order=criterion.order,
                active=criterion.active,
                campaign=campaign,
            )
            for criterion in self.order_by("order", "pk")
        )


class PriorityCriterion(models.Model):
    label = models.CharField(_("label"), max_length=200)
    order = models.PositiveSmallIntegerField(
        _("order"), default=1, help_text=_("1 is the highest priority.")
    )
    active = models.BooleanField(_("active"), default=True)
    campaign = models.ForeignKey(
        "content.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Each campaign has its own ordered list; none is shared."),
    )

    objects = PriorityCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["campaign_id", "order", "pk"]
        verbose_name = _("priority criterion")
        verbose_name_plural = _("priority criteria")

    def __str__(self):
        return f"{self.order}. {self.label}"


class PrescriptionQuerySet(models.QuerySet):
    def queue(self):
        """Site staff's queue: by priority criterion, then oldest first."""
        return self.order_by(
            models.F("priority_criterion__order").asc(nulls_last=True), "created_at"
        )

    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def personal(self):
        return self.filter(anonymised_at__isnull=True)


class Prescription(Record):
    Status = Status
    TRANSITIONS = {
        Status.RECEIVED: {
            Status.GRANTED,
            Status.WAITING_LIST,
            Status.ACCEPTED,
            Status.REFUSED,
            Status.WITHDRAWN,
            Status.EXPIRED,
        },
        # The committee's statuses: the site accepts a granted person itself; the
        # waiting list goes back to a later meeting.
        Status.GRANTED: {Status.ACCEPTED, Status.REFUSED, Status.WITHDRAWN, Status.EXPIRED},
        Status.WAITING_LIST: {Status.GRANTED, Status.REFUSED, Status.WITHDRAWN, Status.EXPIRED},
        Status.ACCEPTED: {
            Status.IN_TRAINING,
            Status.EQUIPPED,
            Status.REFUSED,
            Status.WITHDRAWN,
            Status.EXPIRED,
        },
        Status.IN_TRAINING: {Status.EQUIPPED, Status.WITHDRAWN},
    }
    # Only the allocation committee's decision (committee.py) reaches them.
    AUTOMATIC_STATUSES = COMMITTEE_STATUSES

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    site = models.ForeignKey(
        "content.MediationSite",
        verbose_name=_("mediation site"),
        on_delete=models.PROTECT,
        related_name="prescriptions",
    )

    # Prescriber
    prescriber_kind = models.CharField(
        _("kind of prescribing organisation"), max_length=32, choices=prescriber_kind_choices
    )
    prescriber_organisation = models.CharField(_("prescribing organisation"), max_length=200)
    prescriber_name = models.CharField(_("prescriber name"), max_length=150)
    prescriber_email = models.EmailField(_("prescriber email"))
    prescriber_phone = models.CharField(
        _("prescriber phone"), max_length=20, blank=True, validators=[validate_french_phone]
    )

    # Beneficiary: the least personal data that lets the site contact the person.
    beneficiary_first_name = models.CharField(_("beneficiary's first name"), max_length=100)
    beneficiary_last_name = models.CharField(_("beneficiary's last name"), max_length=100)
    beneficiary_phone = models.CharField(
        _("beneficiary's phone"), max_length=20, blank=True, validators=[validate_french_phone]
    )
    beneficiary_email = models.EmailField(_("beneficiary's email"), blank=True)
    commune = models.CharField(_("commune"), max_length=120)
    postcode = models.CharField(_("postcode"), max_length=5, validators=[validate_postcode])
    household_adults = models.PositiveSmallIntegerField(
        _("adults in the household"), default=1, validators=[MaxValueValidator(30)]
    )
    household_children = models.PositiveSmallIntegerField(
        _("children in the household"), default=0, validators=[MaxValueValidator(30)]
    )

    priority_criterion = models.ForeignKey(
        PriorityCriterion,
        verbose_name=_("priority criterion"),
        null=True,
        blank=True,  # a campaign without criteria asks for none
        on_delete=models.SET_NULL,
        related_name="prescriptions",
    )
    situation = models.CharField(_("situation"), max_length=16, choices=Situation.choices)
    needs = ChoiceListField(_("needs"), item_choices=Need.choices)
    owned_equipment = ChoiceListField(
        _("equipment already owned"), item_choices=OwnedEquipment.choices, blank=True
    )
    aptic_cheques = models.PositiveSmallIntegerField(
        _("APTIC cheques given"), default=0, validators=[MaxValueValidator(100)]
    )
    aptic_cheques_value = models.DecimalField(
        _("value of the APTIC cheques (€)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10000"))],
    )
    # Income criterion, asked only by the campaigns that lend or give under one (their
    # "Programme" tab, forms/engine/campaign_questions.py); a household loan takes it.
    family_quotient = models.PositiveIntegerField(
        _("family quotient (€)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100000)],
        help_text=_(
            "The household's CAF family quotient, where the programme has an income criterion."
        ),
    )

    # The programme's committee, when its campaign requires one
    committee_decision = models.CharField(
        _("committee decision"), max_length=16, choices=CommitteeDecision.choices, blank=True
    )
    committee_reason = models.TextField(_("reason for the decision"), blank=True)
    committee_meeting_date = models.DateField(_("committee meeting"), null=True, blank=True)

    beneficiary_agreement = models.BooleanField(
        _("informed agreement of the beneficiary"), default=False
    )
    beneficiary_agreement_text = models.TextField(
        _("text of the agreement"), blank=True, editable=False
    )
    prescriber_commitment = models.BooleanField(
        _("prescriber's data-protection commitment"), default=False
    )
    prescriber_commitment_text = models.TextField(
        _("text of the commitment"), blank=True, editable=False
    )

    refusal_reason = models.CharField(
        _("reason for refusal"), max_length=20, choices=RefusalReason.choices, blank=True
    )
    follow_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    reminder_sent_at = models.DateTimeField(
        _("reminder sent on"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)

    objects = PrescriptionQuerySet.as_manager()

    class Meta(Record.Meta):
        verbose_name = _("prescription sheet")
        verbose_name_plural = _("prescription sheets")
        permissions = [("export_personal_data", _("Can export personal data of prescriptions"))]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["site", "status"])]

    def __str__(self):
        return self.reference

    def clean(self):
        super().clean()
        if not self.anonymised_at and not (self.beneficiary_phone or self.beneficiary_email):
            raise ValidationError(
                _("Give at least one way to reach the person: a phone number or an email address.")
            )
        errors = {}
        if self.site_id and self.site_changed():
            refusal = left_programme_refusal(self.site)
            if refusal:
                errors["site"] = refusal
        errors.update(self.committee_errors())
        if errors:
            raise ValidationError(errors)

    def site_changed(self):
        """A new prescription, or one sent to another site (the history of a site stays)."""
        return (
            self.pk is None
            or not type(self).objects.filter(pk=self.pk, site_id=self.site_id).exists()
        )

    # The programme's committee ----------------------------------------------------
    def committee_errors(self):
        errors = {}
        if self.committee_decision and not self.committee_meeting_date:
            errors["committee_meeting_date"] = _("Give the date of the committee meeting.")
        if (
            self.committee_decision == CommitteeDecision.REFUSED
            and not (self.committee_reason or "").strip()
        ):
            errors["committee_reason"] = _("Give the reason for the committee's refusal.")
        return errors

    @property
    def needs_committee(self):
        """Whether the prescription's campaign requires a committee decision."""
        return bool(self.campaign_id and self.campaign.requires_committee)

    @property
    def committee_accepted(self):
        return self.committee_decision == CommitteeDecision.ACCEPTED

    def decided_by_committee(self, status):
        """Whether ``status`` is the one the committee's decision gave (its own emails
        tell the prescriber, not the generic status email)."""
        return (
            bool(self.committee_decision)
            and STATUS_OF_DECISION.get(self.committee_decision) == status
        )

    def committee_refusal(self, consequence):
        """Why nothing may go further without the committee's acceptance, or None."""
        if not self.needs_committee or self.committee_accepted:
            return None
        decision = (
            self.get_committee_decision_display()
            if self.committee_decision
            else _("no decision yet")
        )
        return _(
            "The allocation committee of the campaign “%(campaign)s” has not accepted "
            "prescription %(reference)s (%(decision)s): %(consequence)s"
        ) % {
            "campaign": self.campaign.title,
            "reference": self.reference,
            "decision": str(decision).lower(),
            "consequence": consequence,
        }

    def transition_refusal(self, to_status):
        if to_status == Status.ACCEPTED:
            return self.committee_refusal(_("the site cannot accept it yet."))
        return None

    def transition_fields(self, to_status):
        return ["refusal_reason"] if to_status == Status.REFUSED else []

    def transition(self, to_status, by=None, note="", refusal_reason=""):
        if to_status == Status.REFUSED:
            self.refusal_reason = refusal_reason or RefusalReason.OTHER
        self.closed_at = timezone.now() if to_status in CLOSED_STATUSES else None
        return super().transition(
            to_status, by=by, note=note, update_fields=["refusal_reason", "closed_at"]
        )

    @property
    def beneficiary_display(self):
        if self.anonymised_at:
            return _("(anonymised)")
        return f"{self.beneficiary_first_name} {self.beneficiary_last_name}"

    def follow_url(self):
        """The prescriber's private page for this prescription (reference and status only)."""
        return reverse("prescription_follow", args=[self.follow_token])

    # The prescriber's private follow link -------------------------------------
    def follow_link_expires_at(self):
        """The link works while the prescription is open, then PRESCRIPTION_FOLLOW_DAYS
        more (an open prescription expires by itself after PRESCRIPTION_EXPIRY_DAYS)."""
        if self.closed_at is None:
            return None
        return self.closed_at + timedelta(days=settings.PRESCRIPTION_FOLLOW_DAYS)

    def follow_link_is_active(self, now=None):
        if self.anonymised_at:
            return False
        expires_at = self.follow_link_expires_at()
        return expires_at is None or (now or timezone.now()) < expires_at

    def follow_absolute_url(self):
        """The follow link as sent by email, or "" once it no longer works."""
        if not self.follow_link_is_active():
            return ""
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.follow_url()

    def revoke_follow_link(self, by=None):
        """The link sent so far stops working; later emails carry a new one."""
        self.follow_token = new_token()
        self.save(update_fields=["follow_token"])
        self.log_change(by=by, note=_("Follow link revoked"))

    @property
    def beneficiary_initial(self):
        """All the follow page shows of the person: the first name's initial."""
        if self.anonymised_at or not self.beneficiary_first_name:
            return ""
        return f"{self.beneficiary_first_name.strip()[:1].upper()}."
