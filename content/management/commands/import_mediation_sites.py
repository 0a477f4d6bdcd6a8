"""Import mediation sites from a CSV file in the national standard (v1.0.2, or an
earlier version whose columns and values are mapped to it)."""

from content import importexport
from content.import_command import CsvImportCommand, terminal_progress

MAX_REASONS = 200


class Command(CsvImportCommand):
    help = (
        "Import mediation sites from a CSV file in the national standard (earlier versions "
        "are mapped to the current one); rows match on `id`. Bad optional values are dropped "
        "with a warning; exits with status 1 only if a row was rejected."
    )
    report_options = {"max_reasons": MAX_REASONS}

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Show the created and updated sites on the public map.",
        )

    def handle(self, *args, publish=False, **options):
        self.publish = publish
        return super().handle(*args, **options)

    def read_dataset(self, data):
        return importexport.read_csv(data)

    def import_dataset(self, dataset, dry_run):
        report = importexport.import_sites(
            dataset,
            dry_run=dry_run,
            publish=self.publish,
            progress=terminal_progress(self.stderr, label="sites"),
        )
        if self.publish and not dry_run:
            self.stdout.write(f"published: {report.created + report.updated}")
        return report
