"""Import and export of devices (django-import-export), as refurbishers write them.

- One file in, read as it comes: UTF-8 with or without BOM, or Latin-1
  (Windows-1252); comma, semicolon or tab; or an XLSX workbook (first sheet).
- Rows are imported in batches of ``CHUNK_SIZE`` (lookups loaded once per batch,
  bulk writes), so memory does not grow with the file.
- All or nothing by default: if one row is rejected, nothing is saved and every
  rejected row is reported (line, column, value, French message). ``partial``
  saves the valid rows and reports the others.
- Idempotent: a row matches a device on its inventory (asset) code, or else on
  its serial number; a second run updates, never duplicates.
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
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

import tablib
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import fields, widgets

from content import importexport
from content.importexport import ImportFileError, RowReport
from content.models import CampaignPage, MediationSite, Organisation
from content.standards import normalise_text
from forms import access
from forms.engine.models.records import ReferenceCounter, StatusLog
from forms.enums import (
    BorrowerKind,
    DeviceGrade,
    DeviceStatus,
    DeviceType,
    ErasureResult,
    HardwareTestResult,
    InstalledSystem,
    LoanStatus,
)
from forms.kinds.pledge.models import DonorPledge
from forms.logistics.erasure import UnknownErasure, read_erasure
from forms.logistics.models.device import INVENTORY_PREFIX, STAGE_FIELDS, Device, DeviceBatch
from forms.logistics.models.loan import LOAN_PREFIX, Loan
from forms.logistics.models.lot import Lot
from portal import page_cache
from portal.bounds import DateWindowValidator
from portal.exports import FORMULA_PREFIXES, SafeExportResource

__all__ = ["ImportFileError", "read_file", "import_devices", "DeviceResource"]

CHUNK_SIZE = 1000
LOOKUP_CHUNK = 500
PREVIEW_ROWS = 500
MAX_REPORTED_ERRORS = 2000
STAGE_COLUMNS = list(STAGE_FIELDS.values())

# column -> (model attribute, widget factory name); the export writes them in this order.
COLUMNS = [
    "inventory_code",
    "serial_number",
    "type",
    "brand",
    "model",
    "cpu",
    "ram_gb",
    "storage_gb",
    "grade",
    "status",
    "hardware_test",
    "os",
    "os_version",
    "oem_licence",
    "campaign",
    "source_pledge",
    "batch",
    "refurbisher",
    "site",
    "lot",
    "borrower",
    "loan_return_date",
    "erasure_method",
    "erasure_tool",
    "erasure_passes",
    "erasure_verified",
    "erasure_date",
    "erasure_operator",
    "erasure_result",
    "notes",
    "received_at",
    *STAGE_COLUMNS,
]
REQUIRED_COLUMNS = ["type", "status"]
KEY_COLUMNS = ["inventory_code", "serial_number"]
COLUMN_OF_FIELD = {
    "inventory_code": "inventory_code",
    "serial_number": "serial_number",
    "device_type": "type",
    "brand": "brand",
    "model_name": "model",
    "cpu": "cpu",
    "ram_gb": "ram_gb",
    "storage_gb": "storage_gb",
    "grade": "grade",
    "status": "status",
    "hardware_test": "hardware_test",
    "installed_os": "os",
    "os_version": "os_version",
    "oem_licence": "oem_licence",
    "campaign": "campaign",
    "pledge": "source_pledge",
    "batch": "batch",
    "refurbisher": "refurbisher",
    "site": "site",
    "lot": "lot",
    "lent_to": "borrower",
    "loan_return_date": "loan_return_date",
    "erasure_method": "erasure_method",
    "erasure_tool": "erasure_tool",
    "erasure_passes": "erasure_passes",
    "erasure_verified": "erasure_verified",
    "erasure_date": "erasure_date",
    "erasure_operator": "erasure_operator",
    "erasure_result": "erasure_result",
    "notes": "notes",
    "created_at": "received_at",
    **{name: name for name in STAGE_COLUMNS},
}
COLUMN_OF_FIELD_REVERSE = {column: name for name, column in COLUMN_OF_FIELD.items()}
# Checked by Device.clean() whatever the file sets.
ALWAYS_CLEANED = {"installed_os", "oem_licence", "status", "lent_to", "pledge", "batch"}
TRUE = {"1", "oui", "yes", "true", "vrai", "o", "y", "x"}
FALSE = {"", "0", "non", "no", "false", "faux", "n"}
LINUX_HINTS = ("linux", "ubuntu", "mint", "debian", "fedora", "emmabuntus", "primtux", "zorin")


# Reading files --------------------------------------------------------------
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


# Widgets --------------------------------------------------------------------
class TextWidget(importexport.TextWidget):
    """Text; the apostrophe the export base puts before formula-like text is taken off."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if text[:1] == "'" and text[1:2] and text[1:2] in FORMULA_PREFIXES:
            return text[1:]
        return text


class CodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_text(value).upper()


class ChoiceWidget(widgets.Widget):
    """A value of the choices, or its label, case-insensitive."""

    def __init__(self, choices, required=False):
        super().__init__()
        self.choices = choices
        self.values = [value for value, _label in choices]
        self.required = required

    def lookup(self):
        """Values and labels, built once per widget and language (a widget lives for one import)."""
        language = get_language()
        if getattr(self, "_language", None) != language:
            found = {}
            for value, label in self.choices:
                found[str(value).lower()] = value
                found[str(label).lower()] = value
            self._lookup, self._language = found, language
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).lower()
        if not text:
            if self.required:
                raise ValueError(_("This column is required."))
            return ""
        found = self.lookup().get(text)
        if found is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(self.values)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value or ""


class ErasureWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        try:
            return str(read_erasure(value)[0])
        except UnknownErasure as error:
            raise ValueError(str(error)) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class SystemWidget(widgets.Widget):
    """windows / linux / other, or a system's name (“Linux Mint 22” is linux)."""

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).lower()
        if not text:
            return ""
        if text in InstalledSystem.values:
            return text
        if text.startswith("win"):
            return InstalledSystem.WINDOWS
        if any(hint in text for hint in LINUX_HINTS):
            return InstalledSystem.LINUX
        return InstalledSystem.OTHER

    def render(self, value, obj=None, **kwargs):
        return value or ""


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(_("“%(value)s” is not yes or no (oui/non, 1/0).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "oui" if value else "non"


class NumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).replace(" ", "")
        if not text:
            return None
        if text.endswith((".0", ",0")):
            text = text[:-2]
        if not text.isdigit():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DateWidget(widgets.Widget):
    def __init__(self, field_name=""):
        super().__init__()
        self.window = DateWindowValidator.for_field(field_name)  # portal.bounds

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value)
        if not text:
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                date = datetime.datetime.strptime(text[:10], fmt).date()
            except ValueError:
                continue
            try:
                self.window(date)  # e.g. an erasure in 2999 is a typing mistake
            except ValidationError as error:
                raise ValueError(error.messages[0]) from None
            return date
        raise ValueError(
            _("“%(value)s” is not a date in the form YYYY-MM-DD or DD/MM/YYYY.") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class DateTimeWidget(widgets.Widget):
    """A moment (ISO 8601, as exported) or a day."""

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value)
        if not text:
            return None
        moment = parse_datetime(text)
        if moment is None:
            day = DateWidget().clean(text)
            moment = datetime.datetime.combine(day, datetime.time(12))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class LookupWidget(widgets.Widget):
    """A foreign key read from a map the resource loads once per batch of rows;
    when the import is scoped, the record found must be one the user may name
    (``allowed(scope, obj)``, no query), else ``refused`` is the row's error."""

    def __init__(self, resource, attribute, message, key, allowed=None, refused=""):
        super().__init__()
        self.resource = resource
        self.attribute = attribute
        self.message = message
        self.key = key  # obj -> the text the export writes
        self.allowed = allowed
        self.refused = refused

    def clean(self, value, row=None, **kwargs):
        key = normalise_text(value)
        if not key:
            return None
        found = getattr(self.resource, self.attribute).get(key.upper())
        if found is None:
            raise ValueError(self.message % {"value": key})
        scope = self.resource.scope
        if scope is not None and self.allowed is not None and not self.allowed(scope, found):
            raise ValueError(self.refused % {"value": key})
        return found

    def render(self, value, obj=None, **kwargs):
        return self.key(value) if value is not None else ""


# Scoping ---------------------------------------------------------------------
def foreign_device():
    return _("This device belongs to a campaign other than yours.")


class ImportScope:
    """What a user who is not a superuser may touch in an import (forms.access),
    read once per import: their campaign ids and the ids of the sites they may
    choose. Records are then checked as loaded, without a query."""

    def __init__(self, user):
        self.user = user
        self.campaign_ids = access.campaign_ids_of(user)
        self.site_ids = frozenset(
            access.scoped_sites(user, MediationSite.objects.all()).values_list("pk", flat=True)
        )

    @classmethod
    def of(cls, user):
        """The scope of ``user``, or None for the programme (no user) and superusers."""
        if user is None or access.is_programme_wide(user):
            return None
        return cls(user)

    def sees(self, record):
        return access.can_see(self.user, record)

    def has_campaign(self, campaign):
        return campaign.pk in self.campaign_ids

    def has_site(self, site):
        return site.pk in self.site_ids

    @property
    def only_campaign_id(self):
        """The user's campaign if they coordinate exactly one, else None."""
        if len(self.campaign_ids) == 1:
            return next(iter(self.campaign_ids))
        return None


# Resource -------------------------------------------------------------------
class DeviceResource(SafeExportResource):
    def __init__(self, scope=None, **kwargs):
        super().__init__(**kwargs)
        self.reset()
        self.scope = scope  # ImportScope, or None: the programme, unbounded
        lookup = LookupWidget
        spec = {
            "inventory_code": ("inventory_code", CodeWidget()),
            "serial_number": ("serial_number", TextWidget()),
            "type": ("device_type", ChoiceWidget(DeviceType.choices, required=True)),
            "brand": ("brand", TextWidget()),
            "model": ("model_name", TextWidget()),
            "cpu": ("cpu", TextWidget()),
            "ram_gb": ("ram_gb", NumberWidget()),
            "storage_gb": ("storage_gb", NumberWidget()),
            "grade": ("grade", ChoiceWidget(DeviceGrade.choices)),
            "status": ("status", ChoiceWidget(DeviceStatus.choices, required=True)),
            "hardware_test": ("hardware_test", ChoiceWidget(HardwareTestResult.choices)),
            "os": ("installed_os", SystemWidget()),
            "os_version": ("os_version", TextWidget()),
            "oem_licence": ("oem_licence", YesNoWidget()),
            "campaign": (
                "campaign",
                lookup(
                    self,
                    "campaigns",
                    _("No campaign has the slug “%(value)s”."),
                    lambda o: o.slug,
                    ImportScope.has_campaign,
                    _("The campaign “%(value)s” is not one of yours."),
                ),
            ),
            "source_pledge": (
                "pledge",
                lookup(
                    self,
                    "pledges",
                    _("No pledge has the reference “%(value)s”."),
                    lambda o: o.reference,
                    ImportScope.sees,
                    _("The pledge “%(value)s” belongs to a campaign other than yours."),
                ),
            ),
            "batch": (
                "batch",
                lookup(
                    self,
                    "batches",
                    _("No batch has the reference “%(value)s”."),
                    lambda o: o.reference,
                    ImportScope.sees,
                    _("The batch “%(value)s” belongs to a campaign other than yours."),
                ),
            ),
            "refurbisher": (
                "refurbisher",
                lookup(
                    self,
                    "refurbishers",
                    _(
                        "No refurbisher of the refurbishing chain has the name or SIRET “%(value)s”."
                    ),
                    lambda o: o.siret or o.name,
                ),
            ),
            "site": (
                "site",
                lookup(
                    self,
                    "sites",
                    _("No mediation site has the id “%(value)s”."),
                    lambda o: o.identifier,
                    ImportScope.has_site,
                    _("The mediation site “%(value)s” serves none of your campaigns."),
                ),
            ),
            "lot": (
                "lot",
                lookup(
                    self,
                    "lots",
                    _("No lot has the reference “%(value)s”."),
                    lambda o: o.reference,
                    ImportScope.sees,
                    _("The lot “%(value)s” belongs to a campaign other than yours."),
                ),
            ),
            "borrower": ("lent_to", TextWidget()),
            "loan_return_date": ("loan_return_date", DateWidget("loan_return_date")),
            "erasure_method": ("erasure_method", ErasureWidget()),
            "erasure_tool": ("erasure_tool", TextWidget()),
            "erasure_passes": ("erasure_passes", NumberWidget()),
            "erasure_verified": ("erasure_verified", YesNoWidget()),
            "erasure_date": ("erasure_date", DateWidget("erasure_date")),
            "erasure_operator": ("erasure_operator", TextWidget()),
            "erasure_result": ("erasure_result", ChoiceWidget(ErasureResult.choices)),
            "notes": ("notes", TextWidget()),
        }
        for column, (attribute, widget) in spec.items():
            self.fields[column] = fields.Field(
                attribute=attribute, column_name=column, widget=widget
            )
        # A blank moment keeps what the device has (its stages are never undone).
        self.fields["received_at"] = fields.Field(
            attribute="created_at",
            column_name="received_at",
            widget=DateTimeWidget(),
            saves_null_values=False,
        )
        for column in STAGE_COLUMNS:
            self.fields[column] = fields.Field(
                attribute=column,
                column_name=column,
                widget=DateTimeWidget(),
                saves_null_values=False,
            )

    class Meta:
        model = Device
        fields = ()
        import_id_fields = []
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        force_init_instance = True
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    def reset(self):
        self.by_code = {}
        self.by_serial = {}
        self.campaigns = self.pledges = self.batches = self.refurbishers = {}
        self.sites = self.lots = {}
        self.foreign_ids = set()
        self.seen_codes = set()
        self.seen_serials = set()
        self.new_codes = []
        self.status_changed = []  # (device pk, from, to)
        self.spare_codes = []
        self.present_columns = None
        self.skip_clean = ()

    def get_import_fields(self):
        # Only the file's columns: a missing column leaves the device's value as it is.
        columns = self.present_columns if self.present_columns is not None else COLUMNS
        return [self.fields[column] for column in columns]

    def get_export_fields(self, selected_fields=None):
        return self.get_import_fields()

    def get_export_headers(self, selected_fields=None):
        return list(COLUMNS)

    def export(self, queryset=None, **kwargs):
        queryset = Device.objects.all() if queryset is None else queryset
        queryset = queryset.select_related(
            "campaign", "pledge", "batch", "refurbisher", "site", "lot"
        ).order_by("inventory_code")
        return super().export(queryset=queryset, **kwargs)

    # Lookups, once per batch of rows ---------------------------------------
    def before_import(self, dataset, **kwargs):
        headers = dataset.headers or []
        self.present_columns = [column for column in COLUMNS if column in headers]
        # Model fields the file does not set need no validation row after row.
        imported = {COLUMN_OF_FIELD_REVERSE[column] for column in self.present_columns}
        self.skip_clean = [
            f.name
            for f in Device._meta.concrete_fields
            if f.name not in imported and f.name not in ALWAYS_CLEANED
        ]

        def column(name, upper=True):
            if name not in headers:
                return []
            values = {normalise_text(v) for v in dataset[name] if normalise_text(v)}
            return sorted({v.upper() for v in values} if upper else values)

        codes = column("inventory_code")
        serials = column("serial_number", upper=False)
        self.by_code = {}
        self.by_serial = {}
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for device in Device.objects.filter(
                inventory_code__in=codes[start : start + LOOKUP_CHUNK]
            ):
                self.by_code[device.inventory_code.upper()] = device
        for start in range(0, len(serials), LOOKUP_CHUNK):
            for device in Device.objects.filter(
                serial_number__in=serials[start : start + LOOKUP_CHUNK]
            ):
                self.by_serial.setdefault(device.serial_number, device)
        # Devices of the file the user may not see, judged as found (the rows change them).
        self.foreign_ids = set()
        if self.scope is not None:
            for device in (*self.by_code.values(), *self.by_serial.values()):
                if not self.scope.sees(device):
                    self.foreign_ids.add(device.pk)
        self.campaigns = self._load(
            CampaignPage.objects.only("pk", "slug"),
            "slug",
            column("campaign", False),
            insensitive=True,
        )
        self.pledges = self._load(
            DonorPledge.objects.only("pk", "reference", "campaign_id"),
            "reference",
            column("source_pledge"),
        )
        self.batches = self._load(
            DeviceBatch.objects.only("pk", "reference", "campaign_id"), "reference", column("batch")
        )
        self.lots = self._load(
            # campaign and site: what access.can_see reads, without a query per row
            Lot.objects.only("pk", "reference", "campaign_id", "site_id"),
            "reference",
            column("lot"),
        )
        self.sites = self._load(
            MediationSite.objects.only("pk", "identifier"),
            "identifier",
            column("site", False),
            insensitive=True,
        )
        names = column("refurbisher", False)
        refurbishers = {}
        organisations = Organisation.objects.filter(is_refurbisher=True)
        for organisation in organisations.filter(name__in=names):
            refurbishers[organisation.name.upper()] = organisation
        digits = ["".join(ch for ch in n if ch.isdigit()) for n in names]
        for organisation in organisations.filter(siret__in=[d for d in digits if len(d) == 14]):
            refurbishers[organisation.siret] = organisation
        if len(refurbishers) < len(names):  # names written in another case
            for organisation in organisations.only("pk", "name", "siret"):
                refurbishers.setdefault(organisation.name.upper(), organisation)
        self.refurbishers = refurbishers

    @staticmethod
    def _load(queryset, field_name, keys, insensitive=False):
        found = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            chunk = keys[start : start + LOOKUP_CHUNK]
            lookup = f"{field_name}__in"
            if insensitive:
                # exact values first, then a case-insensitive pass for the others
                for obj in queryset.filter(**{lookup: chunk}):
                    found[getattr(obj, field_name).upper()] = obj
                rest = [key for key in chunk if key.upper() not in found]
                for key in rest[:50]:
                    obj = queryset.filter(**{f"{field_name}__iexact": key}).first()
                    if obj is not None:
                        found[key.upper()] = obj
                continue
            for obj in queryset.filter(**{lookup: chunk}):
                found[getattr(obj, field_name).upper()] = obj
        return found

    def get_or_init_instance(self, instance_loader, row):
        code = normalise_text(row.get("inventory_code")).upper()
        serial = normalise_text(row.get("serial_number"))
        instance = self.by_code.get(code) if code else None
        if instance is None and serial:
            instance = self.by_serial.get(serial)
            if instance is not None and code and instance.inventory_code.upper() != code:
                instance = None  # reported in import_instance
        if instance is not None:
            instance._previous_status = instance.status
            instance._previous_campaign_id = instance.campaign_id
            return instance, False
        return self.init_instance(row), True

    def import_instance(self, instance, row, **kwargs):
        code = normalise_text(row.get("inventory_code")).upper()
        serial = normalise_text(row.get("serial_number"))
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not code and not serial:
            errors.setdefault("inventory_code", []).append(
                _(
                    "Give an inventory code or a serial number: without either, a second import would duplicate the device."
                )
            )
        if code and code in self.seen_codes:
            errors.setdefault("inventory_code", []).append(
                _("The inventory code “%(code)s” appears more than once in the file.")
                % {"code": code}
            )
        if serial and serial in self.seen_serials:
            errors.setdefault("serial_number", []).append(
                _("The serial number “%(serial)s” appears more than once in the file.")
                % {"serial": serial}
            )
        other = self.by_serial.get(serial) if serial else None
        if code and other is not None and other.inventory_code.upper() != code:
            if other.pk in self.foreign_ids:
                errors.setdefault("serial_number", []).append(foreign_device())
            else:
                errors.setdefault("serial_number", []).append(
                    _("The serial number “%(serial)s” belongs to the device %(code)s.")
                    % {"serial": serial, "code": other.inventory_code}
                )
        if self.scope is not None:
            self.check_scope(instance, code, errors)
        self.seen_codes.add(code)
        self.seen_serials.add(serial)
        # The erasure wording as the tool writes it also tells passes and verification.
        wording = normalise_text(row.get("erasure_method"))
        if wording and "erasure_method" not in errors:
            _method, passes, verified = read_erasure(wording)
            if wording.lower() != str(instance.erasure_method) and not instance.erasure_tool:
                instance.erasure_tool = wording[:120]
            if passes is not None and not normalise_text(row.get("erasure_passes")):
                instance.erasure_passes = passes
            if verified is not None and not normalise_text(row.get("erasure_verified")):
                instance.erasure_verified = verified
        errors.pop("", None)
        errors = {key: value for key, value in errors.items() if value}
        if errors:
            raise ValidationError(errors)

    def check_scope(self, instance, code, errors):
        """A scoped import's own checks on the row's device (the columns naming a
        campaign, pledge, batch, site or lot are checked by their widgets)."""
        if instance.pk is not None and instance.pk in self.foreign_ids:
            column = "inventory_code" if code and code in self.by_code else "serial_number"
            errors.setdefault(column, []).append(foreign_device())
            return
        if errors.keys() & {"campaign", "pledge", "batch"}:
            return  # the campaign named, or the one to follow, is already reported
        campaign_id = instance.campaign_id
        if campaign_id is None and instance.pledge is not None:
            campaign_id = instance.pledge.campaign_id
        if campaign_id is None and instance.batch is not None:
            campaign_id = instance.batch.campaign_id
        if campaign_id is None:
            campaign_id = getattr(instance, "_previous_campaign_id", None)
        if campaign_id is None:
            campaign_id = self.scope.only_campaign_id
        if campaign_id is None:
            errors.setdefault("campaign", []).append(
                _("Give this device's campaign: the slug of one of the campaigns you coordinate.")
            )
        elif instance.campaign_id is None:
            instance.campaign_id = campaign_id

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Foreign keys come from the maps loaded once; uniqueness from matching
        # on the code: no query per row.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[
                    *errors.keys(),
                    *self.skip_clean,
                    "pledge",
                    "batch",
                    "site",
                    "lot",
                    "campaign",
                    "refurbisher",
                ],
                validate_unique=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def next_code(self):
        if not self.spare_codes:
            self.spare_codes = ReferenceCounter.next_references(INVENTORY_PREFIX, CHUNK_SIZE)[::-1]
        return self.spare_codes.pop()

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.inventory_code:
            instance.inventory_code = self.next_code()
        if instance.campaign_id is None and instance.pledge is not None:
            instance.campaign_id = instance.pledge.campaign_id
        if instance.campaign_id is None and instance.batch is not None:
            instance.campaign_id = instance.batch.campaign_id
        now = timezone.now()
        instance.mark_stages(instance.status, when=now)
        instance.updated_at = now
        if instance.pk is None:
            self.new_codes.append(instance.inventory_code)
        elif getattr(instance, "_previous_status", instance.status) != instance.status:
            self.status_changed.append((instance.pk, instance._previous_status, instance.status))

    def get_bulk_update_fields(self):
        # Only what the file sets (and what follows from it): bulk_update writes one
        # CASE per field, so every extra field costs on every batch.
        columns = self.present_columns if self.present_columns is not None else COLUMNS
        fields = {COLUMN_OF_FIELD_REVERSE[column] for column in columns} - {"inventory_code"}
        fields |= {*STAGE_COLUMNS, "campaign", "erasure_tool", "erasure_passes"}
        fields |= {"erasure_verified", "updated_at"}
        return sorted(fields)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """One prepared UPDATE run for every row (executemany): Django's bulk_update
        builds a CASE per field and row, which took minutes for 20,000 devices."""
        if not self.update_instances:
            return
        try:
            fields = [Device._meta.get_field(name) for name in self.get_bulk_update_fields()]
            quote = connection.ops.quote_name
            # Names come from the model (quoted), values are parameters.
            sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
                quote(Device._meta.db_table),
                ", ".join(f"{quote(f.column)} = %s" for f in fields),
                quote(Device._meta.pk.column),
            )
            params = [
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
                for obj in self.update_instances
            ]
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
        except Exception as error:  # noqa: BLE001 - reported like import-export does
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.update_instances.clear()


# Running an import ----------------------------------------------------------


@dataclass
class DeviceImportReport:
    unknown_columns: list
    partial: bool = False
    dry_run: bool = True
    created: int = 0
    updated: int = 0
    rejected: int = 0
    applied: bool = False  # whether anything was saved
    rows: list = field(default_factory=list)  # the first accepted rows, and every rejected one
    base_errors: list = field(default_factory=list)
    loans_created: int = 0
    mappings: list = field(default_factory=list)  # as content.importexport.ImportReport

    @property
    def rejected_rows(self):
        return [row for row in self.rows if row.action in {"invalid", "error"}]

    @property
    def warned_rows(self):
        return [row for row in self.rows if row.warnings and row.action in {"new", "update"}]

    @property
    def blocked(self):
        """All or nothing: rows were rejected, so nothing is (or would be) saved."""
        return bool(self.rejected or self.base_errors) and not self.partial


def _row_errors(row_result, values):
    errors = []
    if row_result.validation_error is not None:
        for field_name, messages in row_result.validation_error.message_dict.items():
            column = COLUMN_OF_FIELD.get(field_name, "" if field_name == "__all__" else field_name)
            value = normalise_text(values.get(column, "")) if column else ""
            errors.extend((column, value, message) for message in messages)
    for error in row_result.errors:
        errors.append(("", "", str(error.error)))
    return errors


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
        device_file = _from_dataset(device_file)
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
                                line, action, identifier, name, _row_errors(row_result, values)
                            )
                        )
        except ImportFileError as error:
            report.base_errors.append(str(error))
        if dry_run or report.blocked:
            transaction.set_rollback(True)
            return report
        report.loans_created = _after_import(resource, by, user if scope is not None else None)
        report.applied = True
        page_cache.purge()  # rows are written in bulk, without signals: live figures change
    return report


def _from_dataset(dataset):
    headers = [normalise_text(h).lower() for h in dataset.headers or []]
    check_headers(headers)
    lines = getattr(dataset, "line_numbers", None) or range(2, len(dataset) + 2)

    def rows():
        for line, cells in zip(lines, dataset, strict=False):
            yield line, [_cell(c) for c in cells]

    return DeviceFile(headers=headers, rows=rows)


def _after_import(resource, by, user=None):
    """Log every creation and status change; give each lent device its loan (those
    ``user`` sees, when given)."""
    content_type = ContentType.objects.get_for_model(Device)
    now = timezone.now()
    note = _("File import")
    for start in range(0, len(resource.new_codes), LOOKUP_CHUNK):
        created = Device.objects.filter(
            inventory_code__in=resource.new_codes[start : start + LOOKUP_CHUNK]
        ).values_list("pk", "status")
        StatusLog.objects.bulk_create(
            [
                StatusLog(
                    content_type=content_type,
                    object_id=pk,
                    from_status="",
                    to_status=status,
                    by=by,
                    at=now,
                    note=note,
                )
                for pk, status in created
            ]
        )
    StatusLog.objects.bulk_create(
        [
            StatusLog(
                content_type=content_type,
                object_id=pk,
                from_status=old,
                to_status=new,
                by=by,
                at=now,
                note=note,
            )
            for pk, old, new in resource.status_changed
        ],
        batch_size=1000,
    )
    return create_loans_for_lent_devices(by=by, user=user)


def create_loans_for_lent_devices(by=None, user=None):
    """An ongoing loan for every lent device that has none (imported as lent);
    with ``user``, only for the devices they see."""
    devices = Device.objects.all() if user is None else access.scope(user, Device.objects.all())
    lent = (
        devices.filter(status=DeviceStatus.LENT)
        .exclude(loans__status=LoanStatus.ONGOING)
        .values_list("pk", "lent_to", "lent_at", "loan_return_date", "campaign_id", "site_id")
    )
    lent = list(lent)
    if not lent:
        return 0
    references = iter(ReferenceCounter.next_references(LOAN_PREFIX, len(lent)))
    today = timezone.localdate()
    loans = [
        Loan(
            reference=next(references),
            device_id=pk,
            borrower_kind=BorrowerKind.ASSOCIATION,
            borrower_name=(lent_to or "")[:200],
            start_date=timezone.localdate(lent_at) if lent_at else today,
            due_date=due,
            campaign_id=campaign_id,
            site_id=site_id,
            notes=_("Created from a file import."),
        )
        for pk, lent_to, lent_at, due, campaign_id, site_id in lent
    ]
    Loan.objects.bulk_create(loans, batch_size=1000)
    content_type = ContentType.objects.get_for_model(Loan)
    created = Loan.objects.filter(reference__in=[loan.reference for loan in loans]).values_list(
        "pk", flat=True
    )
    StatusLog.objects.bulk_create(
        [
            StatusLog(
                content_type=content_type,
                object_id=pk,
                from_status="",
                to_status=LoanStatus.ONGOING,
                by=by,
                note=_("File import"),
            )
            for pk in created
        ],
        batch_size=1000,
    )
    return len(loans)


# Export ---------------------------------------------------------------------
def export_dataset(queryset=None):
    return DeviceResource().export(queryset=queryset)
