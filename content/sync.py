"""Keep the mediation-site registry in sync with a source: a CSV file in the national
standard published at a URL (the national cartography's per-territory exports).

``fetch(url)`` downloads the file (http/https only, a timeout, a size cap) and
``sync_sites(data, source)`` applies it in one transaction through the CSV import
(``importexport.read_csv`` / ``import_sites``):

- rows create or update sites by ``id``;
- a column whose value differs from what the last sync wrote (``sync_values``) was
  changed by staff in the admin: the sync keeps the staff's value and reports it;
- a site synced from this source but missing from the file is flagged
  (``left_source_at``), never deleted; the flag is cleared when it comes back;
  sites entered by hand (no ``sync_source``) are never flagged.

A file that cannot be fetched or read raises ``SyncError`` and changes nothing.
"""

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from content import importexport, standards
from content.models import MediationSite
from portal import page_cache

DEFAULT_TIMEOUT = 30  # seconds, for the whole download
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
READ_CHUNK = 64 * 1024
ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = "ordinateurs-solidaires-portal/sync_mediation_sites"
LOOKUP_CHUNK = importexport.LOOKUP_CHUNK
BATCH_SIZE = importexport.BATCH_SIZE
APPLIED_ACTIONS = ("new", "update")


class SyncError(Exception):
    """The source cannot be used (unreachable, too large, not in the standard):
    nothing was changed."""


# Fetching -----------------------------------------------------------------
def check_url(url):
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.netloc:
        raise SyncError(_("“%(url)s” is not an http:// or https:// address.") % {"url": url[:300]})


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but never to another scheme than http or https (ftp, file…)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _too_large(url, max_bytes):
    return SyncError(
        _("The file at %(url)s is larger than %(size)s: nothing changed.")
        % {"url": url, "size": filesizeformat(max_bytes)}
    )


def _timed_out(url, timeout):
    return SyncError(
        _("%(url)s did not answer in full within %(seconds)s seconds: nothing changed.")
        % {"url": url, "seconds": timeout}
    )


def fetch(url, timeout=DEFAULT_TIMEOUT, max_bytes=DEFAULT_MAX_BYTES):
    """The body at ``url`` (bytes). ``timeout`` bounds the whole download, not only
    each read; past ``max_bytes`` the download stops. Raises SyncError."""
    check_url(url)
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    request = urllib.request.Request(  # noqa: S310 - check_url allows http(s) only
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/csv, text/plain;q=0.9, */*;q=0.1"}
    )
    deadline = time.monotonic() + timeout
    chunks, size = [], 0
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_large(url, max_bytes)
            # read1: what has arrived, so that a server dripping bytes meets the deadline.
            while chunk := response.read1(READ_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(url, max_bytes)
                if time.monotonic() > deadline:
                    raise _timed_out(url, timeout)
                chunks.append(chunk)
    except urllib.error.HTTPError as error:
        raise SyncError(
            _("%(url)s answered HTTP %(status)s (%(reason)s): nothing changed.")
            % {"url": url, "status": error.code, "reason": error.reason}
        ) from None
    except TimeoutError:
        raise _timed_out(url, timeout) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timed_out(url, timeout) from None
        raise SyncError(
            _("Cannot reach %(url)s (%(reason)s): nothing changed.")
            % {"url": url, "reason": error.reason}
        ) from None
    except (http.client.HTTPException, OSError) as error:
        raise SyncError(
            _("The download from %(url)s failed (%(reason)s): nothing changed.")
            % {"url": url, "reason": str(error) or type(error).__name__}
        ) from None
    return b"".join(chunks)


# Applying -----------------------------------------------------------------
@dataclass
class SyncReport:
    """What a sync did (or, in a dry run, would do). Lists hold site ids; ``kept``
    is ``[(id, [columns])]``: the staff's values kept over the source's."""

    source: str
    dry_run: bool
    import_report: importexport.ImportReport
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    first_synced: list = field(default_factory=list)  # existed before, never synced
    left: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    published: int = 0

    @property
    def rejected(self):
        return self.import_report.rejected

    def summary(self):
        """JSON-ready figures (the periodic task's result)."""
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "left_source": len(self.left),
            "returned": len(self.returned),
            "kept_fields": dict(self.kept),
            "rejected": self.rejected,
            "with_warnings": len(self.import_report.warned_rows),
            "published": self.published,
        }


def _chunks(items, size=LOOKUP_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_sites(identifiers):
    """({id: {column: text}}, {id: (pk, sync_values, left_source_at, sync_source)}):
    the sites as the standard's export writes them, and their sync state."""
    values, state = {}, {}
    for chunk in _chunks(identifiers):
        queryset = MediationSite.objects.filter(identifier__in=chunk).order_by("identifier")
        rows = list(
            queryset.values_list("identifier", "pk", "sync_values", "left_source_at", "sync_source")
        )
        # Both in identifier order (unique): the export's own id cell may be escaped.
        dataset = importexport.export_dataset(queryset)
        for (identifier, *rest), exported in zip(rows, dataset.dict, strict=True):
            values[identifier] = {column: str(exported[column]) for column in dataset.headers}
            state[identifier] = tuple(rest)
    return values, state


def staff_changes(current, synced):
    """The columns whose current value is not the one the last sync wrote."""
    return [
        column
        for column, value in current.items()
        if column in synced and column != "id" and value != synced[column]
    ]


def read_source(data, source):
    """bytes -> dataset in the standard; SyncError when it is not one."""
    try:
        dataset = importexport.read_csv(data)
    except importexport.ImportFileError as error:
        raise SyncError(
            _(
                "The file at %(url)s is not a CSV in the national standard, nothing changed: %(error)s"
            )
            % {"url": source, "error": error}
        ) from None
    if not len(dataset):
        raise SyncError(_("The file at %(url)s lists no site: nothing changed.") % {"url": source})
    return dataset


def sync_sites(data, source, dry_run=False, publish=False, now=None):
    """Apply the file ``data`` fetched from ``source`` (its URL); returns a SyncReport.
    Everything happens in one transaction, rolled back in a dry run or on SyncError."""
    dataset = read_source(data, source)
    now = now or timezone.now()
    in_file = {standards.normalise_text(v) for v in dataset["id"]} - {""}
    with transaction.atomic():
        before, state = load_sites(in_file)
        # Columns staff changed since the last sync, and the values they gave them.
        changed_by_staff = {
            identifier: columns
            for identifier, values in before.items()
            if (columns := staff_changes(values, state[identifier][1]))
        }
        staff_sites = {
            site.identifier: site
            for chunk in _chunks(changed_by_staff)
            for site in MediationSite.objects.filter(identifier__in=chunk)
        }

        import_report = importexport.import_sites(dataset, dry_run=False)
        if import_report.base_errors:
            raise SyncError(
                _("The import of %(url)s failed, nothing changed: %(errors)s")
                % {"url": source, "errors": "; ".join(import_report.base_errors)}
            )
        report = SyncReport(source=source, dry_run=dry_run, import_report=import_report)
        applied = [row.identifier for row in import_report.rows if row.action in APPLIED_ACTIONS]
        # What the source wrote, before the staff's values are written back.
        written, state = load_sites(applied)

        for identifier in applied:
            kept = _keep_staff_values(
                identifier, changed_by_staff, before, written, staff_sites, report
            )
            _classify(identifier, before, written, kept, state, report)
        _remember(applied, written, state, source, now)
        _flag_left(source, in_file, now, report)
        if publish:
            report.published = _publish(report.created)
        if dry_run:
            transaction.set_rollback(True)
        elif report.created or report.updated or report.kept or report.left or report.published:
            page_cache.purge()  # bulk writes send no post_save signal
    return report


def _keep_staff_values(identifier, changed_by_staff, before, written, staff_sites, report):
    """Write back the staff's value of each column the source would change."""
    kept = [
        column
        for column in changed_by_staff.get(identifier, ())
        if written[identifier][column] != before[identifier][column]
    ]
    if kept:
        staff_site = staff_sites[identifier]
        site = MediationSite.objects.get(pk=staff_site.pk)
        names = [standards.model_field_name(column) for column in kept]
        for name in names:
            setattr(site, name, getattr(staff_site, name))
        site.save(update_fields=names)  # refreshes the derived flags
        report.kept.append((identifier, kept))
    return kept


def _classify(identifier, before, written, kept, state, report):
    if identifier not in before:
        report.created.append(identifier)
        return
    _pk, _values, left_source_at, sync_source = state[identifier]
    if not sync_source:
        report.first_synced.append(identifier)
    if left_source_at is not None:
        report.returned.append(identifier)
    changed = [
        column
        for column, value in written[identifier].items()
        if value != before[identifier][column] and column not in kept
    ]
    (report.updated if changed else report.unchanged).append(identifier)


def _remember(applied, written, state, source, now):
    """Store what the source wrote, when and where from; a returning site is unflagged."""
    sites = [
        MediationSite(
            pk=state[identifier][0],
            sync_values=written[identifier],
            sync_source=source,
            synced_at=now,
            left_source_at=None,
        )
        for identifier in applied
    ]
    MediationSite.objects.bulk_update(
        sites, ["sync_values", "sync_source", "synced_at", "left_source_at"], batch_size=BATCH_SIZE
    )


def _flag_left(source, in_file, now, report):
    """Flag (never delete) the sites of this source the file no longer lists."""
    gone = [
        (identifier, pk)
        for identifier, pk in MediationSite.objects.filter(
            sync_source=source, left_source_at__isnull=True
        ).values_list("identifier", "pk")
        if identifier not in in_file
    ]
    for chunk in _chunks(gone):
        MediationSite.objects.filter(pk__in=[pk for _identifier, pk in chunk]).update(
            left_source_at=now
        )
    report.left = sorted(identifier for identifier, _pk in gone)


def _publish(identifiers):
    """Show the sites just created on the public map (``--publish``)."""
    return sum(
        MediationSite.objects.filter(identifier__in=chunk).set_published(True)
        for chunk in _chunks(identifiers)
    )
