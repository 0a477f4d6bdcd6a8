"""The device resource (django-import-export): the export, and its columns.

Files are imported by the row path (``rows``) with the same columns and widgets
(``field_spec``), so that an export imports back to the same devices."""

from forms.logistics.device_import.columns import COLUMNS
from forms.logistics.device_import.field_spec import add_fields
from forms.logistics.device_import.rows import formula_cells, to_complete_message
from forms.logistics.models.device import Device
from portal.exports import SafeExportResource

__all__ = ["DeviceResource", "export_dataset", "formula_cells", "to_complete_message"]


class DeviceResource(SafeExportResource):
    def __init__(self, scope=None, **kwargs):
        super().__init__(**kwargs)
        self.scope = scope  # read by the lookup widgets (the export never cleans a cell)
        add_fields(self)

    class Meta:
        model = Device
        fields = ()
        import_id_fields = []

    def get_import_fields(self):
        return [self.fields[column] for column in COLUMNS]

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


def export_dataset(queryset=None):
    return DeviceResource().export(queryset=queryset)
