"""Reading a device file as it comes, in constant memory: CSV (encoding and
delimiter detected on the first chunk) or XLSX (first sheet, openpyxl's
read-only mode), from bytes, a binary file object or a path.

A ``DeviceFile`` knows its headers as written, the column each is read as
(``vocabulary.resolve_headers``: the person's mapping, the column names, the
aliases), the headers left unknown, the required columns missing, and an
estimate of its number of rows; ``rows()`` yields ``(line, cells)`` and reads
the file again at each call (a non-seekable stream: once).
"""

import codecs
import csv
import datetime
import io
import os
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from content import importexport
from content.importexport import ImportFileError
from content.standards import normalise_text
from forms.logistics.device_import.columns import KEY_COLUMNS, REQUIRED_COLUMNS
from forms.logistics.device_import.vocabulary import resolve_headers

CHUNK_BYTES = 1 << 16
ZIP_MAGIC = b"PK\x03\x04"
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "cp1252": "Windows-1252",
    "utf-16": "UTF-16",
}


def missing_columns(columns):
    """The required columns none of ``columns`` gives."""
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if not any(name in columns for name in KEY_COLUMNS):
        missing.append("inventory_code " + _("or") + " serial_number")
    return missing


def check_headers(headers):
    missing = missing_columns(headers)
    if missing:
        raise ImportFileError(
            _("The first line must name the columns; missing column(s): %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    importexport.check_duplicate_headers(headers)


decode = importexport.decode  # UTF-8 (with or without BOM), else Windows-1252/Latin-1


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

    raw_headers: list
    rows: object  # callable -> iterator of (line, cells)
    total_rows: int | None = None  # an estimate (at least the rows there are), or None
    columns: list = field(default_factory=list)  # per header: its column, or None
    mappings: list = field(default_factory=list)  # French sentences, one per alias applied
    unknown_columns: list = field(default_factory=list)  # headers as written, left unknown
    mapping: dict = field(default_factory=dict)  # the person's {header: column or ""}

    def __post_init__(self):
        if not self.columns:
            self.apply_mapping(self.mapping)

    def apply_mapping(self, mapping=None):
        """Read the headers again with the person's ``{header: column or ""}``."""
        self.mapping = dict(mapping or {})
        self.columns, self.mappings, self.unknown_columns = resolve_headers(
            self.raw_headers, self.mapping
        )
        return self

    @property
    def headers(self):
        """The column each header is read as ("" when unknown)."""
        return [column or "" for column in self.columns]

    @property
    def missing_columns(self):
        return missing_columns(self.columns)

    def check(self):
        """Raise ImportFileError when a required column is missing, naming the headers
        that could be mapped to it."""
        importexport.check_duplicate_headers([normalise_text(h).lower() for h in self.raw_headers])
        missing = self.missing_columns
        if not missing:
            return self
        message = _("The first line must name the columns; missing column(s): %(columns)s.") % {
            "columns": ", ".join(missing)
        }
        if self.unknown_columns:
            message += " " + _(
                "Unknown columns that may be mapped to them: %(headers)s "
                "(command: --map “column=field”)."
            ) % {"headers": ", ".join(f"« {h} »" for h in self.unknown_columns)}
        raise ImportFileError(message)


def read_file(source, mapping=None, check=True):
    """bytes, a binary file object or a path -> DeviceFile; raises ImportFileError when the
    file cannot be read, or (``check``) lacks a required column after ``mapping``."""
    opener = _opener(source)
    with opener() as handle:
        head = handle.read(CHUNK_BYTES)
    if not head.strip():
        raise ImportFileError(_("The file is empty."))
    if head[:4] == ZIP_MAGIC:
        device_file = _read_xlsx(opener, mapping)
    else:
        device_file = _read_csv(opener, head, mapping)
    return device_file.check() if check else device_file


def read_csv(data):
    """Backwards-compatible name of ``read_file``."""
    return read_file(data)


class _Reopen:
    """A context manager giving the source from its start (a caller's file stays open)."""

    def __init__(self, handle, close):
        self.handle, self.close = handle, close

    def __enter__(self):
        if self.handle.seekable():
            self.handle.seek(0)
        return self.handle

    def __exit__(self, *exc):
        if self.close:
            self.handle.close()


def _opener(source):
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return lambda: _Reopen(io.BytesIO(data), close=True)
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        return lambda: _Reopen(open(path, "rb"), close=True)  # noqa: SIM115 - closed on exit
    if hasattr(source, "read"):
        return lambda: _Reopen(source, close=False)
    raise TypeError("read_file() takes bytes, a binary file object or a path")


def _count_lines(opener):
    """The number of line ends (a cheap estimate of the rows), or None if not seekable."""
    with opener() as handle:
        if not handle.seekable():
            return None
        count = 0
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
        return count


# CSV ------------------------------------------------------------------------
def _encoding(head):
    """The encoding of a file from its first chunk: a BOM, else UTF-8 if it reads,
    else Windows-1252 (Latin-1 when a byte is undefined there); None while all ASCII."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.isascii():
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            head.decode("cp1252")
        except UnicodeDecodeError:
            return "latin-1"
        return "cp1252"
    return "utf-8"


def _text_lines(handle, encoding):
    """Lines of text (line ends kept), decoded chunk by chunk. Until a byte outside
    ASCII shows which encoding the file has, it is read as ASCII; a byte the chosen
    encoding cannot read stops the import with the line where it is."""
    decoder = codecs.getincrementaldecoder(encoding)() if encoding else None
    name = encoding
    rest = ""
    line = 1
    while True:
        chunk = handle.read(CHUNK_BYTES)
        if decoder is None and chunk and not chunk.isascii():
            name = _encoding(chunk) or "utf-8"
            decoder = codecs.getincrementaldecoder(name)()
        try:
            text = decoder.decode(chunk, final=not chunk) if decoder else chunk.decode("ascii")
        except UnicodeDecodeError:
            raise ImportFileError(
                _(
                    "This file changes encoding near line %(line)s: it cannot be read as %(encoding)s "
                    "from there. Nothing was imported. Save the whole file again as “CSV UTF-8” "
                    "and import it again."
                )
                % {
                    "line": line + rest.count("\n"),
                    "encoding": ENCODING_NAMES.get(name, name or "ASCII"),
                }
            ) from None
        text = rest + text
        if not chunk:
            if text:
                yield text
            return
        # split on \n, \r or \r\n only, as csv does (never on U+0085 or U+2028 in a cell)
        lines = io.StringIO(text, newline="").readlines()
        # the last line may be cut (and a \r may wait for its \n): kept for the next chunk
        rest = lines.pop() if lines else ""
        for piece in lines:
            line += 1
            yield piece


def _read_csv(opener, head, mapping):
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(_("This file is neither a CSV file nor an XLSX workbook."))
    encoding = _encoding(head)
    first_line = head.decode(encoding or "ascii", errors="replace").lstrip("\ufeff")
    first_line = first_line.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)

    def records():
        with opener() as handle:
            reader = csv.reader(_text_lines(handle, encoding), delimiter=delimiter, strict=True)
            previous_line = 0
            try:
                for cells in reader:
                    yield previous_line + 1, cells
                    previous_line = reader.line_num
            except csv.Error as error:
                raise ImportFileError(
                    _("This file is not valid CSV (line %(line)s): %(error)s")
                    % {"line": reader.line_num, "error": error}
                ) from None

    first = next(records(), None)
    if first is None:
        raise ImportFileError(_("The file is empty."))
    headers = [normalise_text(h).lstrip("\ufeff") for h in first[1]]

    def rows():
        for line, cells in records():
            if line == 1 or not any(cell.strip() for cell in cells):
                continue
            yield line, cells

    lines = _count_lines(opener)
    return DeviceFile(
        raw_headers=headers,
        rows=rows,
        total_rows=max(0, lines - 1) + 1 if lines is not None else None,
        mapping=mapping or {},
    )


# XLSX -----------------------------------------------------------------------
def _read_xlsx(opener, mapping):
    # openpyxl is large: loaded only when someone imports a spreadsheet.
    from openpyxl import load_workbook

    def sheet_rows():
        with opener() as handle:
            try:
                workbook = load_workbook(handle, read_only=True, data_only=True)
                sheet = workbook.worksheets[0]
            except Exception:  # noqa: BLE001 - any unreadable workbook
                raise ImportFileError(_("This XLSX workbook cannot be read.")) from None
            try:
                yield sheet.max_row
                yield from sheet.iter_rows(values_only=True)
            finally:
                workbook.close()

    reading = sheet_rows()
    total = next(reading)
    first = next(reading, None)
    reading.close()
    if not first or not any(v not in (None, "") for v in first):
        raise ImportFileError(_("The file is empty."))
    headers = [normalise_text(_cell(h)) for h in first]
    while headers and not headers[-1]:
        headers.pop()

    def rows():
        reading = sheet_rows()
        next(reading)  # the size
        for line, values in enumerate(reading, start=1):
            if line == 1:
                continue
            cells = [_cell(v) for v in values]
            if any(cell.strip() for cell in cells):
                yield line, cells

    return DeviceFile(
        raw_headers=headers,
        rows=rows,
        total_rows=(total - 1) if total else None,
        mapping=mapping or {},
    )


def from_dataset(dataset, mapping=None):
    """A tablib Dataset (tests, older callers) -> DeviceFile."""
    headers = [normalise_text(h) for h in dataset.headers or []]
    lines = getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)

    def rows():
        for line, cells in zip(lines, dataset, strict=False):
            yield line, [_cell(c) for c in cells]

    device_file = DeviceFile(raw_headers=headers, rows=rows, total_rows=len(dataset))
    return device_file.apply_mapping(mapping).check()
