"""The one base of every spreadsheet export (records, devices, mediation sites).

Every cell goes through ``safe_cell``: control characters, which XLSX cannot
hold, are dropped, and text a spreadsheet would read as a formula (CSV
injection: it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) gets a leading apostrophe, so that it shows as typed and never runs.
Plain numbers (``-3``, ``+33 5 58 12 34 56``) are left as they are.
"""

import re

import tablib
from import_export import resources
from import_export.formats.base_formats import CSV

from portal.sanitise import strip_control_characters

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
    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        return [safe_cell(value) for value in row]


# CSV for French spreadsheet software: semicolons and a UTF-8 BOM, unless a comma is asked for.
CSV_DELIMITERS = {"semicolon": ";", "comma": ",", "tab": "\t"}


def csv_text(dataset, delimiter=";"):
    """A dataset as CSV text with a BOM (Excel then reads it as UTF-8)."""
    return "\ufeff" + CSV().export_data(dataset, delimiter=delimiter)


def safe_dataset(headers, rows):
    """Rows that are not model instances (a report's figures) as a dataset, every
    cell through ``safe_cell``."""
    dataset = tablib.Dataset(headers=[safe_cell(str(header)) for header in headers])
    for row in rows:
        dataset.append([safe_cell(value) for value in row])
    return dataset
