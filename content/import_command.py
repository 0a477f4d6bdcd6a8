"""The shared shape of the CSV import commands (sites, devices): read, import,
report, and exit with status 1 when any row was rejected (warnings alone exit 0)."""

from django.core.management.base import BaseCommand, CommandError

from content.importexport import ImportFileError


def _row_lines(rows, attribute, identifier_label, max_reasons):
    shown = 0
    for row in rows:
        for column, value, message in getattr(row, attribute) or [("", "", "")]:
            if shown >= max_reasons:
                return
            shown += 1
            where = f" [{column}]" if column else ""
            given = f" “{value}”" if value else ""
            yield f"line {row.line} ({identifier_label} {row.identifier or '?'}){where}{given}: {message}"


def write_command_report(command, report, dry_run, max_reasons=200, identifier_label="id"):
    """What the import commands print: mappings applied, ignored columns, counts, each
    warning, each error. Raises CommandError (exit 1) on rejected rows; warnings alone exit 0."""
    if report.base_errors:
        raise CommandError("Import failed, nothing changed: " + "; ".join(report.base_errors))
    for mapping in report.mappings:
        command.stdout.write("Mapped: " + mapping)
    if report.unknown_columns:
        command.stdout.write("Ignored columns: " + ", ".join(report.unknown_columns))
    warned = report.warned_rows
    prefix = "Dry run (nothing changed): " if dry_run else ""
    command.stdout.write(
        f"{prefix}created: {report.created}, updated: {report.updated}, "
        f"rejected: {report.rejected}, with warnings: {len(warned)}"
    )
    for line in _row_lines(warned, "warnings", identifier_label, max_reasons):
        command.stdout.write("warning: " + line)
    for line in _row_lines(report.rejected_rows, "errors", identifier_label, max_reasons):
        command.stderr.write(line)
    if report.rejected > max_reasons:
        command.stderr.write(f"... and {report.rejected - max_reasons} more rejected row(s)")
    if report.rejected:
        raise CommandError(f"{report.rejected} row(s) rejected.", returncode=1)


class CsvImportCommand(BaseCommand):
    """`manage.py import_… PATH [--dry-run]`: read, import, report; exit 1 if a row was rejected.

    Subclasses set ``help`` and implement ``read_dataset(data)`` and ``import_dataset(dataset, dry_run)``.
    """

    report_options: dict = {}

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file (UTF-8, with or without BOM)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, change nothing."
        )

    def read_dataset(self, data):
        raise NotImplementedError

    def import_dataset(self, dataset, dry_run):
        raise NotImplementedError

    def handle(self, *args, path, dry_run=False, **options):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            dataset = self.read_dataset(data)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        report = self.import_dataset(dataset, dry_run)
        write_command_report(self, report, dry_run, **self.report_options)


def terminal_progress(stream, label="rows"):
    """A ``progress(done, total)`` callback for the import commands: one line that
    rewrites itself on a terminal, a line every 10 % elsewhere (logs, cron)."""
    is_tty = hasattr(stream, "isatty") and stream.isatty()
    state = {"decile": -1}

    def progress(done, total=None):
        if total:
            percent = min(100, int(done * 100 / total))
            text = f"{done}/{total} {label} ({percent} %)"
            decile = percent // 10
        else:
            text = f"{done} {label}"
            decile = done // 10000
        if is_tty:
            stream.write("\r" + text, ending="")
            stream.flush()
        elif decile != state["decile"]:
            state["decile"] = decile
            stream.write(text)

    return progress
