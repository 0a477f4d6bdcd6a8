"""The one base of every spreadsheet export (records, devices, mediation sites).

Every cell goes through ``safe_cell``: control characters, which XLSX cannot
hold, are dropped, and text a spreadsheet would read as a formula (CSV
injection: it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) gets a leading apostrophe, so that it shows as typed and never runs.
Plain numbers (``-3``, ``+33 5 58 12 34 56``) are left as they are.

Spreadsheets read right in French: the resources export native values
(``force_native_type``), so that an XLSX stores numbers as numbers and dates as
dates (shown ``DD/MM/YYYY``), on a sheet named after its content
(``xlsx_bytes``); a CSV (``csv_text``, semicolons by default) writes dates as
``DD/MM/YYYY`` and, unless it is comma-separated, decimals with a comma.
"""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import tablib
from django.utils import timezone
from django.utils.text import capfirst
from import_export import resources
from import_export.formats.base_formats import CSV
from openpyxl.styles import Font

from portal.sanitise import strip_control_characters

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# Characters a sheet's name cannot hold, and its length limit (Excel's).
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_LENGTH = 31

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d .,]*")


def escape_formula(value):
    """Prefix text that a spreadsheet would read as a formula with an apostrophe."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_cell(value):
    return escape_formula(strip_control_characters(value))


class SafeExportResource(resources.ModelResource):
    """Every cell through ``safe_cell``; values stay native (numbers, dates) for the
    XLSX and ``csv_text``."""

    def export(self, queryset=None, **kwargs):
        kwargs.setdefault("force_native_type", True)
        return super().export(queryset=queryset, **kwargs)

    def sheet_title(self):
        """The sheet's name: what the rows are (the model's plural name, in French)."""
        return capfirst(str(self._meta.model._meta.verbose_name_plural))

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        return [safe_cell(value) for value in row]


# CSV for French spreadsheet software: semicolons and a UTF-8 BOM, unless a comma is asked for.
CSV_DELIMITERS = {"semicolon": ";", "comma": ",", "tab": "\t"}


def local_moment(value):
    """A moment as the spreadsheet shows it: local time, without time zone (XLSX holds none)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def csv_value(value, decimal_comma=True):
    """One cell as French CSV text: dates ``DD/MM/YYYY``, decimals with a comma."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, datetime.datetime):
        return local_moment(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (Decimal, float)):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    return value


def csv_text(dataset, delimiter=";"):
    """A dataset as CSV text with a BOM (Excel then reads it as UTF-8); decimals with a
    comma unless the delimiter is one."""
    decimal_comma = delimiter != ","
    text = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        text.append([csv_value(value, decimal_comma) for value in row])
    return "\ufeff" + CSV().export_data(text, delimiter=delimiter)


def sheet_title(title):
    """A sheet name Excel accepts: without ``\\ / * ? : [ ]``, at most 31 characters."""
    title = SHEET_TITLE_FORBIDDEN.sub(" ", str(title or "")).strip()
    return title[:SHEET_TITLE_LENGTH].strip() or "Export"


def xlsx_bytes(dataset, title):
    """A dataset as an XLSX workbook of one sheet named ``title``: numbers stored as
    numbers, dates as dates (``DD/MM/YYYY``), the header row in bold."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    if dataset.headers:
        sheet.append([str(header) for header in dataset.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    for row in dataset:
        cells = []
        for value in row:
            if isinstance(value, datetime.datetime):
                value = local_moment(value)
            cells.append(value)
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
    if dataset.headers:
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_dataset(headers, rows):
    """Rows that are not model instances (a report's figures) as a dataset, every
    cell through ``safe_cell``."""
    dataset = tablib.Dataset(headers=[safe_cell(str(header)) for header in headers])
    for row in rows:
        dataset.append([safe_cell(value) for value in row])
    return dataset
