"""What every record made from a form submission shares: a reference, extra
answers, and a status whose changes are explicit and logged."""

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.model_fields import campaign_field

# Sent after a record's status changed and the change was logged:
# sender=the model, record=the record, from_status, to_status, by.
status_changed = Signal()


class ReferenceCounter(models.Model):
    """One counter per prefix and year: DON-2026-00042."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"

    @classmethod
    def next_reference(cls, prefix, year=None):
        return cls.next_references(prefix, 1, year)[0]

    @classmethod
    def next_references(cls, prefix, count, year=None):
        """Reserve ``count`` consecutive references in one locked update."""
        year = year or timezone.localdate().year
        with transaction.atomic():
            counter, _ = cls.objects.select_for_update().get_or_create(prefix=prefix, year=year)
            counter.last = models.F("last") + count
            counter.save(update_fields=["last"])
            counter.refresh_from_db(fields=["last"])
        first = counter.last - count + 1
        return [f"{prefix}-{year}-{number:05d}" for number in range(first, counter.last + 1)]


class StatusLog(models.Model):
    """Who moved which record from which status to which, and when."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class TransitionNotAllowed(ValidationError):
    pass


class StatusMachine(models.Model):
    """A status whose changes are explicit and logged (records, devices, lots).

    Subclasses set ``Status`` (TextChoices) and ``TRANSITIONS`` ({from: {to, ...}})
    and have a ``status`` field with those choices and an ``updated_at`` field.
    """

    TRANSITIONS: dict = {}
    # Statuses reached only through their own action, never offered by hand.
    AUTOMATIC_STATUSES: tuple = ()

    status_changes = GenericRelation(StatusLog)

    class Meta:
        abstract = True

    def admin_url(self):
        """The record's edit view in the admin (wagtail-modeladmin URL names)."""
        name = f"{self._meta.app_label}_{self._meta.model_name}_modeladmin_edit"
        return reverse(name, args=[quote(self.pk)])

    def transition_fields(self, to_status):
        """Fields a status change asks for (shown on its confirmation page)."""
        return []

    def allowed_transitions(self):
        return list(self.TRANSITIONS.get(self.status, ()))

    def can_transition(self, to_status):
        return to_status in self.TRANSITIONS.get(self.status, ())

    def can_change_by_hand(self, to_status):
        return self.can_transition(to_status) and to_status not in self.AUTOMATIC_STATUSES

    def transition_refusal(self, to_status):
        """Why a change the status machine allows cannot happen now (a rule of the
        programme, e.g. a committee decision still missing), or None."""
        return None

    def transition(self, to_status, by=None, note="", update_fields=()):
        """Move to ``to_status`` if allowed from the current status, and log it."""
        if not self.can_transition(to_status):
            raise TransitionNotAllowed(
                _("A record in status “%(from)s” cannot become “%(to)s”.")
                % {"from": self.get_status_display(), "to": self.Status(to_status).label}
            )
        refusal = self.transition_refusal(to_status)
        if refusal:
            raise TransitionNotAllowed(refusal)
        previous = self.status
        with transaction.atomic():
            self.status = to_status
            self.save(update_fields=["status", "updated_at", *update_fields])
            StatusLog.objects.create(
                record=self, from_status=previous, to_status=to_status, by=by, note=note
            )
            status_changed.send(
                sender=type(self), record=self, from_status=previous, to_status=to_status, by=by
            )
        return self

    def log_creation(self, by=None, note=""):
        StatusLog.objects.create(
            record=self, from_status="", to_status=self.status, by=by, note=note
        )

    def log_change(self, by=None, note=""):
        """A change that is not a status change (an edit in the admin): who, when, what."""
        StatusLog.objects.create(
            record=self, from_status=self.status, to_status=self.status, by=by, note=note
        )


class Record(StatusMachine):
    """Base of the typed records submissions become (pledges, prescriptions...)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    campaign = campaign_field()
    form_page = models.ForeignKey(
        "forms.FormPage",
        verbose_name=_("form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    extra_answers = models.JSONField(
        _("other answers"),
        default=dict,
        blank=True,
        help_text=_("Answers to the questions the editors added to the form."),
    )
    created_at = models.DateTimeField(_("received on"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference

    def extra_answer_items(self):
        """(label, display value) pairs of the extra answers, in form order."""
        return [
            (item.get("label", key), item.get("display", ""))
            for key, item in self.extra_answers.items()
        ]
