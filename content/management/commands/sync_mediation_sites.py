"""Synchronise the mediation-site registry with a CSV file in the national standard
published at a URL (e.g. a territory's export of the national cartography)."""

from django.core.management.base import BaseCommand, CommandError

from content import sync

MAX_REASONS = 200
MB = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Fetch a CSV file in the national standard from URL and apply it: create and update "
        "sites by `id`, flag (never delete) the sites of this source the file no longer lists, "
        "keep the fields staff changed in the admin since the last sync. A download or file "
        "error changes nothing and exits 1; rejected rows exit 1 after the others are applied."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="http:// or https:// address of the CSV file")
        parser.add_argument(
            "--timeout",
            type=float,
            default=sync.DEFAULT_TIMEOUT,
            help="Seconds allowed for the whole download (default %(default)s).",
        )
        parser.add_argument(
            "--max-size",
            type=float,
            default=sync.DEFAULT_MAX_BYTES / MB,
            help="Largest file accepted, in MB (default %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Fetch, check and report; change nothing."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Show the sites created on the public map."
        )

    def handle(self, *args, url, timeout, max_size, dry_run=False, publish=False, **options):
        if timeout <= 0 or max_size <= 0:
            raise CommandError("--timeout and --max-size must be positive.")
        try:
            data = sync.fetch(url, timeout=timeout, max_bytes=int(max_size * MB))
            report = sync.sync_sites(data, url, dry_run=dry_run, publish=publish)
        except sync.SyncError as error:
            raise CommandError(str(error)) from None
        self.write_report(report)
        self.write_rows(report.import_report)

    def write_report(self, report):
        prefix = "Dry run (nothing changed): " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}source {report.source}: created: {len(report.created)}, "
            f"updated: {len(report.updated)}, unchanged: {len(report.unchanged)}, "
            f"left the source (flagged, not deleted): {len(report.left)}, "
            f"back in the source: {len(report.returned)}, "
            f"sites with fields kept: {len(report.kept)}"
        )
        if report.published:
            self.stdout.write(f"published: {report.published}")
        for identifier, columns in report.kept[:MAX_REASONS]:
            self.stdout.write(
                f"kept (changed in the admin since the last sync): id {identifier}: "
                + ", ".join(columns)
            )
        for identifier in report.left[:MAX_REASONS]:
            self.stdout.write(f"left the source: id {identifier}")
        for identifier in report.returned[:MAX_REASONS]:
            self.stdout.write(f"back in the source: id {identifier}")
        if report.first_synced:
            self.stdout.write(
                f"first synchronised (existed before, values taken from the source): "
                f"{len(report.first_synced)}: " + ", ".join(report.first_synced[:MAX_REASONS])
            )

    def write_rows(self, import_report):
        """Mappings, ignored columns, warnings (exit 0), rejected rows (exit 1), as the
        import commands print them."""
        for mapping in import_report.mappings:
            self.stdout.write("Mapped: " + mapping)
        if import_report.unknown_columns:
            self.stdout.write("Ignored columns: " + ", ".join(import_report.unknown_columns))
        warned = import_report.warned_rows
        self.stdout.write(f"rows with warnings: {len(warned)}, rejected: {import_report.rejected}")
        for line in self.row_lines(warned, "warnings"):
            self.stdout.write("warning: " + line)
        for line in self.row_lines(import_report.rejected_rows, "errors"):
            self.stderr.write(line)
        if import_report.rejected:
            raise CommandError(
                f"{import_report.rejected} row(s) rejected (the others were applied).",
                returncode=1,
            )

    def row_lines(self, rows, attribute):
        lines = (
            f"line {row.line} (id {row.identifier or '?'})"
            + (f" [{column}]" if column else "")
            + (f" “{value}”" if value else "")
            + f": {message}"
            for row in rows
            for column, value, message in getattr(row, attribute)
        )
        for count, line in enumerate(lines):
            if count >= MAX_REASONS:
                yield "..."
                return
            yield line
