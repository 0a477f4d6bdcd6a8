from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldType(models.TextChoices):
    """What an editor can ask in a form step."""

    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    CONSENT = "consent", _("Consent box")
    POSTCODE = "postcode", _("Postcode")
    SIRET = "siret", _("SIRET")
    MEDIATION_SITE = "mediation_site", _("Mediation site")


class PledgeStatus(models.TextChoices):
    NEW = "new", _("New")
    CONFIRMED = "confirmed", _("Confirmed")
    COLLECTED = "collected", _("Collected")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Public body")
    ASSOCIATION = "association", _("Association")


class EquipmentAge(models.TextChoices):
    UNDER_3 = "under_3", _("Less than 3 years")
    FROM_3_TO_5 = "3_to_5", _("3 to 5 years")
    FROM_5_TO_8 = "5_to_8", _("5 to 8 years")
    OVER_8 = "over_8", _("More than 8 years")
    UNKNOWN = "unknown", _("Don't know")


class OperatingSystem(models.TextChoices):
    WINDOWS_11 = "windows_11", _("Windows 11")
    WINDOWS_10 = "windows_10", _("Windows 10")
    WINDOWS_7_8 = "windows_7_8", _("Windows 7 or 8")
    MACOS = "macos", _("macOS")
    LINUX = "linux", _("Linux")
    CHROMEOS = "chromeos", _("ChromeOS")
    OTHER = "other", _("Other or mixed")


class Accessory(models.TextChoices):
    CHARGERS = "chargers", _("Chargers")
    KEYBOARDS = "keyboards", _("Keyboards")
    MICE = "mice", _("Mice")


class ErasureBy(models.TextChoices):
    DONOR = "donor", _("We erase the data ourselves")
    PROGRAMME = "programme", _("The programme erases the data and issues a certificate")
