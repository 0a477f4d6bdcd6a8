"""The device resource (django-import-export): matching rows to devices, checks
across columns, campaign scoping, bulk writes; and the export."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.standards import normalise_text
from forms.engine.models.records import ReferenceCounter
from forms.logistics.device_import.columns import (
    CHUNK_SIZE,
    COLUMN_LABELS,
    COLUMN_OF_FIELD,
    COLUMN_OF_FIELD_REVERSE,
    COLUMNS,
    LINE,
    SOFT_COLUMNS,
    STAGE_COLUMNS,
)
from forms.logistics.device_import.field_spec import add_fields
from forms.logistics.device_import.lookups import BatchLookups
from forms.logistics.device_import.scope import foreign_device
from forms.logistics.erasure import read_erasure
from forms.logistics.models.device import INVENTORY_PREFIX, Device
from portal.exports import PLAIN_NUMBER, SafeExportResource


def formula_cells(row):
    """{field: [message]} for each cell that starts like a spreadsheet formula (=, @, or
    + and - not before a number): such a cell is neither imported nor calculated."""
    errors = {}
    for column, value in row.items():
        text = normalise_text(value)
        if column == LINE or not text or text[0] not in "=+-@":
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


class DeviceResource(BatchLookups, SafeExportResource):
    def __init__(self, scope=None, **kwargs):
        super().__init__(**kwargs)
        self.reset()
        self.scope = scope  # ImportScope, or None: the programme, unbounded
        self.default_refurbisher = None  # given to the devices of rows naming none
        self.row_warnings = {}  # line -> [(column, value, message)], for the batch
        self.to_complete_lines = set()  # lines of the batch whose device is to complete
        add_fields(self)

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

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A describing column (``SOFT_COLUMNS``) whose value cannot be read is dropped
        with a warning; the row is kept."""
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ValueError as error:
            if field.column_name not in SOFT_COLUMNS:
                raise
            self.warn(
                row,
                field.column_name,
                normalise_text(row.get(field.column_name)),
                _("%(reason)s The value was not imported.") % {"reason": error},
            )

    def warn(self, row, column, value, message):
        self.row_warnings.setdefault(row.get(LINE), []).append((column, value, message))

    def import_instance(self, instance, row, **kwargs):
        code = normalise_text(row.get("inventory_code")).upper()
        serial = normalise_text(row.get("serial_number"))
        errors = formula_cells(row)
        if errors:  # never read, never stored: the row is refused as it is
            self.seen_codes.add(code)
            self.seen_serials.add(serial)
            raise ValidationError(errors)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.refurbisher_id is None and self.default_refurbisher is not None:
            instance.refurbisher = self.default_refurbisher
        self.mark_to_complete(instance, row)
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

    def mark_to_complete(self, instance, row):
        """What the status calls for and the file leaves blank (the borrower of a lent
        device…) is marked to complete, with a warning, instead of refusing the row."""
        missing = instance.missing_details()
        instance.to_complete = missing
        if missing:
            self.to_complete_lines.add(row.get(LINE))
        for name in missing:
            column = COLUMN_OF_FIELD.get(name, name)
            self.warn(row, column, "", to_complete_message(column))

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
        fields |= {"erasure_verified", "updated_at", "to_complete", "refurbisher"}
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


def export_dataset(queryset=None):
    return DeviceResource().export(queryset=queryset)
