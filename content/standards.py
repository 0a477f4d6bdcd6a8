"""The national data standard for digital mediation sites (v1.0.2).

Field list, order, required fields, patterns and allowed values are read from the
Table Schema published by LaMednum/ANCT (etalab-2.0), copied in
``content/schemas/``: nothing here is a hand copy that could drift from it.
"""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from portal.sanitise import strip_control_characters

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_FILE = SCHEMA_DIR / "standard-mediation-num-v1.0.2.schema.json"
TYPOLOGIES_FILE = SCHEMA_DIR / "typologies-de-structures.json"
SEPARATOR = "|"

# Schema column -> model field; every other column has the same name in the model.
MODEL_FIELD_NAMES = {"id": "identifier"}

# The values that mean "this site hands over solidarity computers" / "accepts
# prescriptions" (see shared/standards/README.md).
COMPUTER_SERVICES = (
    "Acquisition de matériel informatique à prix solidaire",
    "Accès internet et matériel informatique",
)
PRESCRIPTION_ACCESS = "Envoyer un mail avec une fiche de prescription"

# Multi-value columns whose allowed values are listed by the schema (typologie's
# come from the data·inclusion list of structure types).
URL_FIELDS = ("site_web", "fiche_acces_libre", "prise_rdv")
LATITUDE_RANGE = (-90.0, 90.0)
LONGITUDE_RANGE = (-180.0, 180.0)


@cache
def schema():
    with open(SCHEMA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


@cache
def typologies():
    with open(TYPOLOGIES_FILE, encoding="utf-8") as handle:
        return [(item["value"], item["label"]) for item in json.load(handle)]


def fields():
    """The schema's fields, in the schema's order."""
    return schema()["fields"]


def field_names():
    return [field["name"] for field in fields()]


def field(name):
    for item in fields():
        if item["name"] == name:
            return item
    raise KeyError(name)


def model_field_name(column):
    return MODEL_FIELD_NAMES.get(column, column)


def required_field_names():
    return [f["name"] for f in fields() if f.get("constraints", {}).get("required")]


def _split_alternatives(group):
    """Split "A|B \\(C\\)" on unescaped bars and unescape the regex."""
    parts = re.split(r"(?<!\\)\|", group)
    return [re.sub(r"\\(.)", r"\1", part) for part in parts]


@cache
def allowed_values(name):
    """The allowed values of a multi-value column, or None if it is free text."""
    if name == "typologie":
        return tuple(value for value, _label in typologies())
    pattern = field(name).get("constraints", {}).get("pattern", "")
    match = re.fullmatch(r"\(\?:\(\?:\^\|\\\|\)\((.*)\)\)\+\$", pattern)
    if not match:
        return None
    return tuple(_split_alternatives(match.group(1)))


def multi_value_field_names():
    return [name for name in field_names() if allowed_values(name)]


def choices(name):
    if name == "typologie":
        return [(value, f"{label} ({value})") for value, label in typologies()]
    return [(value, value) for value in allowed_values(name)]


def normalise_text(value):
    """Trim, NFC-normalise (accents typed as two code points), drop None and
    control characters (an export could not write them)."""
    if value is None:
        return ""
    return strip_control_characters(unicodedata.normalize("NFC", str(value))).strip()


def split_values(value):
    """ "A | B||" -> ["A", "B"]."""
    value = normalise_text(value)
    return [item.strip() for item in value.split(SEPARATOR) if item.strip()] if value else []


def join_values(values):
    return SEPARATOR.join(values)


def normalise_multi_value(value):
    """Clean a `|`-separated value: trimmed items, no empties, no duplicates."""
    return join_values(list(dict.fromkeys(split_values(value))))


def has_value(stored, value):
    return value in split_values(stored)


# Validators ---------------------------------------------------------------
@deconstructible
class PatternValidator:
    """Checks a column against its schema pattern, with a message people understand."""

    messages = {
        "pivot": _(
            "Enter a SIRET (14 digits), a SIREN (9 digits) or an RNA number "
            "(e.g. W123456789): 9 to 14 letters or digits, no spaces."
        ),
        "code_postal": _("Enter a postcode of 5 digits, e.g. 40000."),
        "code_insee": _(
            "Enter the commune's INSEE code: 5 characters, e.g. 40192 (2A004 in Corsica)."
        ),
        "telephone": _(
            "Enter the phone number in international form without spaces, "
            "e.g. +33558000000 (+33 then the number without its first 0)."
        ),
    }

    def __init__(self, name):
        self.name = name

    def __call__(self, value):
        pattern = field(self.name)["constraints"]["pattern"]
        if value and not re.fullmatch(pattern, str(value)):
            raise ValidationError(self.messages[self.name], code="invalid")

    def __eq__(self, other):
        return isinstance(other, PatternValidator) and other.name == self.name


@deconstructible
class AllowedValuesValidator:
    """Checks every `|`-separated item of a multi-value column."""

    def __init__(self, name):
        self.name = name

    def __call__(self, value):
        allowed = allowed_values(self.name)
        wrong = [item for item in split_values(value) if item not in allowed]
        if wrong:
            raise ValidationError(
                _("“%(value)s” is not an allowed value. Allowed values: %(allowed)s."),
                code="not_allowed",
                params={"value": "”, “".join(wrong), "allowed": " | ".join(allowed)},
            )

    def __eq__(self, other):
        return isinstance(other, AllowedValuesValidator) and other.name == self.name


def validate_emails(value):
    validator = EmailValidator()
    for item in split_values(value):
        try:
            validator(item)
        except ValidationError as error:
            raise ValidationError(
                _("“%(value)s” is not a valid email address."),
                code="invalid",
                params={"value": item},
            ) from error


def validate_urls(value):
    validator = URLValidator(schemes=["http", "https"])
    for item in split_values(value):
        try:
            validator(item)
        except ValidationError as error:
            raise ValidationError(
                _("“%(value)s” is not a valid web address (it must start with https://)."),
                code="invalid",
                params={"value": item},
            ) from error


def validate_latitude(value):
    if value is not None and not LATITUDE_RANGE[0] <= value <= LATITUDE_RANGE[1]:
        raise ValidationError(
            _("The latitude must be between -90 and 90 (WGS84 degrees), not %(value)s."),
            code="out_of_range",
            params={"value": value},
        )


def validate_longitude(value):
    if value is not None and not LONGITUDE_RANGE[0] <= value <= LONGITUDE_RANGE[1]:
        raise ValidationError(
            _("The longitude must be between -180 and 180 (WGS84 degrees), not %(value)s."),
            code="out_of_range",
            params={"value": value},
        )


def department_code(postcode, insee_code=""):
    """Department of a French address: 40, 2A, 974..."""
    if insee_code and insee_code[:2] in {"2A", "2B"}:
        return insee_code[:2]
    if not postcode or len(postcode) != 5 or not postcode.isdigit():
        return ""
    if postcode.startswith("97") or postcode.startswith("98"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]
