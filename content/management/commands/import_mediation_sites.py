"""Import mediation sites from a CSV file in the national standard (v1.0.2)."""

from content import importexport
from content.import_command import CsvImportCommand

MAX_REASONS = 200


class Command(CsvImportCommand):
    help = (
        "Import mediation sites from a CSV file in the national standard; rows match on "
        "`id`. Exits with status 1 if any row was rejected."
    )
    report_options = {"max_reasons": MAX_REASONS}

    def read_dataset(self, data):
        return importexport.read_csv(data)

    def import_dataset(self, dataset, dry_run):
        return importexport.import_sites(dataset, dry_run=dry_run)
