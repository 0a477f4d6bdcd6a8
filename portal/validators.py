"""Validators for French identifiers and formats, with French messages."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SIRET_RE = re.compile(r"^\d{14}$")
POSTCODE_RE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")
# Mobile and landline numbers: 0X XX XX XX XX, or +33 X XX XX XX XX (overseas: +262...).
PHONE_RE = re.compile(r"^(?:0|\+33|0033|\+262|\+269|\+590|\+594|\+596|\+687|\+689)[1-9]\d{8}$")


def luhn_ok(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(value):
    return re.sub(r"[\s.\-]", "", value or "")


def validate_siret(value):
    siret = normalise_siret(value)
    if not SIRET_RE.match(siret):
        raise ValidationError(_("A SIRET number has exactly 14 digits."), code="siret_format")
    # La Poste's establishments are numbered outside the Luhn rule.
    if not luhn_ok(siret) and not (siret.startswith("356000000") and sum(map(int, siret)) % 5 == 0):
        raise ValidationError(
            _("This SIRET number is not valid (check digit). Please check it."), code="siret_luhn"
        )


def normalise_phone(value):
    return re.sub(r"[\s.\-()]", "", value or "")


def validate_french_phone(value):
    if not PHONE_RE.match(normalise_phone(value)):
        raise ValidationError(
            _("Enter a French phone number, e.g. 05 58 12 34 56 or +33 6 12 34 56 78."),
            code="phone",
        )


def validate_postcode(value):
    if not POSTCODE_RE.match((value or "").strip()):
        raise ValidationError(_("Enter a postcode of 5 digits, e.g. 40000."), code="postcode")
