"""Import mediation sites from a CSV file in the national standard (v1.0.2)."""

from django.core.management.base import BaseCommand, CommandError

from content import importexport

MAX_REASONS = 200


class Command(BaseCommand):
    help = (
        "Import mediation sites from a CSV file in the national standard; rows match on "
        "`id`. Exits with status 1 if any row was rejected."
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
            dataset = importexport.read_csv(data)
        except importexport.ImportFileError as error:
            raise CommandError(str(error)) from None
        report = importexport.import_sites(dataset, dry_run=dry_run)
        if report.base_errors:
            raise CommandError("Import failed, nothing changed: " + "; ".join(report.base_errors))
        if report.unknown_columns:
            self.stdout.write("Ignored columns: " + ", ".join(report.unknown_columns))
        prefix = "Dry run (nothing changed): " if dry_run else ""
        self.stdout.write(
            f"{prefix}created: {report.created}, updated: {report.updated}, "
            f"rejected: {report.rejected}"
        )
        for row in report.rejected_rows[:MAX_REASONS]:
            for column, message in row.errors or [("", "")]:
                where = f" [{column}]" if column else ""
                self.stderr.write(f"line {row.line} (id {row.identifier or '?'}){where}: {message}")
        if report.rejected > MAX_REASONS:
            self.stderr.write(f"... and {report.rejected - MAX_REASONS} more rejected row(s)")
        if report.rejected:
            raise CommandError(f"{report.rejected} row(s) rejected.", returncode=1)
