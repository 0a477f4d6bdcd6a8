"""Devices from their intake (a pledge or a batch) to their handover, and the
batches that are not pledges (a public body's batch, a purchase).

Stage counting: a device keeps the date it first reached each stage
(``refurbished_at``, ``transferred_at``…). A status implies the stages a device
must have passed through to reach it (``IMPLIED_STAGES``): a device imported
as handed over counts as refurbished and transferred. The programme report
counts these dates, in the database.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.engine.models.records import ReferenceCounter, StatusMachine
from forms.enums import (
    BatchKind,
    DeviceGrade,
    DeviceType,
    ErasureMethod,
    ErasureResult,
    HardwareTestResult,
    InstalledSystem,
    LoanStatus,
)
from forms.enums import DeviceStatus as Status
from forms.model_fields import campaign_field

INVENTORY_PREFIX = "EQ"
BATCH_PREFIX = "ARR"

# Stage -> the date field that records when a device first reached it.
STAGE_FIELDS = {
    "refurbished": "refurbished_at",
    "eliminated": "eliminated_at",
    "transferred": "transferred_at",
    "handed_over": "handed_over_at",
    "lent": "lent_at",
    "returned_broken": "returned_broken_at",
}
# The stages a device in each status must have gone through. A recycled device
# was eliminated or came back broken: which one cannot be told from the status.
IMPLIED_STAGES = {
    Status.RECEIVED: (),
    Status.IN_REFURBISHMENT: (),
    Status.ELIMINATED: ("eliminated",),
    Status.READY: ("refurbished",),
    Status.ALLOCATED: ("refurbished", "transferred"),
    Status.HANDED_OVER: ("refurbished", "transferred", "handed_over"),
    Status.LENT: ("refurbished", "lent"),
    Status.RETURNED_BROKEN: ("refurbished", "returned_broken"),
    Status.RETURNED: ("refurbished", "lent"),
    Status.RECYCLED: (),
}
# What a device in each status should say, that the refurbisher who imports it may
# not know (the site does): imported blank, the device is marked "to complete"
# (``Device.to_complete``) instead of refused.
KNOWN_LATER = {
    Status.LENT: ("lent_to",),
    Status.ALLOCATED: ("site",),
    Status.HANDED_OVER: ("site",),
}


class DeviceBatch(models.Model):
    """Devices that come from another source than a pledge."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("source"), max_length=16, choices=BatchKind.choices)
    supplier_name = models.CharField(
        _("supplier or public body"), max_length=200, help_text=_("Who gave or sold the devices.")
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    campaign = campaign_field()
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("batch of devices")
        verbose_name_plural = _("batches of devices")

    def __str__(self):
        return f"{self.reference} – {self.supplier_name}"

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = ReferenceCounter.next_reference(BATCH_PREFIX)
        super().save(*args, **kwargs)


class DeviceQuerySet(models.QuerySet):
    def stage(self, name):
        return self.filter(**{f"{STAGE_FIELDS[name]}__isnull": False})

    def in_site_stock(self, site):
        return self.filter(site=site, status=Status.ALLOCATED)

    def available_for_lots(self):
        return self.filter(status=Status.READY, lot__isnull=True)

    def to_complete(self, name=None):
        """Devices with a detail left to complete (``name``: that one, e.g. "lent_to")."""
        if name is None:
            return self.exclude(to_complete=[])
        # icontains on the JSON text: works on SQLite and PostgreSQL alike
        return self.filter(to_complete__icontains=f'"{name}"')


class Device(StatusMachine):
    Status = Status
    TRANSITIONS = {
        Status.RECEIVED: {
            Status.IN_REFURBISHMENT,
            Status.ELIMINATED,
            Status.READY,
            Status.RECYCLED,
        },
        Status.IN_REFURBISHMENT: {Status.READY, Status.ELIMINATED},
        Status.ELIMINATED: {Status.RECYCLED},
        Status.READY: {Status.ALLOCATED, Status.LENT, Status.IN_REFURBISHMENT, Status.RECYCLED},
        Status.ALLOCATED: {Status.HANDED_OVER, Status.READY, Status.RETURNED_BROKEN},
        Status.HANDED_OVER: {Status.RETURNED_BROKEN},
        Status.LENT: {Status.RETURNED, Status.RETURNED_BROKEN},
        # Back from a loan: available again, or retired.
        Status.RETURNED: {
            Status.READY,
            Status.IN_REFURBISHMENT,
            Status.RETURNED_BROKEN,
            Status.RECYCLED,
        },
        Status.RETURNED_BROKEN: {Status.IN_REFURBISHMENT, Status.RECYCLED},
    }
    # Reached only through their own action: a lot's delivery, a handover sheet,
    # a loan and its return (forms/services/loans.py).
    AUTOMATIC_STATUSES = (Status.ALLOCATED, Status.HANDED_OVER, Status.LENT, Status.RETURNED)

    inventory_code = models.CharField(
        _("inventory code"),
        max_length=32,
        unique=True,
        blank=True,
        help_text=_("Generated by the portal when left empty."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    device_type = models.CharField(
        _("type"), max_length=16, choices=DeviceType.choices, default=DeviceType.LAPTOP
    )
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    model_name = models.CharField(_("model"), max_length=120, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=80, blank=True)
    refurbisher_reference = models.CharField(
        _("refurbisher's reference"),
        max_length=80,
        blank=True,
        help_text=_("The device's identifier in the refurbisher's own inventory."),
    )
    cpu = models.CharField(_("processor"), max_length=120, blank=True)
    ram_gb = models.PositiveSmallIntegerField(
        _("RAM (GB)"), null=True, blank=True, validators=[MaxValueValidator(1024)]
    )
    storage_gb = models.PositiveIntegerField(
        _("storage (GB)"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    oem_licence = models.BooleanField(_("OEM Windows licence present"), default=False)
    grade = models.CharField(_("grade"), max_length=1, choices=DeviceGrade.choices, blank=True)

    # Source
    pledge = models.ForeignKey(
        "forms.DonorPledge",
        verbose_name=_("donor pledge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
    )
    batch = models.ForeignKey(
        DeviceBatch,
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
    )
    campaign = campaign_field()

    # Refurbishing record
    refurbisher = models.ForeignKey(
        "content.Organisation",
        verbose_name=_("refurbisher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refurbished_devices",
        limit_choices_to={"is_refurbisher": True},
    )
    hardware_test = models.CharField(
        _("hardware test"),
        max_length=16,
        choices=HardwareTestResult.choices,
        default=HardwareTestResult.NOT_TESTED,
    )
    erasure_method = models.CharField(
        _("erasure method"), max_length=16, choices=ErasureMethod.choices, blank=True
    )
    erasure_tool = models.CharField(_("erasure tool"), max_length=120, blank=True)
    erasure_passes = models.PositiveSmallIntegerField(
        _("erasure passes"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    erasure_verified = models.BooleanField(_("erasure verified"), default=False)
    erasure_date = models.DateField(_("erasure date"), null=True, blank=True)
    erasure_operator = models.CharField(_("erasure operator"), max_length=150, blank=True)
    erasure_result = models.CharField(
        _("erasure result"), max_length=16, choices=ErasureResult.choices, blank=True
    )
    installed_os = models.CharField(
        _("operating system installed"),
        max_length=16,
        choices=InstalledSystem.choices,
        blank=True,
        help_text=_("Windows when an OEM licence exists, otherwise a Linux distribution."),
    )
    os_version = models.CharField(
        _("system version"), max_length=120, blank=True, help_text=_("e.g. Linux Mint 22")
    )
    notes = models.TextField(_("notes"), blank=True)

    # Where it is
    lot = models.ForeignKey(
        "forms.Lot",
        verbose_name=_("lot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="devices",
    )
    site = models.ForeignKey(
        "content.MediationSite",
        verbose_name=_("mediation site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
    )
    lent_to = models.CharField(
        _("lent or given to"),
        max_length=200,
        blank=True,
        help_text=_("Association or digital adviser, outside the site network."),
    )
    loan_return_date = models.DateField(_("loan return date"), null=True, blank=True)
    to_complete = models.JSONField(
        _("to complete"),
        default=list,
        blank=True,
        editable=False,
        help_text=_(
            "Fields the refurbisher could not fill in (e.g. the borrower): the site completes them."
        ),
    )

    # Stages reached (first time)
    refurbished_at = models.DateTimeField(_("refurbished on"), null=True, blank=True)
    eliminated_at = models.DateTimeField(_("eliminated on"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("transferred on"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over on"), null=True, blank=True)
    lent_at = models.DateTimeField(_("lent on"), null=True, blank=True)
    returned_broken_at = models.DateTimeField(_("returned broken on"), null=True, blank=True)

    created_at = models.DateTimeField(_("received on"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["site", "status"]),
            models.Index(fields=["serial_number"]),
        ]
        permissions = [
            ("view_site_stock", _("Can view the device stock of their mediation sites")),
        ]

    def __str__(self):
        label = " ".join(part for part in (self.brand, self.model_name) if part)
        return f"{self.inventory_code} – {label}" if label else self.inventory_code

    @property
    def reference(self):
        return self.inventory_code

    @property
    def source(self):
        if self.pledge_id:
            return "pledge"
        if self.batch_id:
            return "batch"
        return ""

    @property
    def source_display(self):
        if self.pledge_id:
            return str(self.pledge)
        if self.batch_id:
            return str(self.batch)
        return ""

    @property
    def is_refurbished(self):
        return self.refurbished_at is not None

    def clean(self):
        super().clean()
        errors = {}
        if self.pledge_id and self.batch_id:
            errors["batch"] = _("A device comes from a pledge or from a batch, not both.")
        if self.installed_os == InstalledSystem.WINDOWS and not self.oem_licence:
            errors["installed_os"] = _(
                "Windows can only be installed when the device has an OEM licence; "
                "install a Linux distribution."
            )
        if self.status == Status.LENT and not self.lent_to and "lent_to" not in self.to_complete:
            errors["lent_to"] = _("Say to whom the device was lent or given.")
        if errors:
            raise ValidationError(errors)

    def missing_details(self):
        """The fields this device's status calls for that are still empty (``KNOWN_LATER``)."""
        return [name for name in KNOWN_LATER.get(self.status, ()) if not self.detail(name)]

    def to_complete_labels(self):
        """The labels of the fields still to complete, as the edit form names them."""
        return [str(self._meta.get_field(name).verbose_name) for name in self.to_complete]

    def detail(self, name):
        field = self._meta.get_field(name)
        return getattr(self, field.attname)

    def save(self, *args, **kwargs):
        if not self.inventory_code:
            self.inventory_code = ReferenceCounter.next_reference(INVENTORY_PREFIX)
        if self.to_complete:
            completed = [name for name in self.to_complete if self.detail(name)]
            if completed:
                self.to_complete = [n for n in self.to_complete if n not in completed]
                if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "to_complete"}
                if "lent_to" in completed and self.pk:
                    # The loan opened at the import, borrower to complete, gets its borrower.
                    self.loans.filter(
                        status=LoanStatus.ONGOING, borrower_name="", association__isnull=True
                    ).update(borrower_name=self.lent_to[:200])
        if self.campaign_id is None and self.pledge_id:
            self.campaign_id = self.pledge.campaign_id
        if self.campaign_id is None and self.batch_id:
            self.campaign_id = self.batch.campaign_id
        super().save(*args, **kwargs)

    def mark_stages(self, status=None, when=None):
        """Set the date of every stage ``status`` implies and that is not set yet;
        return the names of the fields set."""
        when = when or timezone.now()
        changed = []
        for stage in IMPLIED_STAGES.get(status or self.status, ()):
            field_name = STAGE_FIELDS[stage]
            if getattr(self, field_name) is None:
                setattr(self, field_name, when)
                changed.append(field_name)
        return changed

    def transition(self, to_status, by=None, note="", update_fields=()):
        changed = list(update_fields)
        if self.can_transition(to_status):
            changed += self.mark_stages(to_status)
        return super().transition(to_status, by=by, note=note, update_fields=changed)
