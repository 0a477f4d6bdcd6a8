"""Import and export of devices, as refurbishers write them (the export and the
cells' widgets are django-import-export's; the import runs its own row loop).

- One file in, read as it comes: UTF-8 with or without BOM, or Latin-1
  (Windows-1252); comma, semicolon or tab; or an XLSX workbook (first sheet).
- Rows are imported in batches of ``CHUNK_SIZE`` (lookups loaded once per batch,
  bulk writes), so memory does not grow with the file.
- All or nothing by default: if one row is rejected, nothing is saved and every
  rejected row is reported (line, column, value, French message). ``partial``
  saves the valid rows and reports the others.
- Idempotent: a row matches a device on its inventory (asset) code, or else on
  its serial number, or else on its refurbisher's own reference (with the
  refurbisher the row names, or the import's); a second run updates, never
  duplicates.
- The export writes the same columns, so that export then import gives back the
  same devices.

Campaign scoping (``forms.access``): an import made in the admin by someone who
is not a superuser (``user``) touches only what that person may see, and every
row that would reach further is rejected like any other invalid row (line,
column, value, French message), so the all-or-nothing rule and ``partial`` apply
to it unchanged:

- a row matching a device the user may not see (``access.can_see``) is rejected
  (“this device belongs to another campaign”); a serial number of such a device
  is reported without naming its inventory code;
- ``campaign`` must be the slug of one of the user's campaigns
  (``access.campaign_ids_of``); ``source_pledge``, ``batch`` and ``lot`` must
  be records the user sees; ``site`` one of ``access.scoped_sites``;
- a device must end up in one of the user's campaigns. When the row names no
  campaign, the campaign is the pledge's, else the batch's, as for everyone;
  failing those, a device already recorded keeps its campaign (a blank cell does
  not clear it: coordinators cannot leave a record without campaign), and a new
  device goes to the user's campaign if they coordinate exactly one, else the
  row is rejected asking for the campaign's slug;
- the loans opened for lent devices after the import are those of the devices
  the user sees.

What the user may see is read once per import (their campaign ids and the ids
of the sites they may choose: three queries at most, whatever the file's size),
then checked against the records each batch loads anyway: no query per row. The management command ``import_devices`` runs as the programme
(``user=None``): it is not scoped, any campaign, site or device may be named,
and a device may be left without campaign.

Refurbishers' own names: columns and values are read under the names their
tools and spreadsheets give them (``vocabulary``: the shared inventory API's
``numeroSerie``, ``statut`` = ``PRET_A_DISTRIBUER``…, French and English
headings), each alias applied reported in ``report.mappings``. A column left
over is in ``unknown_columns``; a person maps it (``mapping={"header": "column"
or ""}``, columns from ``MAPPABLE_FIELDS``) and the mapping is remembered per
refurbisher (``remember_mapping``, ``saved_mapping``). A value a refurbisher
cannot know (the borrower of a lent device, the site of a handed-over one) is
no reason to refuse a row: the device is imported, marked to complete
(``Device.to_complete``), and the row has a warning.

Modules: ``columns`` (the columns and batch sizes), ``vocabulary`` (aliases),
``mapping`` (remembered mappings), ``reading`` (files, streamed),
``widgets`` (cells), ``scope`` (campaign scoping), ``field_spec`` (which widget
reads which column), ``lookups`` (what a batch names, loaded once), ``rows`` (the
row path: matching, cells, checks), ``validation`` (the model's checks without a
``full_clean`` per row), ``writing`` (prepared INSERT/UPDATE runs, status logs by
INSERT … SELECT), ``resource`` (the export), ``report``, ``running``
(``import_devices``), ``after_import`` (status changes logged, loans). This
package re-exports the names its callers use.

Speed: 200,000 rows in about 20 s on two shared cores, memory flat (a batch at a
time): each distinct cell of a column is read once, a new device is made without
``Model.__init__``, each field is validated by a quick test before its ``clean``,
and each batch is written by one prepared statement run per kind of write.
"""

from content.importexport import ImportFileError
from forms.logistics.device_import.after_import import create_loans_for_lent_devices
from forms.logistics.device_import.columns import (
    CHUNK_SIZE,
    COLUMN_LABELS,
    COLUMN_OF_FIELD,
    COLUMNS,
    KEY_COLUMNS,
    MAPPABLE_FIELDS,
    REQUIRED_COLUMNS,
    STAGE_COLUMNS,
)
from forms.logistics.device_import.mapping import (
    clean_mapping,
    find_refurbisher,
    remember_mapping,
    saved_mapping,
)
from forms.logistics.device_import.reading import DeviceFile, check_headers, read_csv, read_file
from forms.logistics.device_import.report import DeviceImportReport
from forms.logistics.device_import.resource import DeviceResource, export_dataset
from forms.logistics.device_import.running import import_devices
from forms.logistics.device_import.scope import ImportScope
from forms.logistics.device_import.vocabulary import fold, resolve_headers
from forms.logistics.models.column_mapping import DeviceColumnMapping

__all__ = [
    "CHUNK_SIZE",
    "COLUMN_LABELS",
    "MAPPABLE_FIELDS",
    "DeviceColumnMapping",
    "clean_mapping",
    "find_refurbisher",
    "fold",
    "remember_mapping",
    "resolve_headers",
    "saved_mapping",
    "COLUMNS",
    "COLUMN_OF_FIELD",
    "KEY_COLUMNS",
    "REQUIRED_COLUMNS",
    "STAGE_COLUMNS",
    "DeviceFile",
    "DeviceImportReport",
    "DeviceResource",
    "ImportFileError",
    "ImportScope",
    "check_headers",
    "create_loans_for_lent_devices",
    "export_dataset",
    "import_devices",
    "read_csv",
    "read_file",
]
