"""Running a device import: batches of rows through the resource, all or nothing
unless partial, then the logs and loans that follow.

Memory stays flat whatever the file's size: rows are read as they come, one
batch (``CHUNK_SIZE`` rows) at a time; what the whole import keeps is the codes
and serial numbers seen (to refuse a duplicate) and the first rows of the report.
"""

import tablib
from django.db import transaction

from content.importexport import ImportFileError, RowReport
from content.standards import normalise_text
from forms.logistics.device_import.after_import import after_import
from forms.logistics.device_import.columns import (
    CHUNK_SIZE,
    LINE,
    MAX_REPORTED_ERRORS,
    PREVIEW_ROWS,
)
from forms.logistics.device_import.mapping import saved_mapping
from forms.logistics.device_import.reading import DeviceFile, from_dataset
from forms.logistics.device_import.report import DeviceImportReport, row_errors
from forms.logistics.device_import.resource import DeviceResource
from forms.logistics.device_import.scope import ImportScope
from forms.logistics.device_import.vocabulary import value_sentence
from portal import page_cache

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
    resource = DeviceResource(scope=scope)
    resource.default_refurbisher = refurbisher
    done = 0
    with transaction.atomic():
        try:
            for chunk in _chunks(device_file, chunk_size):
                _import_chunk(resource, device_file, chunk, report)
                done += len(chunk)
                if progress is not None:
                    progress(done, device_file.total_rows)
        except ImportFileError as error:
            report.base_errors.append(str(error))
        report.mappings += _value_sentences(resource)
        if progress is not None:
            progress(done, done)
        if dry_run or report.blocked:
            transaction.set_rollback(True)
            return report
        report.loans_created = after_import(resource, by, user if scope is not None else None)
        report.applied = True
        page_cache.purge()  # rows are written in bulk, without signals: live figures change
    return report


def _import_chunk(resource, device_file, chunk, report):
    columns = device_file.columns
    used = [column for column in columns if column]
    width = len(columns)
    dataset = tablib.Dataset(headers=[*used, LINE])
    for line, cells in chunk:
        cells = (list(cells) + [""] * width)[:width]
        dataset.append([cell for cell, name in zip(cells, columns, strict=True) if name] + [line])
    resource.row_warnings = {}
    resource.to_complete_lines = set()
    result = resource.import_data(dataset, dry_run=False, use_transactions=False)
    report.base_errors += [str(error.error) for error in result.base_errors]
    for (line, cells), row_result, values in zip(chunk, result.rows, dataset.dict, strict=False):
        warnings = resource.row_warnings.get(line, [])
        _report_row(report, line, cells, row_result, values, warnings, resource.to_complete_lines)


def _report_row(report, line, cells, row_result, values, warnings, to_complete):
    action = row_result.import_type
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
        if line in to_complete:
            report.to_complete += 1
        shown = len(report.rows) - len(report.rows_to_fix)
        if (warnings and report.warned <= MAX_REPORTED_WARNINGS) or shown < PREVIEW_ROWS:
            report.rows.append(RowReport(line, action, identifier, name, warnings=list(warnings)))
    elif action in {"invalid", "error"}:
        report.rejected += 1
        if len(report.rows_to_fix) < MAX_REPORTED_ERRORS:
            report.rows_to_fix.append((line, list(cells)))
            report.rows.append(
                RowReport(line, action, identifier, name, row_errors(row_result, values))
            )


def _value_sentences(resource):
    """The refurbisher's wordings read as the portal's values (« SAV » (statut) lu comme…)."""
    sentences = []
    for column in ("status", "type"):
        widget = resource.fields[column].widget
        labels = dict(widget.choices)
        for written, value in widget.used.items():
            sentences.append(value_sentence(column, written, value, labels.get(value, value)))
    return sentences


__all__ = ["DeviceFile", "import_devices"]
