"""The mediation sites' admin import, run as a background job (portal.import_jobs)."""

from content import importexport
from content.models import MediationSite
from content.site_scope import scoped_for
from portal.enums import ImportKind, ImportPhase
from portal.import_jobs import register_import_runner


def run(job, data, progress):
    """Check (preview phase) or import the stored file; ``publish`` shows the imported
    sites on the public map at once."""
    try:
        dataset = importexport.read_csv(data)
    except importexport.ImportFileError as error:  # beyond the header line the upload read
        return importexport.ImportReport(rows=[], unknown_columns=[], base_errors=[str(error)])
    progress(0, len(dataset))
    dry_run = job.phase == ImportPhase.PREVIEW
    publish = bool(job.options.get("publish")) and not dry_run
    # A person changes only the registry sites they may see (their programmes' territory).
    editable = scoped_for(job.user, MediationSite.objects.all())
    report = importexport.import_sites(
        dataset, dry_run=dry_run, publish=publish, progress=progress, editable=editable
    )
    report.published = publish and bool(report.created or report.updated)
    return report


def delimiter_of(data, dataset):
    """The delimiter read_csv chose (its rule: more `;` than `,` on the first line)."""
    if getattr(dataset, "delimiter", None):
        return dataset.delimiter
    header = importexport.decode(data).replace("\r", "\n").split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_rows(data):
    dataset = importexport.read_csv(data)
    rows = zip(dataset.line_numbers, dataset, strict=True)
    return list(dataset.headers), rows, delimiter_of(data, dataset)


def register():
    register_import_runner(ImportKind.SITES, run, read_rows)
