"""Background imports of the admin (mediation sites, devices): ImportJob's services.

The upload view stores the file and creates a job (``create_job``), then
``portal.tasks.enqueue_job`` hands it to the tasks framework. With the immediate
backend (development, tests) the job has run when the upload's redirect lands on
its page; with the database worker the page shows a progress bar that polls
``status_payload``.

A job has two phases: ``preview`` (a dry run, whose report the person reads
before choosing) and ``import`` (the real run, once confirmed). Each app
registers how to run its kind (``register_import_runner``): content the
mediation sites, forms the devices; portal imports neither.

The uploaded file stays in the ``private`` storage (settings.STORAGES: outside
MEDIA_ROOT, never under a public URL; the names are random) under FOLDER until the import is finished and its file of
rows to fix is written, or until IMPORT_JOB_RETENTION_DAYS have passed. The
upload is streamed to that storage in chunks (``store_upload``), its size limit
enforced as it is written, so that a 50 MB file is never held in memory.

A worker claims a queued job with a conditional UPDATE that gives it a lease
(IMPORT_JOB_LEASE_SECONDS) and a claim token; each sign of progress renews the
lease, and only the holder of the claim may renew it or finish the job. A job
whose lease ran out lost its worker: ``interrupt_expired`` (``recover_tasks``,
and the job's page) marks it INTERRUPTED, and ``relaunch`` queues it again, once.
"""

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.enums import ImportPhase, ImportStatus
from portal.exports import csv_text, safe_dataset
from portal.import_reports import RowReport, RowsReport
from portal.models import ImportJob

logger = logging.getLogger(__name__)

FOLDER = "import-jobs"


def private_storage():
    """Where uploads and files of rows to fix live: the ``private`` storage, which no
    web server serves (a folder outside MEDIA_ROOT, or a private bucket)."""
    return storages["private"]


UPLOAD_EXTENSIONS = {".csv", ".tsv", ".txt", ".xlsx"}
# The largest file the admin accepts (the message of UploadTooLarge names it).
MAX_UPLOAD_SIZE = 50 * 1024 * 1024
# Rows with errors or warnings kept in the stored report (and so in the file of
# rows to fix); the accepted rows are only listed, up to ACCEPTED_SHOWN.
MAX_REPORTED_ROWS = 5000
ACCEPTED_SHOWN = 500
REASONS_COLUMN = "motifs"


def retention():
    return timedelta(days=settings.IMPORT_JOB_RETENTION_DAYS)


def lease():
    return timedelta(seconds=settings.IMPORT_JOB_LEASE_SECONDS)


class UploadTooLarge(Exception):
    """The uploaded file is larger than MAX_UPLOAD_SIZE (found while streaming it)."""

    def __init__(self):
        super().__init__(_("This file is too large (50 MB at most)."))


class LeaseLost(Exception):
    """This worker's claim on the job was taken back (its lease ran out)."""


class _SizeLimited(File):
    """An uploaded file read through chunks (``UploadedFile.chunks()``) or ``read(n)``
    (what object storages use), raising UploadTooLarge as soon as more than ``limit``
    bytes went through, whatever size the upload claimed."""

    def __init__(self, upload, limit):
        super().__init__(upload, name=getattr(upload, "name", None))
        self.upload, self.limit, self.seen = upload, limit, 0

    def _count(self, data):
        self.seen += len(data)
        if self.seen > self.limit:
            raise UploadTooLarge()
        return data

    def seek(self, offset, whence=0):
        if offset == 0 and whence == 0:
            self.seen = 0
        return self.upload.seek(offset, whence)

    def read(self, size=-1):
        return self._count(self.upload.read(size))

    def chunks(self, chunk_size=None):
        if hasattr(self.upload, "seek"):
            self.seek(0)
        chunks = (
            self.upload.chunks(chunk_size)
            if hasattr(self.upload, "chunks")
            else iter(lambda: self.upload.read(chunk_size or self.DEFAULT_CHUNK_SIZE), b"")
        )
        for chunk in chunks:
            yield self._count(chunk)

    @property
    def size(self):
        return getattr(self.upload, "size", None)


def store_upload(upload, original_name="", limit=None):
    """Stream an uploaded file (a Django UploadedFile, or any file) into the private
    storage under a random name and return that name. More than ``limit`` bytes
    (MAX_UPLOAD_SIZE) raise UploadTooLarge and leave nothing stored."""
    limit = MAX_UPLOAD_SIZE if limit is None else limit
    extension = PurePosixPath(original_name or "").suffix.lower()
    if extension not in UPLOAD_EXTENSIONS:
        extension = ".csv"
    name = f"{FOLDER}/{uuid.uuid4().hex}{extension}"
    storage = private_storage()
    try:
        return storage.save(name, _SizeLimited(upload, limit))
    except UploadTooLarge:
        delete_file(name)  # a partial file (file system) or none (object storage)
        raise


# Runners ------------------------------------------------------------------
@dataclass(frozen=True)
class ImportRunner:
    """How to run one kind of import.

    ``run(job, data, progress)`` imports the file's bytes (dry run in the preview
    phase) and returns its report (content.importexport.ImportReport or the same
    attributes); ``read_rows(data)`` reads the file as the import reads it and
    returns ``(headers, rows, delimiter)``, rows being ``(line, cells)``."""

    run: object
    read_rows: object


_RUNNERS = {}


def register_import_runner(kind, run, read_rows):
    _RUNNERS[kind] = ImportRunner(run=run, read_rows=read_rows)


def get_runner(kind):
    return _RUNNERS[kind]


# Jobs ---------------------------------------------------------------------
def create_job(kind, user, original_name, data, options=None):
    """Store the upload (bytes, or a file streamed in chunks: see ``store_upload``)
    and create a queued preview job. Raises UploadTooLarge, storing nothing."""
    if isinstance(data, bytes):
        data = ContentFile(data)
    name = store_upload(data, original_name)
    return ImportJob.objects.create(
        kind=kind,
        user=user,
        original_name=(original_name or "")[:255],
        file_name=name,
        options=options or {},
    )


def jobs_for(user, kind):
    """The jobs ``user`` may open: their own, or every one for a superuser."""
    jobs = ImportJob.objects.filter(kind=kind)
    return jobs if user.is_superuser else jobs.filter(user=user)


def get_job(user, kind, job_id):
    """The job, or None when it does not exist, is of another kind or not the user's."""
    job = jobs_for(user, kind).filter(pk=job_id).first()
    if job is not None and lease_ran_out(job) and interrupt_expired(job_id=job.pk):
        job.refresh_from_db()
    return job


def lease_ran_out(job, now=None):
    """Whether ``job``, as loaded, is running on a lease that ran out (``expired``'s
    rule, checked without a query)."""
    if job.status != ImportStatus.RUNNING:
        return False
    now = now or timezone.now()
    if job.lease_expires_at is not None:
        return job.lease_expires_at < now
    last = job.heartbeat or job.created_at
    return last is not None and last < now - lease()


def expired(now=None):
    """The running jobs whose worker's lease ran out (or, for a job claimed before
    leases existed, whose last sign of life is older than a lease)."""
    now = now or timezone.now()
    return ImportJob.objects.filter(status=ImportStatus.RUNNING).filter(
        Q(lease_expires_at__lt=now)
        | Q(lease_expires_at__isnull=True, heartbeat__lt=now - lease())
        | Q(lease_expires_at__isnull=True, heartbeat__isnull=True, created_at__lt=now - lease())
    )


def interrupt_expired(now=None, job_id=None):
    """Mark INTERRUPTED the running jobs whose lease ran out (one conditional UPDATE,
    so a worker renewing its lease at the same moment keeps its job); returns how many.
    Their claim is cleared: a worker that comes back can no longer write to them."""
    now = now or timezone.now()
    jobs = expired(now)
    if job_id is not None:
        jobs = jobs.filter(pk=job_id)
    return jobs.update(
        status=ImportStatus.INTERRUPTED,
        error=_("The import was interrupted: the server running it stopped."),
        claim_token="",
        lease_expires_at=None,
        finished_at=now,
    )


def relaunch(job, now=None):
    """Queue an interrupted job again (the "Relancer" button). One conditional UPDATE:
    of two clicks, two tabs or two instances, one only queues it; False for the others,
    and when its file is gone. A running job whose lease ran out counts as interrupted."""
    if not job.file_name or not private_storage().exists(job.file_name):
        return False
    now = now or timezone.now()
    interruptible = Q(status=ImportStatus.INTERRUPTED) | Q(pk__in=expired(now).values("pk"))
    updated = (
        ImportJob.objects.filter(pk=job.pk)
        .filter(interruptible)
        .update(
            status=ImportStatus.QUEUED,
            error="",
            done_rows=0,
            total_rows=None,
            heartbeat=None,
            lease_expires_at=None,
            claim_token="",
            finished_at=None,
        )
    )
    job.refresh_from_db()
    return bool(updated)


def confirm(job, options=None):
    """Move a checked job to its import. False when it is not waiting for a confirmation
    (a second click on "Import", an import already running or done): confirming is
    idempotent, and never starts two imports."""
    updated = ImportJob.objects.filter(
        pk=job.pk, phase=ImportPhase.PREVIEW, status=ImportStatus.DONE
    ).update(
        phase=ImportPhase.IMPORT,
        status=ImportStatus.QUEUED,
        options={**job.options, **(options or {})},
        confirmed_at=timezone.now(),
        done_rows=0,
        total_rows=None,
        heartbeat=None,
    )
    job.refresh_from_db()
    return bool(updated)


def recheck(job, options):
    """Run the preview again with new options (a column mapping): False unless the job
    is a finished preview."""
    updated = ImportJob.objects.filter(
        pk=job.pk, phase=ImportPhase.PREVIEW, status=ImportStatus.DONE
    ).update(
        status=ImportStatus.QUEUED,
        options={**job.options, **options},
        done_rows=0,
        total_rows=None,
        heartbeat=None,
        report=None,
    )
    job.refresh_from_db()
    return bool(updated)


def retry(job):
    """Run a failed job again when its file is still there; False otherwise."""
    if not job.file_name or not private_storage().exists(job.file_name):
        return False
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED).update(
        status=ImportStatus.QUEUED, error="", done_rows=0, total_rows=None, heartbeat=None
    )
    job.refresh_from_db()
    return bool(updated)


def close_without_import(job):
    """The person chose to import nothing: the job ends with its preview's report (and
    its file of rows to fix), marked as not applied; the uploaded file is deleted."""
    report = {**(job.report or {}), "applied": False, "cancelled": True}
    updated = ImportJob.objects.filter(
        pk=job.pk, phase=ImportPhase.PREVIEW, status=ImportStatus.DONE
    ).update(
        phase=ImportPhase.IMPORT,
        report=report,
        file_name="",
        confirmed_at=timezone.now(),
        finished_at=timezone.now(),
    )
    if updated:
        delete_file(job.file_name)
    job.refresh_from_db()
    return bool(updated)


def fail(job, message):
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED,
        error=message,
        finished_at=timezone.now(),
        lease_expires_at=None,
        claim_token="",
    )


# Running ------------------------------------------------------------------
def run_job(job_id):
    """Run a queued job (the task's body): claim it, run its kind's runner with a
    progress callback, store the report and the file of rows to fix. A job that is
    not queued (already run by a retried task) is left alone."""
    job = claim(job_id)
    if job is None:
        return
    runner = _RUNNERS.get(job.kind)
    if runner is None:
        fail(job, _("The import failed because of an unexpected error."))
        return
    try:
        data = read_upload(job)
        # The engines import in one transaction: if they fail, nothing was saved.
        report = runner.run(job, data, progress_callback(job))
        stored = serialise_report(report)
    except LeaseLost:
        logger.warning("Import job #%s was taken back from this worker: left alone", job.pk)
        return
    except Exception:  # noqa: BLE001 - any failure is shown on the job's page, never a 500
        logger.exception("Import job #%s (%s, %s) failed", job.pk, job.kind, job.phase)
        fail(job, _("The import failed because of an unexpected error."))
        return
    if not hasattr(report, "applied"):  # the sites' report: saved unless a dry run
        stored["applied"] = job.phase == ImportPhase.IMPORT and not report.base_errors
    try:
        fix_name = write_fix_file(job, data, stored, runner)
    except Exception:  # noqa: BLE001 - the import is done: only its file of rows to fix is lost
        logger.exception("Import job #%s: the file of rows to fix was not written", job.pk)
        fix_name = ""
    finished = {
        "status": ImportStatus.DONE,
        "report": stored,
        "fix_file_name": fix_name,
        "finished_at": timezone.now(),
        "heartbeat": timezone.now(),
    }
    finished.update(lease_expires_at=None, claim_token="")
    if job.phase == ImportPhase.IMPORT:
        finished["file_name"] = ""
    # Only the worker holding the claim finishes the job.
    mine = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.RUNNING, claim_token=job.claim_token
    )
    if not mine.update(**finished):
        logger.warning("Import job #%s was taken back from this worker: left alone", job.pk)
        delete_file(fix_name)
        return
    if job.phase == ImportPhase.IMPORT:
        delete_file(job.file_name)


def claim(job_id, now=None):
    """Take a queued job for this worker: a conditional UPDATE (of two workers, one
    only wins) that gives it a lease and a claim token. None when the job is not queued."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING,
        heartbeat=now,
        lease_expires_at=now + lease(),
        claim_token=token,
        done_rows=0,
        total_rows=None,
    )
    if not claimed:
        return None
    return ImportJob.objects.select_related("user").get(pk=job_id)


def renew(job, **values):
    """Renew this worker's lease on ``job`` (with ``values``, e.g. its progress); raises
    LeaseLost when the job is no longer its own (interrupted, relaunched elsewhere)."""
    now = timezone.now()
    renewed = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.RUNNING, claim_token=job.claim_token
    ).update(heartbeat=now, lease_expires_at=now + lease(), **values)
    # No row renewed: lost, when the job is there under another status or claim. A job
    # this connection cannot see (deleted, or not yet committed when the progress is
    # written from another connection) is not another worker's: the final, conditional
    # UPDATE settles it.
    if not renewed and ImportJob.objects.filter(pk=job.pk).exists():
        raise LeaseLost(job.pk)


def read_upload(job):
    with private_storage().open(job.file_name, "rb") as handle:
        return handle.read()


def delete_file(name):
    if name and private_storage().exists(name):
        private_storage().delete(name)


def progress_callback(job):
    """``progress(done_rows, total_rows_or_None)`` updating the job row: one UPDATE."""

    def progress(done, total=None):
        save_progress(job, done, total)

    return progress


def save_progress(job, done, total=None):
    """Record the progress and renew the lease. Raises LeaseLost when the job was
    taken back from this worker: the engine's transaction then rolls back, so that
    only the worker holding the job imports it."""
    values = {"done_rows": max(0, int(done))}
    if total is not None:
        values["total_rows"] = max(0, int(total))

    def update():
        renew(job, **values)

    if connection.in_atomic_block and connection.vendor != "sqlite":
        # The engines import inside one transaction: an UPDATE on this connection
        # would stay invisible to the progress page until the end. Another thread
        # has its own connection, which commits at once.
        lost = []
        thread = threading.Thread(target=_in_own_connection, args=(update, lost))
        thread.start()
        thread.join(timeout=10)  # never hold the import up for its progress bar
        if lost:
            raise lost[0]
    else:
        update()


def _in_own_connection(function, lost):
    try:
        function()
    except LeaseLost as error:
        lost.append(error)
    except Exception:  # noqa: BLE001 - progress is a courtesy: never stop an import for it
        logger.warning("Import progress not saved", exc_info=True)
    finally:
        connection.close()


# Reports ------------------------------------------------------------------
def _triples(items):
    return [[str(column), str(value), str(message)] for column, value, message in items]


def serialise_report(report):
    """A report as JSON: counts, mappings, unknown columns, every row with errors or
    warnings (up to MAX_REPORTED_ROWS) and the first accepted rows."""
    flagged, accepted = [], []
    flagged_count = 0
    for row in report.rows:
        if row.errors or row.warnings or row.action in {"invalid", "error"}:
            flagged_count += 1
            if len(flagged) < MAX_REPORTED_ROWS:
                flagged.append(row)
        elif row.action in {"new", "update"} and len(accepted) < ACCEPTED_SHOWN:
            accepted.append(row)
    rows = sorted(flagged + accepted, key=lambda row: row.line)
    return {
        "created": report.created,
        "updated": report.updated,
        "rejected": report.rejected,
        "warned": getattr(report, "warned", None) or len(report.warned_rows),
        "unknown_columns": [str(column) for column in report.unknown_columns],
        "headers": [str(header) for header in getattr(report, "headers", None) or []],
        "mappings": [str(mapping) for mapping in report.mappings],
        "base_errors": [str(error) for error in report.base_errors],
        "truncated": flagged_count > len(flagged),
        "partial": bool(getattr(report, "partial", False)),
        "blocked": bool(getattr(report, "blocked", False)),
        "applied": bool(getattr(report, "applied", False)),
        "loans_created": getattr(report, "loans_created", 0),
        "to_complete": getattr(report, "to_complete", 0),
        "published": getattr(report, "published", None),
        "rows": [
            {
                "line": row.line,
                "action": row.action,
                "identifier": str(row.identifier or ""),
                "name": str(row.name or ""),
                "errors": _triples(row.errors),
                "warnings": _triples(row.warnings),
            }
            for row in rows
        ],
    }


class StoredReport(RowsReport):
    """A job's report read back, with the attributes of the engines' reports."""

    def __init__(self, data):
        data = data or {}
        self.data = data
        self.created = data.get("created", 0)
        self.updated = data.get("updated", 0)
        self.rejected = data.get("rejected", 0)
        self.warned = data.get("warned", 0)
        self.unknown_columns = data.get("unknown_columns", [])
        self.headers = data.get("headers", [])
        self.mappings = data.get("mappings", [])
        self.base_errors = data.get("base_errors", [])
        self.truncated = data.get("truncated", False)
        self.partial = data.get("partial", False)
        self.blocked = data.get("blocked", False)
        self.applied = data.get("applied", False)
        self.loans_created = data.get("loans_created", 0)
        self.to_complete = data.get("to_complete", 0)
        self.published = data.get("published")
        self.cancelled = data.get("cancelled", False)
        self.rows = [
            RowReport(
                line=row["line"],
                action=row["action"],
                identifier=row["identifier"],
                name=row["name"],
                errors=[tuple(triple) for triple in row["errors"]],
                warnings=[tuple(triple) for triple in row["warnings"]],
            )
            for row in data.get("rows", [])
        ]

    @property
    def accepted(self):
        return self.created + self.updated

    def reasons_by_line(self):
        """{line: text of the reasons} of every refused or warned row."""
        reasons = {}
        for row in self.rows:
            parts = [_reason(_("Error"), triple) for triple in row.errors]
            parts += [_reason(_("Warning"), triple) for triple in row.warnings]
            if parts:
                reasons[row.line] = " ; ".join(parts)
        return reasons


def _reason(label, triple):
    column, value, message = triple
    if column and value:
        return f"{label} – {column} « {value} » : {message}"
    if column:
        return f"{label} – {column} : {message}"
    return f"{label} : {message}"


# The file of rows to fix ----------------------------------------------------
def rows_to_fix(headers, rows, reasons, delimiter=";"):
    """The rows of a file whose line is in ``reasons``, as they were read, with the
    reasons in an added "motifs" column: CSV in UTF-8 with a BOM (spreadsheets then
    read the accents), the file's own delimiter, formula-like cells neutralised.
    Used by every import: ``rows`` is what its reader gives, ``(line, cells)``."""
    width = len(headers)
    selected = (
        [*(list(cells) + [""] * width)[:width], reasons[line]]
        for line, cells in rows
        if line in reasons
    )
    dataset = safe_dataset([*headers, REASONS_COLUMN], selected)
    return csv_text(dataset, delimiter=delimiter or ";").encode("utf-8")


def write_fix_file(job, data, stored, runner):
    """Write the job's file of rows to fix (when rows were refused or warned) and
    return its storage name ("" when there is none); the previous one is replaced."""
    delete_file(job.fix_file_name)
    reasons = StoredReport(stored).reasons_by_line()
    if not reasons:
        return ""
    headers, rows, delimiter = runner.read_rows(data)
    content = rows_to_fix(headers, _until_unreadable(rows), reasons, delimiter)
    return private_storage().save(
        f"{FOLDER}/{uuid.uuid4().hex}-a-corriger.csv", ContentFile(content)
    )


def _until_unreadable(rows):
    """The rows up to where the file cannot be read any further (the import stopped
    there too, and its report says why)."""
    try:
        yield from rows
    except Exception:  # noqa: BLE001 - each kind's reader has its own file error
        logger.info("Rows to fix: the file cannot be read past this point", exc_info=True)


def fix_file_download_name(job):
    stem = PurePosixPath(job.original_name or "import").stem or "import"
    return f"{stem}_lignes-a-corriger.csv"


# Status -------------------------------------------------------------------
def status_payload(job):
    """What the progress page polls (small JSON)."""
    return {
        "status": job.status,
        "phase": job.phase,
        "done": job.done_rows,
        "total": job.total_rows,
        "percent": job.percent,
        "finished": not job.is_active,
        "message": progress_text(job),
    }


def progress_text(job):
    if job.status == ImportStatus.QUEUED:
        return _("Waiting for its turn…")
    if job.status in {ImportStatus.FAILED, ImportStatus.INTERRUPTED}:
        return job.error or _("The import failed.")
    if job.status == ImportStatus.DONE:
        return _("Finished.")
    if job.total_rows:
        return _("%(done)s rows read out of %(total)s.") % {
            "done": job.done_rows,
            "total": job.total_rows,
        }
    return _("%(done)s rows read.") % {"done": job.done_rows}


# Retention ----------------------------------------------------------------
def purge_expired_jobs(now=None):
    """Delete the jobs (their files and reports) older than the retention; returns how many."""
    limit = (now or timezone.now()) - retention()
    expired = ImportJob.objects.filter(created_at__lt=limit)
    count = 0
    for file_name, fix_name in expired.values_list("file_name", "fix_file_name"):
        delete_file(file_name)
        delete_file(fix_name)
        count += 1
    expired.delete()
    return count
