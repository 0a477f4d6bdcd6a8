"""What a device import did (or would do), row by row."""

from dataclasses import dataclass, field

from content.standards import normalise_text
from forms.logistics.device_import.columns import COLUMN_OF_FIELD
from portal.import_reports import RowsReport


@dataclass
class DeviceImportReport(RowsReport):
    unknown_columns: list
    partial: bool = False
    dry_run: bool = True
    created: int = 0
    updated: int = 0
    rejected: int = 0
    applied: bool = False  # whether anything was saved
    rows: list = field(default_factory=list)  # the first accepted rows, and every rejected one
    base_errors: list = field(default_factory=list)
    loans_created: int = 0
    mappings: list = field(default_factory=list)  # as content.importexport.ImportReport
    warned: int = 0  # rows kept with warnings (``rows`` lists the first of them)
    to_complete: int = 0  # devices marked to complete (a borrower, a site… left blank)
    headers: list = field(default_factory=list)  # the file's headers as written
    # [(line, cells as written)] of the rejected rows (the first MAX_REPORTED_ERRORS):
    # what a file of the rows to fix is made of.
    rows_to_fix: list = field(default_factory=list)
    refurbisher: object = None  # the refurbisher whose mapping was used, if any

    @property
    def choice_needed(self):
        """Some rows are rejected and others valid: the person chooses between importing
        the valid rows (``partial``) and importing nothing."""
        return bool(self.rejected) and bool(self.created or self.updated) and not self.base_errors

    @property
    def blocked(self):
        """All or nothing: rows were rejected, so nothing is (or would be) saved."""
        return bool(self.rejected or self.base_errors) and not self.partial


def row_errors(errors, values):
    """[(column, value, message)] of a refused row, from its errors ({model field:
    [messages]}, "__all__" or "" for the row as a whole) and its cells ({column: cell})."""
    triples = []
    for field_name, messages in errors.items():
        column = COLUMN_OF_FIELD.get(
            field_name, "" if field_name in {"__all__", ""} else field_name
        )
        value = normalise_text(values.get(column, "")) if column else ""
        triples.extend((column, value, message) for message in messages)
    return triples
