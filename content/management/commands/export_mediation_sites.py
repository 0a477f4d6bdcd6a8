"""Export mediation sites as CSV (national standard v1.0.2) or XLSX."""

from django.core.management.base import BaseCommand, CommandError

from content import importexport
from content.models import MediationSite


class Command(BaseCommand):
    help = "Export mediation sites in the national standard (CSV by default, to stdout)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output)")
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx"],
            help="Default: from the output file's extension, else csv",
        )
        parser.add_argument(
            "--published-only",
            action="store_true",
            help="Only the sites shown on the public map (the open data)",
        )

    def handle(self, *args, output=None, format=None, published_only=False, **options):
        export_format = format or ("xlsx" if output and output.endswith(".xlsx") else "csv")
        queryset = MediationSite.objects.all()
        if published_only:
            queryset = queryset.published()
        if export_format == "xlsx":
            data = importexport.export_xlsx(queryset)
        else:
            data = importexport.export_csv(queryset).encode("utf-8")
        if output:
            with open(output, "wb") as handle:
                handle.write(data)
            self.stderr.write(f"{queryset.count()} site(s) written to {output}")
        elif export_format == "xlsx":
            raise CommandError("XLSX is binary: give a file with --output.")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
