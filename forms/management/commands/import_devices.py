"""Import devices from a refurbisher's CSV file."""

from content.import_command import CsvImportCommand
from forms import device_import


class Command(CsvImportCommand):
    help = (
        "Import devices from a CSV file (columns: "
        + ", ".join(device_import.COLUMNS)
        + "); rows match on inventory_code. Exits with status 1 if any row was rejected."
    )
    report_options = {"identifier_label": "code"}

    def read_dataset(self, data):
        return device_import.read_csv(data)

    def import_dataset(self, dataset, dry_run):
        return device_import.import_devices(dataset, dry_run=dry_run)
