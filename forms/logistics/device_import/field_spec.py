"""The resource's fields: which column sets which model attribute, read by which widget."""

from django.utils.translation import gettext as _
from import_export import fields

from forms.enums import (
    DeviceGrade,
    DeviceStatus,
    DeviceType,
    ErasureResult,
    HardwareTestResult,
)
from forms.logistics.device_import.columns import STAGE_COLUMNS
from forms.logistics.device_import.scope import ImportScope
from forms.logistics.device_import.vocabulary import STATUS_ALIASES, TYPE_ALIASES
from forms.logistics.device_import.widgets import (
    ChoiceWidget,
    CodeWidget,
    DateTimeWidget,
    DateWidget,
    ErasureWidget,
    LookupWidget,
    NumberWidget,
    SystemWidget,
    TextWidget,
    YesNoWidget,
)


def add_fields(resource):
    """Give ``resource`` one field per column (lookups read the resource's maps)."""
    lookup = LookupWidget
    spec = {
        "inventory_code": ("inventory_code", CodeWidget()),
        "serial_number": ("serial_number", TextWidget()),
        "type": (
            "device_type",
            ChoiceWidget(DeviceType.choices, required=True, aliases=TYPE_ALIASES),
        ),
        "brand": ("brand", TextWidget()),
        "model": ("model_name", TextWidget()),
        "cpu": ("cpu", TextWidget()),
        "ram_gb": ("ram_gb", NumberWidget(unit_gb=True)),
        "storage_gb": ("storage_gb", NumberWidget(unit_gb=True)),
        "grade": ("grade", ChoiceWidget(DeviceGrade.choices)),
        "status": (
            "status",
            ChoiceWidget(DeviceStatus.choices, required=True, aliases=STATUS_ALIASES),
        ),
        "hardware_test": ("hardware_test", ChoiceWidget(HardwareTestResult.choices)),
        "os": ("installed_os", SystemWidget()),
        "os_version": ("os_version", TextWidget()),
        "oem_licence": ("oem_licence", YesNoWidget()),
        "campaign": (
            "campaign",
            lookup(
                resource,
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
                resource,
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
                resource,
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
                resource,
                "refurbishers",
                _("No refurbisher of the refurbishing chain has the name or SIRET “%(value)s”."),
                lambda o: o.siret or o.name,
            ),
        ),
        "refurbisher_reference": ("refurbisher_reference", TextWidget()),
        "site": (
            "site",
            lookup(
                resource,
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
                resource,
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
        resource.fields[column] = fields.Field(
            attribute=attribute, column_name=column, widget=widget
        )
    # A blank moment keeps what the device has (its stages are never undone).
    resource.fields["received_at"] = fields.Field(
        attribute="created_at",
        column_name="received_at",
        widget=DateTimeWidget(),
        saves_null_values=False,
    )
    for column in STAGE_COLUMNS:
        resource.fields[column] = fields.Field(
            attribute=column,
            column_name=column,
            widget=DateTimeWidget(),
            saves_null_values=False,
        )
