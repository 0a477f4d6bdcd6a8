from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from forms.engine.models.records import Record
from forms.enums import Accessory, EquipmentAge, ErasureBy, OperatingSystem, OrganisationKind
from forms.enums import PledgeStatus as Status
from forms.model_fields import ChoiceListField
from portal.validators import validate_french_phone, validate_postcode, validate_siret

MAX_DEVICES = 100_000


def count_field(label):
    return models.PositiveIntegerField(
        label, default=0, validators=[MaxValueValidator(MAX_DEVICES)]
    )


class DonorPledge(Record):
    """A company's or public body's promise to give computers."""

    Status = Status
    TRANSITIONS = {
        Status.NEW: {Status.CONFIRMED, Status.DECLINED, Status.WITHDRAWN},
        Status.CONFIRMED: {Status.COLLECTED, Status.WITHDRAWN},
        Status.COLLECTED: {Status.CLOSED},
    }

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )

    # Organisation
    organisation_name = models.CharField(_("organisation name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=16, choices=OrganisationKind.choices
    )
    sector = models.CharField(_("sector of activity"), max_length=120, blank=True)

    # Contact
    contact_name = models.CharField(_("contact name"), max_length=150)
    contact_role = models.CharField(_("contact role"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validate_french_phone]
    )

    # Addresses
    address = models.CharField(_("address"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=5, validators=[validate_postcode])
    city = models.CharField(_("city"), max_length=120)
    pickup_address_differs = models.BooleanField(_("pickup address differs"), default=False)
    pickup_address = models.CharField(_("pickup address"), max_length=255, blank=True)
    pickup_postcode = models.CharField(
        _("pickup postcode"), max_length=5, blank=True, validators=[validate_postcode]
    )
    pickup_city = models.CharField(_("pickup city"), max_length=120, blank=True)

    # Equipment
    laptops = count_field(_("laptops"))
    desktops = count_field(_("desktops"))
    screens = count_field(_("screens"))
    tablets = count_field(_("tablets"))
    smartphones = count_field(_("smartphones"))
    other_devices = count_field(_("other devices"))
    equipment_age = models.CharField(
        _("approximate age"), max_length=16, choices=EquipmentAge.choices, blank=True
    )
    operating_system = models.CharField(
        _("operating system"), max_length=16, choices=OperatingSystem.choices, blank=True
    )
    accessories = ChoiceListField(
        _("accessories included"), item_choices=Accessory.choices, blank=True
    )

    # Logistics and commitments
    erasure_by = models.CharField(
        _("data erasure"), max_length=16, choices=ErasureBy.choices, default=ErasureBy.PROGRAMME
    )
    pickup_availability = models.TextField(_("pickup availability"), blank=True)
    attend_ceremony = models.BooleanField(
        _("wishes to attend the handover ceremony"), default=False
    )
    terms_accepted = models.BooleanField(_("donation terms accepted"), default=False)
    terms_text = models.TextField(_("text of the accepted terms"), blank=True, editable=False)
    supplier = models.ForeignKey(
        "content.Organisation",
        verbose_name=_("supplier in the refurbishing chain"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
        limit_choices_to={"is_supplier": True},
    )

    class Meta(Record.Meta):
        verbose_name = _("donor pledge")
        verbose_name_plural = _("donor pledges")
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["created_at"]),
        ]

    @property
    def equipment_total(self):
        return (
            self.laptops
            + self.desktops
            + self.screens
            + self.tablets
            + self.smartphones
            + self.other_devices
        )

    @classmethod
    def equipment_total_expression(cls):
        return (
            F("laptops")
            + F("desktops")
            + F("screens")
            + F("tablets")
            + F("smartphones")
            + F("other_devices")
        )

    def accessories_display(self):
        return self._meta.get_field("accessories").display(self.accessories)
