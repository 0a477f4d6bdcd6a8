"""CSV/XLSX import and export of mediation sites in the national standard.

django-import-export ``Resource`` classes, used by the admin views and the
management commands. Built for files of the national map's size (~20,000 rows):
bulk writes in batches of 1,000, no diff, and the existing rows are loaded once
(by ``id``) instead of one query per row.
"""

import csv
import io
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets
from import_export.formats.base_formats import CSV, XLSX

from content import site_rows, standard_versions, standards
from content.models import MediationSite
from portal.bounds import TEXT_MAX_LENGTHS, DateWindowValidator
from portal.exports import SafeExportResource
from portal.import_reports import RowReport, RowsReport
from portal.page_cache import purge as purge_page_cache

BATCH_SIZE = 1000
LOOKUP_CHUNK = 500
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, format, missing columns)."""


# Widgets ------------------------------------------------------------------
class TextWidget(widgets.Widget):
    max_length = TEXT_MAX_LENGTHS["notes"]

    def clean(self, value, row=None, **kwargs):
        text = standards.normalise_text(value)
        if len(text) > self.max_length:
            raise ValueError(
                _("This cell holds %(length)s characters; at most %(max)s are accepted.")
                % {"length": len(text), "max": self.max_length}
            )
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class MultiValueWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return standards.normalise_multi_value(super().clean(value, row, **kwargs))


class DecimalDegreesWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        value = standards.normalise_text(value)
        if not value:
            return None
        try:
            return float(value.replace(",", ".").replace(" ", ""))
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a number (decimal degrees, e.g. 43.89).") % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else repr(float(value))


class IsoDateWidget(widgets.DateWidget):
    def __init__(self, field_name=""):
        super().__init__(format="%Y-%m-%d")
        self.window = DateWindowValidator.for_field(field_name)

    def clean(self, value, row=None, **kwargs):
        value = standards.normalise_text(value)
        if not value:
            return None
        try:
            date = super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value}
            ) from None
        try:
            self.window(date)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        return date


def _widget(column):
    schema_field = standards.field(column)
    if schema_field["type"] == "number":
        return DecimalDegreesWidget()
    if schema_field["type"] == "date":
        return IsoDateWidget(standards.model_field_name(column))
    if standards.allowed_values(column):
        return MultiValueWidget()
    return TextWidget()


# Resource -----------------------------------------------------------------
class BaseMediationSiteResource(SafeExportResource):
    """One column per field of the standard, in the schema's order."""

    def __init__(self, publish=False, progress=None, total=None, editable=None, **kwargs):
        super().__init__(**kwargs)
        self.editable = editable  # None: every site (the command, the sync)
        self.editable_ids = None
        self.existing = {}
        self.seen_ids = set()
        self.publish = publish
        self.progress = progress
        self.total = total
        self.done = 0

    def before_import(self, dataset, **kwargs):
        """Load every site the file names, in a few queries, keyed by id."""
        ids = [standards.normalise_text(v) for v in dataset["id"] if standards.normalise_text(v)]
        self.existing = {}
        self.seen_ids = set()
        self.editable_ids = None if self.editable is None else set()
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[start : start + LOOKUP_CHUNK]
            for site in MediationSite.objects.filter(identifier__in=chunk):
                self.existing[site.identifier] = site
            if self.editable is not None:
                self.editable_ids.update(
                    self.editable.filter(identifier__in=chunk).values_list("identifier", flat=True)
                )

    def get_or_init_instance(self, instance_loader, row):
        identifier = standards.normalise_text(row.get("id"))
        if identifier in self.existing:
            return self.existing[identifier], False
        return self.init_instance(row), True

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        self.done += 1
        if self.progress is not None and self.done % BATCH_SIZE == 0:
            self.progress(self.done, self.total)
        return result

    def import_instance(self, instance, row, **kwargs):
        identifier = standards.normalise_text(row.get("id"))
        previous = {"pivot": instance.pivot, "date_maj": instance.date_maj}
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        site_rows.fill_dropped(instance, previous)
        if (
            self.editable_ids is not None
            and identifier in self.existing
            and identifier not in self.editable_ids
        ):
            errors.setdefault("identifier", []).append(
                _(
                    "The site “%(id)s” is already in the registry and belongs to another "
                    "programme: you cannot change it."
                )
                % {"id": identifier}
            )
        if identifier and identifier in self.seen_ids:
            errors.setdefault("identifier", []).append(
                _("The id “%(id)s” appears more than once in the file.") % {"id": identifier}
            )
        self.seen_ids.add(identifier)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Uniqueness of id is ensured by matching on it: no query per row.
        super().validate_instance(instance, import_validation_errors, validate_unique=False)

    def before_save_instance(self, instance, row, **kwargs):
        instance.compute_derived()
        if self.publish:
            instance.is_published = True

    def get_bulk_update_fields(self):
        columns = [standards.model_field_name(c) for c in standards.field_names() if c != "id"]
        derived = ["department", "hands_over_computers", "accepts_prescriptions", "updated_at"]
        return columns + derived + (["is_published"] if self.publish else [])

    def get_export_headers(self, selected_fields=None):
        return standards.field_names()


def _build_resource_class():
    attrs = {}
    for column in standards.field_names():
        attrs[column] = fields.Field(
            attribute=standards.model_field_name(column),
            column_name=column,
            widget=_widget(column),
        )
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "model": MediationSite,
            "fields": standards.field_names(),
            "export_order": standards.field_names(),
            "import_id_fields": ["id"],
            "use_bulk": True,
            "batch_size": BATCH_SIZE,
            "skip_diff": True,
            "force_init_instance": True,
            "clean_model_instances": True,
            "skip_unchanged": False,
            "report_skipped": True,
        },
    )
    return type("MediationSiteResource", (BaseMediationSiteResource,), attrs)


MediationSiteResource = _build_resource_class()


# Reading files ------------------------------------------------------------
def read_csv(data, check=None):
    """bytes -> tablib.Dataset; UTF-8 with or without BOM, \\n or \\r\\n, `,` or `;`.

    ``check(headers)`` raises ImportFileError when columns are missing (the
    national standard's check by default)."""
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise ImportFileError(
            _("This file is not a CSV file. Export your spreadsheet as “CSV UTF-8”.")
        )
    text = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    records = []  # (first line of the record, cells)
    try:
        previous_line = 0
        for cells in reader:
            records.append((previous_line + 1, cells))
            previous_line = reader.line_num
    except csv.Error as error:
        raise ImportFileError(
            _("This file is not valid CSV (line %(line)s): %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    headers = [standards.normalise_text(h) for h in records[0][1]]
    (check or check_headers)(headers)
    dataset = tablib.Dataset(headers=headers)
    dataset.line_numbers = []
    width = len(headers)
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are ignored
        dataset.append((cells + [""] * width)[:width])
        dataset.line_numbers.append(line)
    return dataset


def decode(data):
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's “CSV”), else Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def check_headers(headers, required=None):
    """The columns that identify and place a site must be there (under their current
    name or the name an earlier version of the standard gave them)."""
    required = site_rows.IDENTIFYING if required is None else required
    present = {standard_versions.current_column(h) for h in headers}
    missing = [name for name in required if name not in present]
    if missing:
        raise ImportFileError(
            _(
                "The first line must name the columns of the national standard; "
                "missing column(s): %(columns)s."
            )
            % {"columns": ", ".join(missing)}
        )
    check_duplicate_headers(headers)


def check_duplicate_headers(headers):
    duplicates = sorted({h for h in headers if h and headers.count(h) > 1})
    if duplicates:
        raise ImportFileError(
            _("Column(s) named twice: %(columns)s.") % {"columns": ", ".join(duplicates)}
        )


# Running an import --------------------------------------------------------
@dataclass
class ImportReport(RowsReport):
    """What an import did (or would do). ``mappings`` lists, in French, each
    column or value read under another name (older versions of a standard,
    a refurbisher's vocabulary); ``unknown_columns`` those that could not be used."""

    rows: list
    unknown_columns: list
    base_errors: list = field(default_factory=list)
    mappings: list = field(default_factory=list)

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self):
        return self.count("new")

    @property
    def updated(self):
        return self.count("update")

    @property
    def rejected(self):
        return self.count("invalid") + self.count("error")


COLUMN_OF_FIELD = {standards.model_field_name(c): c for c in standards.field_names()}


def _row_errors(row_result, values, column_of_field=None):
    """[(column, value, message)] of a refused row."""
    column_of_field = COLUMN_OF_FIELD if column_of_field is None else column_of_field
    errors = []
    if row_result.validation_error is not None:
        for field_name, messages in row_result.validation_error.message_dict.items():
            column = column_of_field.get(field_name, field_name)
            if column == "__all__":
                column = ""
            value = standards.normalise_text(values.get(column, "")) if column else ""
            errors.extend((column, value, message) for message in messages)
    for error in row_result.errors:
        errors.append(("", "", str(error.error)))
    return errors


def import_sites(dataset, dry_run=True, publish=False, progress=None, editable=None):
    """Import a dataset; every row that identifies and places its site is imported.

    Rows are first read as people wrote them (content/site_rows.py): earlier versions
    of the standard are mapped to the current one (``report.mappings``), bad optional
    values are dropped or kept as written with a warning. ``publish`` shows the created
    and updated sites on the public map in the same step; ``progress(done, total)`` is
    called every ``BATCH_SIZE`` rows. ``editable``, the sites the importer may change
    (an admin import: content.site_scope.scoped_for), refuses a row that would change
    another site of the registry; new sites are created as usual."""
    reader = site_rows.RowReader(dataset.headers)
    lines = list(getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2))
    clean = tablib.Dataset(headers=reader.columns)
    clean.line_numbers = []
    read_rows = []  # (line, CleanRow, refused)
    for line, raw in zip(lines, dataset.dict, strict=False):
        row = reader.read(raw)
        read_rows.append((line, row))
        if not row.errors:
            clean.append([row.values.get(column, "") for column in reader.columns])
            clean.line_numbers.append(line)
    resource = MediationSiteResource(
        publish=publish, progress=progress, total=len(read_rows), editable=editable
    )
    report = run_import(
        resource,
        clean,
        dry_run=dry_run,
        identifier_column="id",
        name_column="nom",
        known_columns=standards.field_names(),
    )
    imported = iter(report.rows)
    rows = []
    for line, row in read_rows:
        if row.errors:
            rows.append(
                RowReport(
                    line=line,
                    action="invalid",
                    identifier=row.values.get("id", ""),
                    name=row.values.get("nom", ""),
                    errors=row.errors,
                    warnings=row.warnings,
                )
            )
            continue
        result = next(imported, None)
        if result is None:  # the import failed as a whole (base_errors)
            continue
        result.warnings = row.warnings + result.warnings
        rows.append(result)
    if progress is not None:
        progress(len(read_rows), len(read_rows))
    if not dry_run and (report.created or report.updated):
        purge_page_cache()  # bulk writes send no post_save: the map must not show old sites
    report.rows = rows
    report.unknown_columns = reader.unknown_columns
    report.mappings = list(reader.mappings)
    return report


def run_import(
    resource,
    dataset,
    dry_run,
    identifier_column,
    name_column,
    known_columns,
    column_of_field=None,
):
    """Run a Resource's import and report row by row (line, action, errors)."""
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True)
    lines = getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)
    rows = []
    for line, row_result, values in zip(lines, result.rows, dataset.dict, strict=False):
        rows.append(
            RowReport(
                line=line,
                action=row_result.import_type,
                identifier=standards.normalise_text(values.get(identifier_column)),
                name=standards.normalise_text(values.get(name_column)),
                errors=_row_errors(row_result, values, column_of_field),
            )
        )
    base_errors = [str(error.error) for error in result.base_errors]
    return ImportReport(
        rows=rows,
        unknown_columns=[h for h in dataset.headers if h not in known_columns],
        base_errors=base_errors,
    )


# Export -------------------------------------------------------------------
def export_dataset(queryset=None):
    queryset = MediationSite.objects.all() if queryset is None else queryset
    queryset = queryset.order_by("identifier")
    return MediationSiteResource().export(queryset=queryset)


def export_csv(queryset=None):
    """The standard's CSV (UTF-8, `,` delimiter, header in schema order), as text."""
    return CSV().export_data(export_dataset(queryset))


def export_xlsx(queryset=None):
    return XLSX().export_data(export_dataset(queryset))
