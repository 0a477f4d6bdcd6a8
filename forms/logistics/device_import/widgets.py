"""How each cell of a device file is read (django-import-export widgets).

A widget whose reading depends on the cell alone (not on the row, nor on what the
import has loaded) says so with ``pure = True``: the import reads each distinct
cell of its column once (``rows.RowImporter``)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import widgets

from content import importexport
from content.standards import normalise_text
from forms.enums import InstalledSystem
from forms.logistics.device_import.vocabulary import fold, folded_values
from forms.logistics.erasure import UnknownErasure, read_erasure
from portal.bounds import DateWindowValidator
from portal.exports import FORMULA_PREFIXES

SIZE = re.compile(r"(\d+(?:[.,]\d+)?)(go|gb|g|gio|to|tb|tio|mo|mb|mio)?")
TRUE = {"1", "oui", "yes", "true", "vrai", "o", "y", "x"}
FALSE = {"", "0", "non", "no", "false", "faux", "n"}
LINUX_HINTS = ("linux", "ubuntu", "mint", "debian", "fedora", "emmabuntus", "primtux", "zorin")


class TextWidget(importexport.TextWidget):
    """Text; the apostrophe the export base puts before formula-like text is taken off."""

    pure = True

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if text[:1] == "'" and text[1:2] and text[1:2] in FORMULA_PREFIXES:
            return text[1:]
        return text


class CodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_text(value).upper()


class ChoiceWidget(widgets.Widget):
    """A value of the choices, or its label, case-insensitive; else one of ``aliases``
    ({name: value}, compared folded: a refurbisher's wording), each alias applied
    being remembered in ``used`` ({name as written: value}) for the report."""

    pure = True

    MAX_USED = 100

    def __init__(self, choices, required=False, aliases=None):
        super().__init__()
        self.choices = choices
        self.values = [value for value, _label in choices]
        self.required = required
        self.aliases = folded_values(aliases or {})
        self.used = {}

    def lookup(self):
        """Values and labels, built once per widget and language (a widget lives for one import)."""
        language = get_language()
        if getattr(self, "_language", None) != language:
            found = {}
            for value, label in self.choices:
                found[str(value).lower()] = value
                found[str(label).lower()] = value
                found.setdefault(fold(value), value)
                found.setdefault(fold(label), value)
            self._lookup, self._language = found, language
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).lower()
        if not text:
            if self.required:
                raise ValueError(_("This column is required."))
            return ""
        found = self.lookup().get(text)
        if found is None:
            found = self.lookup().get(fold(text)) or self.aliases.get(fold(text))
            if found is not None and len(self.used) < self.MAX_USED:
                self.used.setdefault(normalise_text(value), found)
        if found is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(self.values)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ErasureWidget(widgets.Widget):
    pure = True

    def clean(self, value, row=None, **kwargs):
        try:
            return str(read_erasure(value)[0])
        except UnknownErasure as error:
            raise ValueError(str(error)) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class SystemWidget(widgets.Widget):
    """windows / linux / other, or a system's name (“Linux Mint 22” is linux)."""

    pure = True

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).lower()
        if not text:
            return ""
        if text in InstalledSystem.values:
            return text
        if text.startswith("win"):
            return InstalledSystem.WINDOWS
        if any(hint in text for hint in LINUX_HINTS):
            return InstalledSystem.LINUX
        return InstalledSystem.OTHER

    def render(self, value, obj=None, **kwargs):
        return value or ""


class YesNoWidget(widgets.Widget):
    pure = True

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(_("“%(value)s” is not yes or no (oui/non, 1/0).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "oui" if value else "non"


class NumberWidget(widgets.Widget):
    """A whole number; for sizes in GB (``unit_gb``), a unit as people write it:
    “8 Go”, “8GB”, “512 Mo” (0.5 GB, rounded), “1 To” (1,000 GB)."""

    pure = True

    UNITS = {"go": 1, "gb": 1, "g": 1, "gio": 1, "to": 1000, "tb": 1000, "tio": 1024}
    MEGA = {"mo", "mb", "mio"}

    def __init__(self, unit_gb=False):
        super().__init__()
        self.unit_gb = unit_gb

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        if not text:
            return None
        if self.unit_gb:
            match = SIZE.fullmatch(text.lower())
            if match:
                number = float(match.group(1).replace(",", "."))
                unit = match.group(2)
                if unit in self.MEGA:
                    return max(1, round(number / 1024)) if number else 0
                return round(number * self.UNITS.get(unit, 1))
        if text.endswith((".0", ",0")):
            text = text[:-2]
        if not text.isdigit():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)  # a number in an XLSX


class DateWidget(widgets.Widget):
    pure = True

    def __init__(self, field_name=""):
        super().__init__()
        self.window = DateWindowValidator.for_field(field_name)  # portal.bounds

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value)
        if not text:
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                date = datetime.datetime.strptime(text[:10], fmt).date()
            except ValueError:
                continue
            try:
                self.window(date)  # e.g. an erasure in 2999 is a typing mistake
            except ValidationError as error:
                raise ValueError(error.messages[0]) from None
            return date
        raise ValueError(
            _("“%(value)s” is not a date in the form YYYY-MM-DD or DD/MM/YYYY.") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()  # a date cell


class DateTimeWidget(widgets.Widget):
    """A moment (ISO 8601, as exported) or a day."""

    pure = True

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value)
        if not text:
            return None
        moment = parse_datetime(text)
        if moment is None:
            day = DateWidget().clean(text)
            moment = datetime.datetime.combine(day, datetime.time(12))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class LookupWidget(widgets.Widget):
    """A foreign key read from a map the resource loads once per batch of rows;
    when the import is scoped, the record found must be one the user may name
    (``allowed(scope, obj)``, no query), else ``refused`` is the row's error."""

    def __init__(self, resource, attribute, message, key, allowed=None, refused=""):
        super().__init__()
        self.resource = resource
        self.attribute = attribute
        self.message = message
        self.key = key  # obj -> the text the export writes
        self.allowed = allowed
        self.refused = refused

    def clean(self, value, row=None, **kwargs):
        key = normalise_text(value)
        if not key:
            return None
        found = getattr(self.resource, self.attribute).get(key.upper())
        if found is None:
            raise ValueError(self.message % {"value": key})
        scope = self.resource.scope
        if scope is not None and self.allowed is not None and not self.allowed(scope, found):
            raise ValueError(self.refused % {"value": key})
        return found

    def render(self, value, obj=None, **kwargs):
        return self.key(value) if value is not None else ""
