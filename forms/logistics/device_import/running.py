"""Running a device import: batches of rows through the resource, all or nothing
unless partial, then the logs and loans that follow."""

import tablib
from django.db import transaction

from content.importexport import ImportFileError, RowReport
from content.standards import normalise_text
from forms.logistics.device_import.after_import import after_import
from forms.logistics.device_import.columns import (
    CHUNK_SIZE,
    COLUMNS,
    MAX_REPORTED_ERRORS,
    PREVIEW_ROWS,
)
from forms.logistics.device_import.reading import from_dataset
from forms.logistics.device_import.report import DeviceImportReport, row_errors
from forms.logistics.device_import.resource import DeviceResource
from forms.logistics.device_import.scope import ImportScope
from portal import page_cache


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
    device_file, dry_run=True, partial=False, by=None, chunk_size=CHUNK_SIZE, user=None
):
    """Import a DeviceFile (or a tablib Dataset) in batches, all or nothing unless ``partial``.

    ``by`` signs the status logs; ``user`` bounds the import to what they may see
    (see the module's docstring): None, as for the management command, imports
    as the programme."""
    if isinstance(device_file, tablib.Dataset):
        device_file = from_dataset(device_file)
    headers = device_file.headers
    known = set(COLUMNS)
    report = DeviceImportReport(
        unknown_columns=[h for h in headers if h and h not in known],
        partial=partial,
        dry_run=dry_run,
    )
    columns = [h if h in known else None for h in headers]
    used = [h for h in headers if h in known]
    width = len(headers)
    scope = ImportScope.of(user)
    resource = DeviceResource(scope=scope)
    accepted_shown = 0
    reported_errors = 0
    with transaction.atomic():
        try:
            for chunk in _chunks(device_file, chunk_size):
                dataset = tablib.Dataset(headers=used)
                for _line, cells in chunk:
                    cells = (list(cells) + [""] * width)[:width]
                    dataset.append(
                        [cell for cell, name in zip(cells, columns, strict=True) if name]
                    )
                result = resource.import_data(dataset, dry_run=False, use_transactions=False)
                report.base_errors += [str(error.error) for error in result.base_errors]
                for (line, _cells), row_result, values in zip(
                    chunk, result.rows, dataset.dict, strict=False
                ):
                    action = row_result.import_type
                    identifier = normalise_text(values.get("inventory_code")) or normalise_text(
                        values.get("serial_number")
                    )
                    name = " ".join(
                        part
                        for part in (
                            normalise_text(values.get("brand")),
                            normalise_text(values.get("model")),
                        )
                        if part
                    )
                    if action == "new":
                        report.created += 1
                    elif action == "update":
                        report.updated += 1
                    elif action in {"invalid", "error"}:
                        report.rejected += 1
                    if action in {"new", "update"} and accepted_shown < PREVIEW_ROWS:
                        accepted_shown += 1
                        report.rows.append(RowReport(line, action, identifier, name))
                    elif action in {"invalid", "error"} and reported_errors < MAX_REPORTED_ERRORS:
                        reported_errors += 1
                        report.rows.append(
                            RowReport(
                                line, action, identifier, name, row_errors(row_result, values)
                            )
                        )
        except ImportFileError as error:
            report.base_errors.append(str(error))
        if dry_run or report.blocked:
            transaction.set_rollback(True)
            return report
        report.loans_created = after_import(resource, by, user if scope is not None else None)
        report.applied = True
        page_cache.purge()  # rows are written in bulk, without signals: live figures change
    return report
