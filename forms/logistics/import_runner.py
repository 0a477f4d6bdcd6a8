"""The devices' admin import, run as a background job (portal.import_jobs).

The job's owner bounds the import to their campaigns (forms.access), as the
admin's synchronous import did: ``user=job.user``. The job's options carry the
person's choices: ``partial`` (import the valid rows only), ``refurbisher`` (the
Organisation the file comes from: its remembered column mapping is applied) and
``mapping`` ({header as written: column, or "" to ignore it})."""

from content.models import Organisation
from forms.logistics import device_import
from forms.logistics.device_import.reading import decode, sniff_delimiter
from portal.enums import ImportKind, ImportPhase
from portal.import_jobs import register_import_runner


def refurbisher_of(job):
    pk = job.options.get("refurbisher")
    if not pk:
        return None
    return Organisation.objects.filter(pk=pk, is_refurbisher=True).first()


def run(job, data, progress):
    """Check (preview phase) or import the stored file, all or nothing unless the
    person chose to import the valid rows only (``partial``)."""
    try:
        device_file = device_import.read_file(data, check=False)
    except device_import.ImportFileError as error:
        return device_import.DeviceImportReport(unknown_columns=[], base_errors=[str(error)])
    report = device_import.import_devices(
        device_file,
        dry_run=job.phase == ImportPhase.PREVIEW,
        partial=bool(job.options.get("partial")),
        by=job.user,
        user=job.user,
        mapping=job.options.get("mapping") or None,
        refurbisher=refurbisher_of(job),
        progress=progress,
    )
    return report


def read_rows(data):
    """The file as the import reads it, headers as written; an XLSX workbook's rows to
    fix come back as CSV (semicolons, as French spreadsheets expect)."""
    device_file = device_import.read_file(data, check=False)
    if data[:4] == b"PK\x03\x04":
        delimiter = ";"
    else:
        first_line = decode(data.split(b"\n", 1)[0]).lstrip("\ufeff")
        delimiter = sniff_delimiter(first_line)
    return list(device_file.raw_headers), device_file.rows(), delimiter


def register():
    register_import_runner(ImportKind.DEVICES, run, read_rows)
