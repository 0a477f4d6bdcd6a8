"""One row of a mediation-site file, read as people wrote it.

Before the import itself (content/importexport.py), every row is brought to the
current standard: columns of earlier versions renamed (content/standard_versions.py),
multi-valued cells split on ``|``, ``;`` or ``,``, old values mapped, phones, URLs,
emails, dates and opening hours read leniently. A row is refused only when what
identifies or places the site is missing or wrong (id, name, commune, postcode,
address, coordinates outside France); any other bad value is dropped, or kept as
written where the model has a free-text place for it, with a warning
``(column, value, message)``.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from content import standard_versions, standards
from content.opening_hours import loosen
from portal.bounds import TEXT_MAX_LENGTHS, DateWindowValidator

IDENTIFYING = ("id", "nom", "commune", "code_postal", "adresse")
SHORT_TEXT = ("complement_adresse", "source", "structure_parente")
LONG_TEXT = ("presentation_detail", "autres_formations_labels")
SUMMARY_MAX = 280
PIVOT_PLACEHOLDER = "00000000000000"  # the national cartography's "unknown SIRET"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%y")
FORMULA_START = ("=", "@")
HYPERLINK_RE = re.compile(r'^=\s*(?:HYPERLINK|LIEN_HYPERTEXTE)\(\s*"([^"]+)"', re.IGNORECASE)
MULTI_SPLIT_RE = re.compile(r"\s*[|;]\s*")
URL_SPLIT_RE = re.compile(r"[|;\s]+|,\s+")
EMAIL_SPLIT_RE = re.compile(r"[|;,\s]+")
PHONE_SPLIT_RE = re.compile(r"\s*(?:[|;/,]|\bou\b)\s*")
OVERSEAS_PREFIXES = {
    "0590": "+590",
    "0690": "+590",
    "0594": "+594",
    "0694": "+594",
    "0262": "+262",
    "0692": "+262",
    "0693": "+262",
    "0269": "+262",
    "0639": "+262",
    "0596": "+596",
    "0696": "+596",
}
# Boxes around France's territories: (south, north, west, east), WGS84 degrees.
FRANCE_BOXES = (
    (41.0, 51.6, -5.8, 10.0),  # metropolitan France and Corsica
    (15.8, 18.2, -63.2, -60.8),  # Guadeloupe, Saint-Martin, Saint-Barthélemy
    (14.3, 15.0, -61.3, -60.7),  # Martinique
    (2.0, 6.0, -54.7, -51.5),  # Guyane
    (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.4),  # Mayotte
    (46.7, 47.2, -56.5, -56.0),  # Saint-Pierre-et-Miquelon
    (-23.0, -19.0, 163.0, 169.0),  # Nouvelle-Calédonie
    (-28.0, -7.0, -155.0, -134.0),  # Polynésie française
    (-14.5, -13.0, -178.3, -176.0),  # Wallis-et-Futuna
)


def in_france(latitude, longitude):
    return any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in FRANCE_BOXES)


@dataclass
class CleanRow:
    values: dict  # current column -> text, ready for the Resource
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)


class RowReader:
    """Reads the rows of one file: knows its headers, the mappings it applied."""

    def __init__(self, headers):
        self.headers = list(headers)
        self.sources = {}  # current column -> [header, ...]
        self.mappings = {}  # sentence -> None (ordered set)
        self.unknown_columns = []
        known = set(standards.field_names())
        for header in self.headers:
            if not header:
                continue
            column = standard_versions.current_column(header)
            if header in standard_versions.DROPPED_COLUMNS or column not in known:
                self.unknown_columns.append(header)
                continue
            self.sources.setdefault(column, []).append(header)
            if column != header:
                self.note(
                    _("column “%(old)s” read as “%(new)s” (standard v%(version)s)")
                    % {"old": header, "new": column, "version": standard_versions.LEGACY}
                )
        targets = set(self.sources)
        for column in self.sources:
            targets.update(t for t, _v in standard_versions.VALUE_ALIASES.get(column, {}).values())
            targets.update(filter(None, [standard_versions.KEPT_AS_TEXT_IN.get(column)]))
        self.columns = [c for c in standards.field_names() if c in targets]
        for column in ("pivot", "date_maj"):
            if column not in self.columns:
                self.columns.append(column)
        self.allowed = {
            column: {standard_versions.key(v): v for v in standards.allowed_values(column)}
            for column in standards.multi_value_field_names()
        }
        self.date_bounds = DateWindowValidator.for_field("date_maj").bounds()
        self._multi_cache = {}
        self._hours_cache = {}
        always = {*IDENTIFYING, "pivot", "date_maj", "longitude"}
        self.readers = [
            (column, getattr(self, f"_read_{column}", self._read_text), column in always)
            for column in self.columns
            if column not in self.allowed
        ]
        self.multi_sources = [
            (column, header)
            for column, headers in self.sources.items()
            if column in self.allowed
            for header in headers
        ]
        self.single_sources = [
            (column, header)
            for column, headers in self.sources.items()
            if column not in self.allowed
            for header in headers
        ]
        self.multi_columns = [c for c in self.columns if c in self.allowed]
        self.email_validator = EmailValidator()
        self.url_validator = URLValidator(schemes=["http", "https"])
        self.telephone_pattern = re.compile(standards.field("telephone")["constraints"]["pattern"])
        self.pivot_pattern = re.compile(standards.field("pivot")["constraints"]["pattern"])
        self.insee_pattern = re.compile(standards.field("code_insee")["constraints"]["pattern"])

    def note(self, sentence):
        self.mappings.setdefault(sentence, None)

    # A row -------------------------------------------------------------------
    def read(self, raw):
        """raw: {header: cell} -> CleanRow."""
        row = CleanRow(values={})
        normalise = standards.normalise_text
        cells = {}
        for column, header in self.single_sources:
            cell = raw.get(header)
            if cell:
                cell = normalise(cell)
                if cell:
                    cells[column] = f"{cells[column]} {cell}" if column in cells else cell
        multi = {}  # current column -> [values], filled from several source columns
        for column, header in self.multi_sources:
            cell = raw.get(header)
            cell = normalise(cell) if cell else ""
            if cell:
                self._read_multi(row, header, column, cell, multi)
        for column, reader, always in self.readers:
            value = cells.get(column, "")
            row.values[column] = reader(row, column, value) if value or always else ""
        for column in self.multi_columns:
            row.values[column] = standards.join_values(list(dict.fromkeys(multi.get(column, ()))))
        if "autres_formations_labels" in multi:
            kept = row.values.get("autres_formations_labels", "")
            extra = [v for v in multi["autres_formations_labels"] if v not in kept]
            row.values["autres_formations_labels"] = "; ".join(filter(None, [kept, *extra]))
        self._summary_overflow(row)
        return row

    def _header(self, column):
        """The file's name for a column (a report names columns as the file does)."""
        headers = self.sources.get(column)
        return headers[0] if headers else column

    def _warn(self, row, column, value, message):
        row.warnings.append((self._header(column), value, message))

    def _refuse(self, row, column, value, message):
        row.errors.append((self._header(column), value, message))

    # Multi-valued columns --------------------------------------------------------
    def _split(self, column, cell):
        """Items of a cell: split on | and ;, then on commas when that names known values."""
        items = []
        for piece in MULTI_SPLIT_RE.split(cell):
            piece = piece.strip()
            if not piece:
                continue
            if "," in piece and not self._known(column, piece):
                parts = [p.strip() for p in piece.split(",") if p.strip()]
                if all(self._known(column, p) for p in parts):
                    items.extend(parts)
                    continue
            items.append(piece)
        return items

    def _known(self, column, value):
        return (
            standard_versions.key(value) in self.allowed.get(column, {})
            or standard_versions.alias(column, value) is not None
        )

    def _read_multi(self, row, header, column, cell, multi):
        """Values of a multi-valued cell; cells repeat across a file: read once each."""
        cache_key = (header, column, cell)
        parsed = self._multi_cache.get(cache_key)
        if parsed is None:
            scratch = CleanRow(values={})
            adds = {}
            self._parse_multi(scratch, header, column, cell, adds)
            parsed = self._multi_cache[cache_key] = (adds, scratch.warnings)
        adds, warnings = parsed
        for target, values in adds.items():
            multi.setdefault(target, []).extend(values)
        row.warnings.extend(warnings)

    def _parse_multi(self, row, header, column, cell, multi):
        if cell.startswith(FORMULA_START):
            self._warn(row, header, cell, _("A formula is not a value: dropped."))
            return
        for item in self._split(column, cell):
            current = self.allowed[column].get(standard_versions.key(item))
            if current is not None:
                multi.setdefault(column, []).append(current)
                continue
            mapped = standard_versions.alias(column, item)
            if mapped is not None:
                target, value = mapped
                if value is None:
                    self._warn(
                        row,
                        header,
                        item,
                        _("“%(value)s” has no equivalent in the current standard: dropped.")
                        % {"value": item},
                    )
                    continue
                multi.setdefault(target, []).append(value)
                self.note(
                    _("value “%(old)s” of “%(column)s” read as “%(new)s” in “%(target)s”")
                    % {"old": item, "column": header, "new": value, "target": target}
                )
                continue
            free_text = standard_versions.KEPT_AS_TEXT_IN.get(column)
            if free_text:
                multi.setdefault(free_text, []).append(item)
                self._warn(
                    row,
                    header,
                    item,
                    _("“%(value)s” is not in the standard's list: kept as written in “%(target)s”.")
                    % {"value": item, "target": free_text},
                )
                continue
            self._warn(
                row,
                header,
                item,
                _(
                    "“%(value)s” is not in the standard's list: dropped. Allowed values: %(allowed)s."
                )
                % {"value": item, "allowed": " | ".join(standards.allowed_values(column))},
            )

    # Identifying columns ---------------------------------------------------------
    def _identifying(self, row, column, value):
        if not value:
            self._refuse(
                row, column, value, _("This column is required to identify or place the site.")
            )
        elif len(value) > TEXT_MAX_LENGTHS["short_text"]:
            self._refuse(
                row,
                column,
                value[:80] + "…",
                _("This cell holds %(length)s characters; at most %(max)s are accepted.")
                % {"length": len(value), "max": TEXT_MAX_LENGTHS["short_text"]},
            )
        elif value.startswith(FORMULA_START):
            self._warn(
                row, column, value, _("This cell looks like a formula: kept as text, never run.")
            )
        return value

    _read_id = _read_nom = _read_commune = _read_adresse = _identifying

    def _read_code_postal(self, row, column, value):
        compact = value.replace(" ", "")
        if not re.fullmatch(r"\d{5}", compact):
            self._refuse(
                row, column, value, str(standards.PatternValidator.messages["code_postal"])
            )
            return value
        return compact

    def _read_latitude(self, row, column, value):
        return value  # read with the longitude, below

    def _read_longitude(self, row, column, value):
        latitude_text = row.values.get("latitude", "")
        if not latitude_text and not value:
            return ""
        numbers = []
        for name, text in (("latitude", latitude_text), ("longitude", value)):
            try:
                numbers.append(float(text.replace(",", ".").replace(" ", "")))
            except ValueError:
                self._refuse(
                    row,
                    name,
                    text,
                    _("“%(value)s” is not a number (decimal degrees, e.g. 43.89).")
                    % {"value": text},
                )
        if len(numbers) != 2:
            return value
        latitude, longitude = numbers
        if in_france(latitude, longitude):
            row.values["latitude"] = repr(latitude)
            return repr(longitude)
        if in_france(longitude, latitude):
            self._warn(
                row,
                "latitude",
                f"{latitude_text} / {value}",
                _("Latitude and longitude were swapped: read the other way round."),
            )
            row.values["latitude"] = repr(longitude)
            return repr(latitude)
        self._refuse(
            row,
            "latitude",
            f"{latitude_text} / {value}",
            _("These coordinates are outside France (WGS84 decimal degrees expected)."),
        )
        return value

    # Optional columns: dropped, or kept as written, with a warning ----------------
    def _read_text(self, row, column, value):
        limit = (
            TEXT_MAX_LENGTHS["short_text"] if column in SHORT_TEXT else TEXT_MAX_LENGTHS["notes"]
        )
        if value.startswith(FORMULA_START):
            self._warn(
                row, column, value, _("This cell looks like a formula: kept as text, never run.")
            )
        if len(value) > limit:
            self._warn(
                row,
                column,
                value[:80] + "…",
                _("This cell holds %(length)s characters: cut at %(max)s.")
                % {"length": len(value), "max": limit},
            )
            value = value[:limit]
        return value

    def _summary_overflow(self, row):
        summary = row.values.get("presentation_resume", "")
        if len(summary) <= SUMMARY_MAX:
            return
        detail = row.values.get("presentation_detail", "")
        row.values["presentation_resume"] = summary[: SUMMARY_MAX - 1].rstrip() + "…"
        if summary not in detail:
            row.values["presentation_detail"] = "\n\n".join(filter(None, [summary, detail]))
        self._warn(
            row,
            "presentation_resume",
            summary[:80] + "…",
            _(
                "The summary holds %(length)s characters (%(max)s at most): shortened, and kept "
                "in full in the detailed presentation."
            )
            % {"length": len(summary), "max": SUMMARY_MAX},
        )

    def _read_pivot(self, row, column, value):
        compact = re.sub(r"[\s.\-]", "", value)
        if self.pivot_pattern.fullmatch(compact):
            return compact
        if not compact:
            self._warn(
                row,
                column,
                value,
                _(
                    "No SIRET, SIREN or RNA number (the site keeps its previous number, a new "
                    "site gets %(placeholder)s)."
                )
                % {"placeholder": PIVOT_PLACEHOLDER},
            )
            return ""
        self._warn(
            row,
            column,
            value,
            _(
                "“%(value)s” is not a SIRET, SIREN or RNA number: not imported (the site keeps "
                "its previous number, a new site gets %(placeholder)s)."
            )
            % {"value": value, "placeholder": PIVOT_PLACEHOLDER},
        )
        return ""

    def _read_code_insee(self, row, column, value):
        if not value or self.insee_pattern.fullmatch(value):
            return value
        self._warn(
            row,
            column,
            value,
            _("“%(value)s” is not an INSEE code (5 characters): dropped.") % {"value": value},
        )
        return ""

    def _read_date_maj(self, row, column, value):
        if not value:
            self._warn(row, column, value, _("No update date: the import date is used."))
            return ""
        text = value.split("T")[0].split(" ")[0]
        try:
            date = datetime.date.fromisoformat(text)
        except ValueError:
            date = None
        for date_format in DATE_FORMATS if date is None else ():
            try:
                date = datetime.datetime.strptime(text, date_format).date()
                break
            except ValueError:
                continue
        if date is None:
            self._warn(
                row,
                column,
                value,
                _("“%(value)s” is not a date (YYYY-MM-DD): dropped, the import date is used.")
                % {"value": value},
            )
            return ""
        if not self.date_bounds[0] <= date <= self.date_bounds[1]:
            self._warn(
                row,
                column,
                value,
                _(
                    "“%(value)s” is not a plausible update date (a placeholder?): dropped, the "
                    "import date is used."
                )
                % {"value": value},
            )
            return ""
        return date.isoformat()

    def _read_telephone(self, row, column, value):
        if not value:
            return ""
        numbers = [n for n in PHONE_SPLIT_RE.split(value) if n.strip()]
        kept = ""
        for number in numbers:
            phone = self.phone(number)
            if phone and not kept:
                kept = phone
        dropped = [n for n in numbers if self.phone(n) != kept]
        if not kept:
            self._warn(
                row,
                column,
                value,
                _("“%(value)s” is not a phone number: dropped.") % {"value": value},
            )
        elif dropped:
            self._warn(
                row,
                column,
                value,
                _("One phone number is kept (%(kept)s); dropped: %(dropped)s.")
                % {"kept": kept, "dropped": ", ".join(dropped)},
            )
        return kept

    def phone(self, number):
        """A French phone number in the standard's form (+33…), or ''."""
        digits = re.sub(r"[\s.\-()]", "", number)
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        if re.fullmatch(r"0\d{9}", digits):
            digits = OVERSEAS_PREFIXES.get(digits[:4], "+33") + digits[1:]
        if digits.startswith("+330"):
            digits = "+33" + digits[4:]
        return digits if self.telephone_pattern.fullmatch(digits) else ""

    def _read_courriels(self, row, column, value):
        kept = []
        for item in EMAIL_SPLIT_RE.split(value):
            item = item.strip().removeprefix("mailto:")
            if not item:
                continue
            try:
                self.email_validator(item)
            except ValidationError:
                self._warn(
                    row,
                    column,
                    item,
                    _("“%(value)s” is not an email address: dropped.") % {"value": item},
                )
                continue
            kept.append(item)
        return standards.join_values(list(dict.fromkeys(kept)))

    def _read_urls(self, row, column, value):
        match = HYPERLINK_RE.match(value)
        if match:
            self._warn(
                row,
                column,
                value,
                _("A spreadsheet formula: only its link is kept (%(url)s).")
                % {"url": match.group(1)},
            )
            value = match.group(1)
        elif value.startswith(FORMULA_START):
            self._warn(row, column, value, _("A formula is not a web address: dropped."))
            return ""
        kept = []
        for item in URL_SPLIT_RE.split(value):
            item = item.strip().rstrip(",")
            if not item:
                continue
            url = item if re.match(r"^https?://", item, re.IGNORECASE) else "https://" + item
            try:
                self.url_validator(url)
            except ValidationError:
                self._warn(
                    row,
                    column,
                    item,
                    _("“%(value)s” is not a web address: dropped.") % {"value": item},
                )
                continue
            kept.append(url)
        return standards.join_values(list(dict.fromkeys(kept)))

    _read_site_web = _read_fiche_acces_libre = _read_prise_rdv = _read_urls

    def _read_horaires(self, row, column, value):
        if not value:
            return ""
        if value not in self._hours_cache:
            self._hours_cache[value] = loosen(value)
        hours, kept = self._hours_cache[value]
        if kept:
            self._warn(
                row,
                column,
                value,
                _(
                    "Opening hours partly not understood: %(parts)s kept as written (as a "
                    "comment), the rest read as opening hours."
                )
                % {"parts": ", ".join(f"“{part}”" for part in kept)},
            )
        return hours


def fill_dropped(instance, previous):
    """After a row is read into ``instance``: a dropped pivot or date keeps the site's
    previous value, or gets the placeholder / today's date for a new site."""
    if not instance.pivot:
        instance.pivot = previous.get("pivot") or PIVOT_PLACEHOLDER
    if not instance.date_maj:
        instance.date_maj = previous.get("date_maj") or timezone.localdate()
