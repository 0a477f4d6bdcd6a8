"""The columns of a device file, the model fields they set, and the import's batch sizes."""

from django.utils.translation import gettext_lazy as _

from forms.logistics.models.device import STAGE_FIELDS, Device

CHUNK_SIZE = 1000
LOOKUP_CHUNK = 500
PREVIEW_ROWS = 500
MAX_REPORTED_ERRORS = 2000
STAGE_COLUMNS = list(STAGE_FIELDS.values())
LINE = "__line__"  # the dataset column giving each row its line in the file

# The columns, in the order the export writes them.
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
    "refurbisher_reference",
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
    "refurbisher_reference": "refurbisher_reference",
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
# Columns whose unreadable value is dropped with a warning, the row kept: they
# describe the machine, they do not identify it nor decide where it is.
SOFT_COLUMNS = {"cpu", "ram_gb", "storage_gb", "grade", "os_version", "hardware_test", "notes"}
# French labels of the columns (the model's field names), for mappings and choosers.
COLUMN_LABELS = {
    column: Device._meta.get_field(name).verbose_name
    for column, name in COLUMN_OF_FIELD_REVERSE.items()
}
COLUMN_LABELS["source_pledge"] = _("donor pledge")
# What a column left over may be mapped to: (column, French label).
MAPPABLE_FIELDS = [(column, COLUMN_LABELS[column]) for column in COLUMNS]
