"""Import devices from a refurbisher's file (CSV or XLSX).

The command runs as the programme: it is not bounded by campaign scoping
(forms.access), any campaign, site, pledge or device may be named, unlike the
admin's import, which a coordinator runs within their campaigns."""

from django.core.management.base import CommandError

from content.import_command import CsvImportCommand
from forms.logistics import device_import


class Command(CsvImportCommand):
    help = (
        "Import devices from a CSV (UTF-8 or Latin-1; comma, semicolon or tab) or XLSX file "
        "(columns: " + ", ".join(device_import.COLUMNS) + "). Rows match on inventory_code, "
        "else on serial_number. All or nothing: if a row is rejected nothing is saved, unless "
        "--partial. Exits with status 1 if any row was rejected."
    )
    max_reasons = 200

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Save the valid rows even if others are rejected (default: all or nothing).",
        )

    def read_dataset(self, data):
        return device_import.read_file(data)

    def handle(self, *args, path, dry_run=False, partial=False, **options):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            device_file = self.read_dataset(data)
        except device_import.ImportFileError as error:
            raise CommandError(str(error)) from None
        # user=None: the programme's import, unscoped (see the module's docstring).
        report = device_import.import_devices(
            device_file, dry_run=dry_run, partial=partial, user=None
        )
        self.write_report(report)

    def write_report(self, report):
        if report.unknown_columns:
            self.stdout.write("Ignored columns: " + ", ".join(report.unknown_columns))
        if report.dry_run:
            prefix = "Dry run (nothing changed): "
        elif report.blocked:
            prefix = "Nothing imported (all or nothing; use --partial to import the valid rows): "
        else:
            prefix = ""
        self.stdout.write(
            f"{prefix}created: {report.created}, updated: {report.updated}, "
            f"rejected: {report.rejected}"
        )
        if report.loans_created:
            self.stdout.write(f"loans created for lent devices: {report.loans_created}")
        for error in report.base_errors:
            self.stderr.write(error)
        shown = 0
        for row in report.rejected_rows:
            for column, value, message in row.errors or [("", "", "")]:
                if shown >= self.max_reasons:
                    break
                shown += 1
                where = f" [{column}]" if column else ""
                given = f" “{value}”" if value else ""
                self.stderr.write(
                    f"line {row.line} ({row.identifier or '?'}){where}{given}: {message}"
                )
        if report.rejected > len(report.rejected_rows) or shown >= self.max_reasons:
            self.stderr.write("… more rejected rows not shown")
        if report.rejected or report.base_errors:
            raise CommandError(
                f"{report.rejected} row(s) rejected"
                + ("." if report.partial or report.dry_run else "; nothing was imported."),
                returncode=1,
            )
