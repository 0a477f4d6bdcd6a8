"""Import devices from a refurbisher's file (CSV or XLSX), read as it comes.

The command runs as the programme: it is not bounded by campaign scoping
(forms.access), any campaign, site, pledge or device may be named, unlike the
admin's import, which a coordinator runs within their campaigns.

Columns are read under the names refurbishers give them (see
forms.logistics.device_import.vocabulary); ``--map "Header=column"`` reads a
column left over (``--map "Header="`` ignores it); ``--refurbisher`` uses that
refurbisher's remembered mapping, gives them the devices of rows naming no
refurbisher, and with ``--remember`` saves the ``--map`` given for next time."""

from django.core.management.base import CommandError

from content.import_command import CsvImportCommand, terminal_progress
from forms.logistics import device_import


class Command(CsvImportCommand):
    help = (
        "Import devices from a CSV (UTF-8 or Windows-1252; comma, semicolon or tab) or XLSX file "
        "(columns: " + ", ".join(device_import.COLUMNS) + ", or the names refurbishers' tools "
        "give them). Rows match on inventory_code, else on serial_number. All or nothing: if a "
        "row is rejected nothing is saved, unless --partial. Exits with status 1 if any row was "
        "rejected; warnings (e.g. a lent device whose borrower is to complete) never block."
    )
    max_reasons = 200

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Save the valid rows even if others are rejected (default: all or nothing).",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=COLUMN",
            help="Read the file's column HEADER as COLUMN (one of: "
            + ", ".join(device_import.COLUMNS)
            + "); HEADER= ignores it. Repeatable.",
        )
        parser.add_argument(
            "--refurbisher",
            metavar="ID_OR_SIRET",
            help="The refurbisher whose file this is: their remembered mapping is used, and "
            "rows naming no refurbisher are theirs.",
        )
        parser.add_argument(
            "--remember",
            action="store_true",
            help="With --refurbisher: remember the --map given for this refurbisher's next files.",
        )

    def read_dataset(self, data):
        return device_import.read_file(data)

    def parse_map(self, items):
        mapping = {}
        for item in items:
            header, sep, column = item.partition("=")
            header, column = header.strip(), column.strip()
            if not sep or not header:
                raise CommandError(f"--map expects HEADER=COLUMN, not “{item}”.")
            if column and column not in device_import.COLUMNS:
                raise CommandError(
                    f"--map {item}: “{column}” is not a column; choose one of: "
                    + ", ".join(device_import.COLUMNS)
                )
            mapping[header] = column
        return mapping

    def handle(self, *args, path, dry_run=False, partial=False, **options):
        mapping = self.parse_map(options.get("map") or [])
        refurbisher = None
        if options.get("refurbisher"):
            refurbisher = device_import.find_refurbisher(options["refurbisher"])
            if refurbisher is None:
                raise CommandError(
                    f"No refurbisher of the refurbishing chain has the id or SIRET "
                    f"“{options['refurbisher']}”."
                )
        elif options.get("remember"):
            raise CommandError("--remember needs --refurbisher: whose mapping to remember?")
        combined = {**device_import.saved_mapping(refurbisher), **mapping}
        try:
            device_file = device_import.read_file(path, mapping=combined)
        except FileNotFoundError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except device_import.ImportFileError as error:
            raise CommandError(str(error)) from None
        # user=None: the programme's import, unscoped (see the package's docstring).
        report = device_import.import_devices(
            device_file,
            dry_run=dry_run,
            partial=partial,
            user=None,
            refurbisher=refurbisher,
            progress=terminal_progress(self.stderr, "rows"),
        )
        if options.get("remember") and mapping and not report.base_errors:
            device_import.remember_mapping(refurbisher, mapping)
            self.stdout.write(f"Mapping remembered for {refurbisher}.")
        self.write_report(report)

    def write_report(self, report):
        if report.base_errors:
            raise CommandError("Import failed, nothing changed: " + "; ".join(report.base_errors))
        for sentence in report.mappings:
            self.stdout.write("Mapped: " + sentence)
        if report.unknown_columns:
            self.stdout.write(
                "Ignored columns: "
                + ", ".join(report.unknown_columns)
                + " (read one with --map “column=field”)"
            )
        if report.dry_run:
            prefix = "Dry run (nothing changed): "
        elif report.blocked:
            prefix = "Nothing imported (all or nothing; use --partial to import the valid rows): "
        else:
            prefix = ""
        self.stdout.write(
            f"{prefix}created: {report.created}, updated: {report.updated}, "
            f"rejected: {report.rejected}, with warnings: {report.warned}"
        )
        if report.to_complete:
            self.stdout.write(
                f"to complete (listed under “To complete” in the devices): {report.to_complete}"
            )
        if report.loans_created:
            self.stdout.write(f"loans created for lent devices: {report.loans_created}")
        self.write_rows(report.warned_rows, "warnings", self.stdout, "warning: ")
        shown = self.write_rows(report.rejected_rows, "errors", self.stderr, "")
        if report.rejected > len(report.rejected_rows) or shown >= self.max_reasons:
            self.stderr.write("… more rejected rows not shown")
        if report.rejected:
            if report.partial or report.dry_run:
                ending = "."
                if report.dry_run and not report.partial:
                    ending = (
                        "; as it stands nothing would be imported (all or nothing): correct "
                        "the file, or add --partial to import the valid rows only."
                    )
            else:
                ending = (
                    "; nothing was imported (all or nothing). Correct the file and import it "
                    "again, or run again with --partial to import the valid rows only."
                )
            raise CommandError(f"{report.rejected} row(s) rejected{ending}", returncode=1)

    def write_rows(self, rows, attribute, stream, prefix):
        shown = 0
        for row in rows:
            for column, value, message in getattr(row, attribute) or [("", "", "")]:
                if shown >= self.max_reasons:
                    return shown
                shown += 1
                where = f" [{column}]" if column else ""
                given = f" “{value}”" if value else ""
                stream.write(
                    f"{prefix}line {row.line} ({row.identifier or '?'}){where}{given}: {message}"
                )
        return shown
