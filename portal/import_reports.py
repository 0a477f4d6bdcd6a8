"""What every file import reports, row by row: shared by the mediation-site import
(content), the device import (forms) and the admin's import jobs (portal), which
read and write these reports without knowing either app."""

from dataclasses import dataclass, field

ACCEPTED = {"new", "update"}
REFUSED = {"invalid", "error"}


@dataclass
class RowReport:
    """One row of an import.

    ``errors`` refuse the row; ``warnings`` keep it but say what was dropped or
    kept as written. Both are ``[(column, value, message)]``."""

    line: int
    action: str  # "new", "update", "invalid", "error", "skip"
    identifier: str
    name: str
    errors: list = field(default_factory=list)  # [(column, value, message)]
    warnings: list = field(default_factory=list)  # [(column, value, message)]


class RowsReport:
    """The row lists every import report offers, from its ``rows``."""

    rows: list

    @property
    def rejected_rows(self):
        return [row for row in self.rows if row.action in REFUSED]

    @property
    def warned_rows(self):
        """Rows kept (or to be kept) with warnings."""
        return [row for row in self.rows if row.warnings and row.action in ACCEPTED]

    @property
    def accepted_rows(self):
        return [row for row in self.rows if row.action in ACCEPTED]
