"""The row path of a device import: each row matched to a device (or a new one),
its cells read by the widgets, checked across columns and by the model, then
written with its batch.

Plain code rather than django-import-export's ``Resource.import_row`` machinery
(diffs, one ``Field`` call chain and one ``full_clean`` per row, instances made
through ``Model.__init__``): the same widgets read the same cells and the same
messages come out, at a fraction of the cost per row, which is what lets a
refurbisher's inventory of 200,000 machines be imported in one go.

For each row, as django-import-export did: a cell that starts like a spreadsheet
formula refuses the row; otherwise each column's widget reads its cell (a
``ValueError`` is the row's error on that field, or a warning for a describing
column, ``SOFT_COLUMNS``); then the checks across columns (code or serial number,
duplicates in the file, a serial number of another device, campaign scoping), then
the model's own validation (``validation.ModelChecks``, as ``full_clean``).
Errors are {model field: [messages]}, in the order ``full_clean`` gave them.
"""

from django.db import transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.standards import normalise_text
from forms.engine.models.records import ReferenceCounter
from forms.logistics.device_import.columns import (
    ALWAYS_CLEANED,
    CHUNK_SIZE,
    COLUMN_LABELS,
    COLUMN_OF_FIELD,
    COLUMN_OF_FIELD_REVERSE,
    COLUMNS,
    SOFT_COLUMNS,
    STAGE_COLUMNS,
)
from forms.logistics.device_import.field_spec import add_fields
from forms.logistics.device_import.lookups import BatchLookups
from forms.logistics.device_import.scope import foreign_device
from forms.logistics.device_import.validation import ModelChecks
from forms.logistics.device_import.writing import DeviceWriter, log_changes, log_creations
from forms.logistics.erasure import read_erasure
from forms.logistics.models.device import INVENTORY_PREFIX, Device
from portal.exports import PLAIN_NUMBER

FORMULA_SIGNS = "=+-@"
MAX_REMEMBERED_CELLS = 5000  # per column: a refurbisher's file repeats its wordings
# Foreign keys come from the maps loaded once per batch: not validated row by row.
LOOKED_UP = {"pledge", "batch", "site", "lot", "campaign", "refurbisher"}


def formula_cells(row):
    """{field: [message]} for each cell that starts like a spreadsheet formula (=, @, or
    + and - not before a number): such a cell is neither imported nor calculated."""
    errors = {}
    for column, value in row.items():
        if not value:
            continue
        first = value.lstrip()[:1]
        if first.isalnum():  # the common case, decided without normalising the cell
            continue
        text = normalise_text(value)
        if not text or text[0] not in FORMULA_SIGNS:
            continue
        if text[0] in "+-" and (PLAIN_NUMBER.fullmatch(text) or text[1:2] in {"", " "}):
            continue
        errors.setdefault(COLUMN_OF_FIELD_REVERSE.get(column, column), []).append(
            _(
                "This cell starts with “%(sign)s” like a spreadsheet formula: it is neither "
                "imported nor calculated. Remove the sign, or put an apostrophe before it."
            )
            % {"sign": text[0]}
        )
    return errors


TO_COMPLETE_LABELS = {"borrower": gettext_lazy("Borrower"), "site": gettext_lazy("Mediation site")}


def to_complete_message(column):
    return _(
        "%(label)s to complete: the device is imported and listed under “To complete” "
        "for the site to fill it in."
    ) % {"label": str(TO_COMPLETE_LABELS.get(column) or COLUMN_LABELS.get(column, column))}


def update_fields(present_columns):
    """The fields an update writes: what the file sets, and what follows from it."""
    fields = {COLUMN_OF_FIELD_REVERSE[column] for column in present_columns} - {"inventory_code"}
    fields |= {*STAGE_COLUMNS, "campaign", "erasure_tool", "erasure_passes"}
    fields |= {"erasure_verified", "updated_at", "to_complete", "refurbisher"}
    return sorted(fields)


class RowImporter(BatchLookups):
    """One import's rows, batch after batch (``import_batch``), for a file whose
    columns are ``columns``. ``scope``: an ImportScope, or None for the programme;
    ``refurbisher``: given to the devices of rows naming none."""

    def __init__(self, columns, scope=None, refurbisher=None, by=None, write_logs=True):
        self.reset()
        self.scope = scope
        self.default_refurbisher = refurbisher
        self.by = by
        self.write_logs = write_logs
        self.note = _("File import")
        self.now = timezone.now()  # the moment of the batch being imported
        self.status_changed = []  # (device pk, from, to), logged after the import
        self.spare_codes = []
        self.matched_ids = set()  # the devices rows of the file have matched
        self.to_complete_messages = {}  # column -> message, in the import's language
        self.fields = {}
        add_fields(self)  # the widgets, whose lookups read this object's maps
        self.present_columns = [column for column in COLUMNS if column in set(columns)]
        self.readers = [
            (
                column,
                self.fields[column].attribute,
                self.fields[column].widget.clean,
                self.fields[column].saves_null_values,
                column in SOFT_COLUMNS,
                # cells a widget reads the same whatever the row: read once per import
                {} if getattr(self.fields[column].widget, "pure", False) else None,
            )
            for column in self.present_columns
        ]
        # Model fields the file does not set need no validation row after row.
        imported = {COLUMN_OF_FIELD_REVERSE[column] for column in self.present_columns}
        self.checks = ModelChecks(
            Device,
            {
                f.name
                for f in Device._meta.concrete_fields
                if (f.name in imported or f.name in ALWAYS_CLEANED) and f.name not in LOOKED_UP
            },
        )
        self.writer = DeviceWriter(update_fields(self.present_columns))
        self.defaults = {
            f.attname: f.get_default()
            for f in Device._meta.concrete_fields
            if f.attname not in {"created_at", "to_complete"}
        }

    # A batch ----------------------------------------------------------------

    def import_batch(self, rows):
        """``rows``: [{column: cell}] -> [(action, errors, warnings, to_complete)]
        per row, action being "new", "update" or "invalid" (or "error" with errors
        {"": [message]}); the batch's valid rows are written."""
        self.load_batch(rows)
        self.now = timezone.now()
        self.created, self.updated, self.batch_changes = [], [], []
        results = []
        for row in rows:
            self.warnings = []
            self.complete = False
            try:
                action, errors = self.import_row(row)
            except Exception as error:  # noqa: BLE001 - reported on the row, as import-export did
                action, errors = "error", {"": [str(error)]}
            results.append((action, errors, self.warnings, self.complete))
        with transaction.atomic():  # a batch the database refuses leaves the others as they are
            self.write()
        return results

    def write(self):
        self.writer.insert(self.created)
        self.writer.update(self.updated)
        if self.write_logs and self.created:
            codes = [device.inventory_code for device in self.created]
            log_creations(Device, "inventory_code", codes, self.by, self.now, self.note)
        self.status_changed += self.batch_changes  # logged once the import is kept
        self.created, self.updated, self.batch_changes = [], [], []

    def log_changes(self):
        log_changes(self.status_changed, self.by, self.now, self.note)

    # A row ------------------------------------------------------------------

    def new_device(self):
        """A new Device without ``Model.__init__`` (defaults copied, no signal is
        connected to a device's creation): the instance django-import-export made."""
        device = Device.__new__(Device)
        device._state = ModelState()
        device.__dict__.update(self.defaults)
        device.created_at = self.now
        device.to_complete = []
        return device

    def match(self, code, serial, row):
        """The device a row is about: the one with its inventory code, else its serial
        number, else (neither found) its refurbisher's reference, with the refurbisher
        the row names or the import's; None for a new device."""
        instance = self.by_code.get(code) if code else None
        if instance is None and serial:
            instance = self.by_serial.get(serial)
            if instance is not None and code and instance.inventory_code.upper() != code:
                instance = None  # reported in check_row
        if instance is None and self.by_reference and not (serial and serial in self.by_serial):
            instance = self.by_reference.get(self.reference_key(row))
            if instance is not None and (
                (code and instance.inventory_code.upper() != code)
                or instance.pk in self.matched_ids
            ):
                instance = None  # reported in check_row
        return instance

    def reference_key(self, row):
        """(refurbisher pk, the refurbisher's reference) of a row, or None."""
        reference = normalise_text(row.get("refurbisher_reference"))
        if not reference:
            return None
        name = normalise_text(row.get("refurbisher"))
        refurbisher = self.refurbishers.get(name.upper()) if name else self.default_refurbisher
        return (refurbisher.pk, reference) if refurbisher is not None else None

    def import_row(self, row):
        code = normalise_text(row.get("inventory_code")).upper()
        serial = normalise_text(row.get("serial_number"))
        instance = self.match(code, serial, row)
        new = instance is None
        if new:
            instance = self.new_device()
        else:
            self.matched_ids.add(instance.pk)
            instance._previous_code = instance.inventory_code
            instance._previous_status = instance.status
            instance._previous_campaign_id = instance.campaign_id
        errors = formula_cells(row)
        if errors:  # never read, never stored: the row is refused as it is
            self.seen_codes.add(code)
            self.seen_serials.add(serial)
        else:
            errors = self.read_cells(instance, row)
            self.check_row(instance, row, code, serial, errors)
        self.checks.validate(instance, errors)
        if errors:
            return "invalid", errors
        self.before_save(instance, new)
        return ("new", errors) if new else ("update", errors)

    def read_cells(self, instance, row):
        errors = {}
        for column, attribute, clean, saves_null, soft, memo in self.readers:
            value = row[column]
            cleaned = memo.get(value, memo) if memo is not None else memo
            if cleaned is memo:
                try:
                    cleaned = clean(value, row=row)
                except ValueError as error:
                    if soft:
                        self.warnings.append(
                            (
                                column,
                                normalise_text(value),
                                _("%(reason)s The value was not imported.") % {"reason": error},
                            )
                        )
                    else:
                        errors[attribute] = [str(error)]
                    continue
                if memo is not None:
                    if len(memo) >= MAX_REMEMBERED_CELLS:
                        memo.clear()
                    memo[value] = cleaned
            if cleaned is not None or saves_null:
                setattr(instance, attribute, cleaned)
        return errors

    def check_row(self, instance, row, code, serial, errors):
        if instance.refurbisher_id is None and self.default_refurbisher is not None:
            instance.refurbisher = self.default_refurbisher
        self.mark_to_complete(instance)
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
        if self.by_reference and not (code in self.by_code or serial in self.by_serial):
            self.check_reference(instance, row, code, errors)
        if self.scope is not None:
            self.check_scope(instance, code, serial, errors)
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
        for key in [key for key, messages in errors.items() if not messages]:
            del errors[key]

    def check_reference(self, instance, row, code, errors):
        """A row found by neither code nor serial number whose refurbisher's reference
        is another device's, or a device another row of the file already matched."""
        other = self.by_reference.get(self.reference_key(row))
        if other is None or other is instance:
            return
        reference = normalise_text(row.get("refurbisher_reference"))
        if other.pk in self.foreign_ids:
            message = foreign_device()
        elif code and other.inventory_code.upper() != code:
            message = _(
                "The refurbisher's reference “%(reference)s” belongs to the device %(code)s."
            ) % {"reference": reference, "code": other.inventory_code}
        else:
            message = _(
                "The refurbisher's reference “%(reference)s” appears more than once in the file."
            ) % {"reference": reference}
        errors.setdefault("refurbisher_reference", []).append(message)

    def mark_to_complete(self, instance):
        """What the status calls for and the file leaves blank (the borrower of a lent
        device…) is marked to complete, with a warning, instead of refusing the row."""
        missing = instance.missing_details()
        instance.to_complete = missing
        if missing:
            self.complete = True
        for name in missing:
            column = COLUMN_OF_FIELD.get(name, name)
            message = self.to_complete_messages.get(column)
            if message is None:
                message = self.to_complete_messages[column] = to_complete_message(column)
            self.warnings.append((column, "", message))

    def check_scope(self, instance, code, serial, errors):
        """A scoped import's own checks on the row's device (the columns naming a
        campaign, pledge, batch, site or lot are checked by their widgets)."""
        if instance.pk is not None and instance.pk in self.foreign_ids:
            if code and code in self.by_code:
                column = "inventory_code"
            elif serial and serial in self.by_serial:
                column = "serial_number"
            else:
                column = "refurbisher_reference"
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

    def next_code(self):
        if not self.spare_codes:
            self.spare_codes = ReferenceCounter.next_references(INVENTORY_PREFIX, CHUNK_SIZE)[::-1]
        return self.spare_codes.pop()

    def before_save(self, instance, new):
        if not instance.inventory_code:  # a blank cell gives a code, never takes one away
            instance.inventory_code = self.next_code() if new else instance._previous_code
        if instance.campaign_id is None and instance.pledge_id is not None:
            instance.campaign_id = instance.pledge.campaign_id
        if instance.campaign_id is None and instance.batch_id is not None:
            instance.campaign_id = instance.batch.campaign_id
        instance.mark_stages(instance.status, when=self.now)
        instance.updated_at = self.now
        if new:
            self.created.append(instance)
        else:
            if instance._previous_status != instance.status:
                self.batch_changes.append((instance.pk, instance._previous_status, instance.status))
            self.updated.append(instance)
