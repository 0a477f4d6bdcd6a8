"""Running a device import: batches of rows through the row path (``rows``), all
or nothing unless partial, then the status changes logged and the loans opened.

Memory stays flat whatever the file's size: rows are read as they come, one
batch (``CHUNK_SIZE`` rows) at a time; what the whole import keeps is the codes
and serial numbers seen (to refuse a duplicate) and the first rows of the report.
"""

import tablib
from django.db import DatabaseError, transaction

from content.importexport import ImportFileError
from content.standards import normalise_text
from forms.logistics.device_import.after_import import after_import
from forms.logistics.device_import.columns import (
    CHUNK_SIZE,
    MAX_REPORTED_ERRORS,
    PREVIEW_ROWS,
)
from forms.logistics.device_import.mapping import saved_mapping
from forms.logistics.device_import.reading import DeviceFile, from_dataset
from forms.logistics.device_import.report import DeviceImportReport, row_errors
from forms.logistics.device_import.rows import RowImporter
from forms.logistics.device_import.scope import ImportScope
from forms.logistics.device_import.vocabulary import value_sentence
from portal import page_cache
from portal.import_reports import RowReport

MAX_REPORTED_WARNINGS = 2000


def _chunks(device_file, size):
    chunk = []
    for line, cells in device_file.rows():
        chunk.append((line, cells))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def import_devices(
    device_file,
    dry_run=True,
    partial=False,
    by=None,
    chunk_size=CHUNK_SIZE,
    user=None,
    mapping=None,
    progress=None,
    refurbisher=None,
):
    """Import a DeviceFile (or a tablib Dataset) in batches, all or nothing unless ``partial``.

    ``by`` signs the status logs; ``user`` bounds the import to what they may see
    (see the package's docstring): None, as for the management command, imports
    as the programme. ``mapping`` ({header as written: column, or "" to ignore})
    reads the columns left over; ``refurbisher`` (an Organisation) brings its
    remembered mapping (``mapping`` overrides it) and is given to the devices of
    rows that name no refurbisher. ``progress(done_rows, total_rows_or_None)`` is
    called after each batch. Warnings never block."""
    if isinstance(device_file, tablib.Dataset):
        device_file = from_dataset(device_file)
    if refurbisher is not None or mapping is not None:
        combined = {**saved_mapping(refurbisher), **(mapping or {})}
        device_file.apply_mapping({**device_file.mapping, **combined})
    report = DeviceImportReport(
        unknown_columns=list(device_file.unknown_columns),
        partial=partial,
        dry_run=dry_run,
        mappings=list(device_file.mappings),
        headers=list(device_file.raw_headers),
        refurbisher=refurbisher,
    )
    try:
        device_file.check()
    except ImportFileError as error:
        report.base_errors.append(str(error))
        return report
    scope = ImportScope.of(user)
    importer = RowImporter(
        device_file.columns, scope=scope, refurbisher=refurbisher, by=by, write_logs=not dry_run
    )
    done = 0
    with transaction.atomic():
        try:
            for chunk in _chunks(device_file, chunk_size):
                _import_chunk(importer, device_file, chunk, report)
                done += len(chunk)
                if progress is not None:
                    progress(done, device_file.total_rows)
        except ImportFileError as error:
            report.base_errors.append(str(error))
        report.mappings += _value_sentences(importer)
        if progress is not None:
            progress(done, done)
        if dry_run or report.blocked:
            transaction.set_rollback(True)
            return report
        report.loans_created = after_import(importer, by, user if scope is not None else None)
        report.applied = True
        page_cache.purge()  # rows are written in bulk, without signals: live figures change
    return report


def _import_chunk(importer, device_file, chunk, report):
    width = len(device_file.columns)
    used = [(index, column) for index, column in enumerate(device_file.columns) if column]
    rows = []
    for line, cells in chunk:
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        rows.append((line, {column: cells[index] for index, column in used}))
    try:
        results = importer.import_batch([values for _line, values in rows])
    except DatabaseError as error:  # a batch the database refused: reported, nothing of it kept
        report.base_errors.append(str(error))
        return
    for (line, cells), (_line, values), result in zip(chunk, rows, results, strict=True):
        _report_row(report, line, cells, values, *result)


def _report_row(report, line, cells, values, action, errors, warnings, to_complete):
    identifier = normalise_text(values.get("inventory_code")) or normalise_text(
        values.get("serial_number")
    )
    name = " ".join(
        part
        for part in (normalise_text(values.get("brand")), normalise_text(values.get("model")))
        if part
    )
    if action in {"new", "update"}:
        if action == "new":
            report.created += 1
        else:
            report.updated += 1
        if warnings:
            report.warned += 1
        if to_complete:
            report.to_complete += 1
        shown = len(report.rows) - len(report.rows_to_fix)
        if (warnings and report.warned <= MAX_REPORTED_WARNINGS) or shown < PREVIEW_ROWS:
            report.rows.append(RowReport(line, action, identifier, name, warnings=list(warnings)))
    else:
        report.rejected += 1
        if len(report.rows_to_fix) < MAX_REPORTED_ERRORS:
            report.rows_to_fix.append((line, list(cells)))
            report.rows.append(
                RowReport(line, action, identifier, name, row_errors(errors, values))
            )


def _value_sentences(importer):
    """The refurbisher's wordings read as the portal's values (« SAV » (statut) lu comme…)."""
    sentences = []
    for column in ("status", "type"):
        widget = importer.fields[column].widget
        labels = dict(widget.choices)
        for written, value in widget.used.items():
            sentences.append(value_sentence(column, written, value, labels.get(value, value)))
    return sentences


__all__ = ["DeviceFile", "import_devices"]
