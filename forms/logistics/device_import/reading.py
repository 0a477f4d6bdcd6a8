"""Reading a device file: CSV (encoding and delimiter detected) or XLSX (first sheet)."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from content import importexport
from content.importexport import ImportFileError
from content.standards import normalise_text
from forms.logistics.device_import.columns import KEY_COLUMNS, REQUIRED_COLUMNS


def check_headers(headers):
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    if not any(name in headers for name in KEY_COLUMNS):
        missing.append("inventory_code " + _("or") + " serial_number")
    if missing:
        raise ImportFileError(
            _("The first line must name the columns; missing column(s): %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    importexport.check_duplicate_headers(headers)


def decode(data):
    """UTF-8 (with or without BOM), else Windows-1252/Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def sniff_delimiter(header_line):
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class DeviceFile:
    """A file's headers and its rows, read lazily: ``rows()`` yields (line, cells)."""

    headers: list
    rows: object  # callable -> iterator of (line, cells)


def read_file(data):
    """bytes -> DeviceFile; raises ImportFileError when the file cannot be read."""
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This file is neither a CSV file nor an XLSX workbook."))
    text = decode(data)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)

    def reader():
        return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    try:
        headers = [normalise_text(h).lower() for h in next(reader())]
    except csv.Error as error:
        raise ImportFileError(
            _("This file is not valid CSV (line %(line)s): %(error)s") % {"line": 1, "error": error}
        ) from None
    check_headers(headers)

    def rows():
        csv_reader = reader()
        previous_line = 0
        try:
            for index, cells in enumerate(csv_reader):
                line = previous_line + 1
                previous_line = csv_reader.line_num
                if index == 0 or not any(cell.strip() for cell in cells):
                    continue
                yield line, cells
        except csv.Error as error:
            raise ImportFileError(
                _("This file is not valid CSV (line %(line)s): %(error)s")
                % {"line": csv_reader.line_num, "error": error}
            ) from None

    return DeviceFile(headers=headers, rows=rows)


def _read_xlsx(data):
    # openpyxl is large: loaded only when someone imports a spreadsheet.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook
        raise ImportFileError(_("This XLSX workbook cannot be read.")) from None
    sheet = workbook.worksheets[0]
    first = next(sheet.iter_rows(values_only=True), None)
    if not first:
        raise ImportFileError(_("The file is empty."))
    headers = [normalise_text(_cell(h)).lower() for h in first]
    while headers and not headers[-1]:
        headers.pop()
    check_headers(headers)

    def rows():
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if line == 1:
                continue
            cells = [_cell(v) for v in values]
            if any(cell.strip() for cell in cells):
                yield line, cells

    return DeviceFile(headers=headers, rows=rows)


def read_csv(data):
    """Backwards-compatible name of ``read_file``."""
    return read_file(data)


def from_dataset(dataset):
    headers = [normalise_text(h).lower() for h in dataset.headers or []]
    check_headers(headers)
    lines = getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)

    def rows():
        for line, cells in zip(lines, dataset, strict=False):
            yield line, [_cell(c) for c in cells]

    return DeviceFile(headers=headers, rows=rows)
