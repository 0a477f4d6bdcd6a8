"""Import of devices from a refurbisher's CSV (django-import-export).

Same reading, report and command rules as the mediation-site import
(content/importexport.py). Rows match on ``inventory_code`` (a blank code gets
a new one). Pledges (by reference) and sites (by standard id) are loaded once
per file, not per row; rows are written in bulk batches of 1,000.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, widgets

from content import importexport
from content.importexport import ImportFileError  # noqa: F401 - re-exported
from content.models import MediationSite
from content.standards import normalise_text
from forms.enums import DeviceStatus, DeviceType, ErasureMethod, InstalledSystem
from forms.models import Device, DonorPledge, ReferenceCounter
from forms.models.device import INVENTORY_PREFIX
from forms.services.devices import log_creations
from portal.bounds import DateWindowValidator
from portal.exports import SafeExportResource

COLUMNS = [
    "inventory_code",
    "type",
    "brand",
    "model",
    "serial_number",
    "status",
    "os",
    "oem_licence",
    "source_pledge",
    "site",
    "erasure_method",
    "erasure_date",
]
REQUIRED_COLUMNS = ["inventory_code", "type", "status"]
COLUMN_OF_FIELD = {
    "inventory_code": "inventory_code",
    "device_type": "type",
    "brand": "brand",
    "model_name": "model",
    "serial_number": "serial_number",
    "status": "status",
    "installed_os": "os",
    "oem_licence": "oem_licence",
    "pledge": "source_pledge",
    "site": "site",
    "erasure_method": "erasure_method",
    "erasure_date": "erasure_date",
}
LOOKUP_CHUNK = 500
TRUE = {"1", "oui", "yes", "true", "vrai", "o", "y"}
FALSE = {"", "0", "non", "no", "false", "faux", "n"}
LINUX_HINTS = ("linux", "ubuntu", "mint", "debian", "fedora", "emmabuntus", "primtux", "zorin")


def check_headers(headers):
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    if missing:
        raise ImportFileError(
            _("The first line must name the columns; missing column(s): %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    importexport.check_duplicate_headers(headers)


def read_csv(data):
    return importexport.read_csv(data, check=check_headers)


class ChoiceWidget(widgets.Widget):
    """A value of the choices, or its French label, case-insensitive."""

    def __init__(self, choices, required=False):
        super().__init__()
        self.lookup = {}
        for value, label in choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value
        self.values = [value for value, _label in choices]
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = normalise_text(value).lower()
        if not text:
            if self.required:
                raise ValueError(_("This column is required."))
            return ""
        if text not in self.lookup:
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(self.values)}
            )
        return self.lookup[text]

    def render(self, value, obj=None, **kwargs):
        return value or ""


class TextWidget(importexport.TextWidget):
    pass


class CodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_text(value).upper()


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
                date = datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            try:
                self.window(date)  # e.g. an erasure in 2999 is a typing mistake
            except ValidationError as error:
                raise ValueError(error.messages[0]) from None
            return date
        raise ValueError(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class LookupWidget(widgets.Widget):
    """A foreign key read from a map the resource loads once per file."""

    def __init__(self, resource, attribute, message):
        super().__init__()
        self.resource = resource
        self.attribute = attribute
        self.message = message

    def clean(self, value, row=None, **kwargs):
        key = normalise_text(value)
        if not key:
            return None
        found = getattr(self.resource, self.attribute).get(key.upper())
        if found is None:
            raise ValueError(self.message % {"value": key})
        return found

    def render(self, value, obj=None, **kwargs):
        return ""


class DeviceResource(SafeExportResource):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.existing = {}
        self.pledges = {}
        self.sites = {}
        self.seen_codes = set()
        self.new_codes = []
        self.status_changed = []
        spec = {
            "inventory_code": ("inventory_code", CodeWidget()),
            "type": ("device_type", ChoiceWidget(DeviceType.choices, required=True)),
            "brand": ("brand", TextWidget()),
            "model": ("model_name", TextWidget()),
            "serial_number": ("serial_number", TextWidget()),
            "status": ("status", ChoiceWidget(DeviceStatus.choices, required=True)),
            "os": ("installed_os", SystemWidget()),
            "oem_licence": ("oem_licence", YesNoWidget()),
            "source_pledge": (
                "pledge",
                LookupWidget(self, "pledges", _("No pledge has the reference “%(value)s”.")),
            ),
            "site": (
                "site",
                LookupWidget(self, "sites", _("No mediation site has the id “%(value)s”.")),
            ),
            "erasure_method": ("erasure_method", ChoiceWidget(ErasureMethod.choices)),
            "erasure_date": ("erasure_date", DateWidget("erasure_date")),
        }
        for column, (attribute, widget) in spec.items():
            self.fields[column] = fields.Field(
                attribute=attribute, column_name=column, widget=widget
            )

    class Meta:
        model = Device
        fields = ()
        import_id_fields = ["inventory_code"]
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        force_init_instance = True
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    def get_import_fields(self):
        return [self.fields[column] for column in COLUMNS if column in self.fields]

    def get_export_fields(self, selected_fields=None):
        return self.get_import_fields()

    def before_import(self, dataset, **kwargs):
        """Load the devices, pledges and sites the file names, a few queries in all."""
        self.seen_codes = set()
        self.new_codes = []
        self.status_changed = []
        headers = dataset.headers or []

        def column(name):
            if name not in headers:
                return []
            return sorted({normalise_text(v).upper() for v in dataset[name] if normalise_text(v)})

        self.existing = self._load(Device.objects.all(), "inventory_code", column("inventory_code"))
        self.pledges = {
            key.upper(): value
            for key, value in self._load(
                DonorPledge.objects.only("pk", "reference", "campaign_id"),
                "reference",
                column("source_pledge"),
            ).items()
        }
        sites = {}
        wanted = column("site")
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start : start + LOOKUP_CHUNK]
            for site in MediationSite.objects.filter(identifier__in=chunk).only("pk", "identifier"):
                sites[site.identifier.upper()] = site
            # ids are case-sensitive in the standard: also try them as written
            if len(sites) < len(chunk):
                raw = [v for v in dataset["site"] if normalise_text(v).upper() in chunk]
                for site in MediationSite.objects.filter(
                    identifier__in={normalise_text(v) for v in raw}
                ).only("pk", "identifier"):
                    sites[site.identifier.upper()] = site
        self.sites = sites

    @staticmethod
    def _load(queryset, field_name, keys):
        found = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            for obj in queryset.filter(**{f"{field_name}__in": keys[start : start + LOOKUP_CHUNK]}):
                found[getattr(obj, field_name).upper()] = obj
        return found

    def get_or_init_instance(self, instance_loader, row):
        code = normalise_text(row.get("inventory_code")).upper()
        if code and code in self.existing:
            instance = self.existing[code]
            instance._previous_status = instance.status
            return instance, False
        return self.init_instance(row), True

    def import_instance(self, instance, row, **kwargs):
        code = normalise_text(row.get("inventory_code")).upper()
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if code and code in self.seen_codes:
            errors.setdefault("inventory_code", []).append(
                _("The inventory code “%(code)s” appears more than once in the file.")
                % {"code": code}
            )
        if code:
            self.seen_codes.add(code)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Foreign keys come from the maps loaded once; uniqueness from matching
        # on the code: no query per row.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors.keys(), "pledge", "batch", "site", "lot", "campaign"],
                validate_unique=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.inventory_code:
            instance.inventory_code = ReferenceCounter.next_reference(INVENTORY_PREFIX)
        if instance.campaign_id is None and instance.pledge is not None:
            instance.campaign_id = instance.pledge.campaign_id
        instance.mark_stages(instance.status, when=timezone.now())
        instance.updated_at = timezone.now()
        if instance.pk is None:
            self.new_codes.append(instance.inventory_code)
        elif getattr(instance, "_previous_status", instance.status) != instance.status:
            self.status_changed.append((instance, instance._previous_status))

    def get_bulk_update_fields(self):
        return [
            "device_type",
            "brand",
            "model_name",
            "serial_number",
            "status",
            "installed_os",
            "oem_licence",
            "pledge",
            "site",
            "campaign",
            "erasure_method",
            "erasure_date",
            "updated_at",
            *(f"{stage}_at" for stage in ("refurbished", "eliminated", "transferred")),
            *(f"{stage}_at" for stage in ("handed_over", "lent", "returned_broken")),
        ]

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors():
            return
        created = []
        for start in range(0, len(self.new_codes), LOOKUP_CHUNK):
            created += list(
                Device.objects.filter(
                    inventory_code__in=self.new_codes[start : start + LOOKUP_CHUNK]
                ).only("pk", "status")
            )
        log_creations(created, note=_("CSV import"))


def import_devices(dataset, dry_run=True):
    return importexport.run_import(
        DeviceResource(),
        dataset,
        dry_run=dry_run,
        identifier_column="inventory_code",
        name_column="serial_number",
        known_columns=COLUMNS,
        column_of_field=COLUMN_OF_FIELD,
    )
