"""Import devices from a refurbisher's CSV file."""

from django.core.management.base import BaseCommand, CommandError

from content import importexport
from forms import device_import


class Command(BaseCommand):
    help = (
        "Import devices from a CSV file (columns: "
        + ", ".join(device_import.COLUMNS)
        + "); rows match on inventory_code. Exits with status 1 if any row was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file (UTF-8, with or without BOM)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, change nothing."
        )

    def handle(self, *args, path, dry_run=False, **options):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            dataset = device_import.read_csv(data)
        except importexport.ImportFileError as error:
            raise CommandError(str(error)) from None
        report = device_import.import_devices(dataset, dry_run=dry_run)
        importexport.write_command_report(self, report, dry_run, identifier_label="code")
