"""The devices' admin import, run as a background job (portal.import_jobs).

The job's owner bounds the import to their campaigns (forms.access), as the
admin's synchronous import did: ``user=job.user``."""

from forms.logistics import device_import
from portal.enums import ImportKind, ImportPhase
from portal.import_jobs import register_import_runner


def run(job, data, progress):
    """Check (preview phase) or import the stored file, all or nothing unless the
    person chose to import the valid rows only (``partial``)."""
    device_file = device_import.read_file(data)
    progress(0, None)
    report = device_import.import_devices(
        device_file,
        dry_run=job.phase == ImportPhase.PREVIEW,
        partial=bool(job.options.get("partial")),
        by=job.user,
        user=job.user,
    )
    done = report.created + report.updated + report.rejected
    progress(done, done)
    return report


def read_rows(data):
    """The file as the import reads it; an XLSX workbook's rows to fix come back as CSV."""
    device_file = device_import.read_file(data)
    if data[:4] == b"PK\x03\x04":
        delimiter = ";"
    else:
        first_line = device_import.decode(data).lstrip("\ufeff").split("\n", 1)[0]
        delimiter = device_import.sniff_delimiter(first_line)
    return device_file.headers, device_file.rows(), delimiter


def register():
    register_import_runner(ImportKind.DEVICES, run, read_rows)
