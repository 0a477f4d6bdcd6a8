"""Admin of devices and batches: list, edit, status changes, import, labels, stock."""

from django.contrib.admin import SimpleListFilter
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail_modeladmin.options import modeladmin_register

from forms.engine.admin_views import ScopedHistoryView
from forms.engine.panels import StatusPanel
from forms.engine.record_admin import RecordAdmin, ScopedModelAdmin
from forms.logistics import device_views
from forms.logistics.device_import import DeviceResource
from forms.logistics.device_panels import ToCompletePanel
from forms.logistics.document_panels import DocumentsPanel
from forms.logistics.models.device import Device, DeviceBatch


class ToCompleteFilter(SimpleListFilter):
    """Devices imported with a detail the refurbisher did not know, for the site to fill in."""

    title = _("to complete")
    parameter_name = "a_completer"

    def lookups(self, request, model_admin):
        return [
            ("all", _("Anything to complete")),
            ("lent_to", _("Borrower to complete")),
            ("site", _("Mediation site to complete")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "all":
            return queryset.to_complete()
        if value in {"lent_to", "site"}:
            return queryset.to_complete(value)
        return queryset


@modeladmin_register
class DeviceAdmin(RecordAdmin):
    model = Device
    menu_label = _("Devices")
    menu_icon = "desktop"
    menu_order = 210
    add_to_admin_menu = True
    resource_class = DeviceResource
    export_filename = "equipements"
    site_field = "site"  # site staff see only the devices allocated to their site
    list_display = ("inventory_code", "device_type", "brand", "model_name", "status", "site")
    list_filter = (
        ToCompleteFilter,
        "status",
        "device_type",
        "campaign",
        "refurbisher",
        "pledge",
        "batch",
        "lot",
        "site",
    )
    list_select_related = ("site",)
    search_fields = ("inventory_code", "serial_number", "brand", "model_name")
    ordering = ("-created_at",)

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    StatusPanel(),
                    ToCompletePanel(),
                    FieldRowPanel([FieldPanel("inventory_code"), FieldPanel("device_type")]),
                    FieldRowPanel([FieldPanel("brand"), FieldPanel("model_name")]),
                    FieldRowPanel([FieldPanel("serial_number"), FieldPanel("grade")]),
                    FieldRowPanel(
                        [FieldPanel("cpu"), FieldPanel("ram_gb"), FieldPanel("storage_gb")]
                    ),
                    FieldPanel("oem_licence"),
                    FieldRowPanel([FieldPanel("pledge"), FieldPanel("batch")]),
                    FieldPanel("campaign"),
                ],
                heading=_("Device"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("hardware_test"), FieldPanel("refurbisher")]),
                    MultiFieldPanel(
                        [
                            FieldRowPanel(
                                [FieldPanel("erasure_method"), FieldPanel("erasure_tool")]
                            ),
                            FieldRowPanel(
                                [FieldPanel("erasure_passes"), FieldPanel("erasure_verified")]
                            ),
                            FieldRowPanel(
                                [FieldPanel("erasure_date"), FieldPanel("erasure_operator")]
                            ),
                            FieldPanel("erasure_result"),
                        ],
                        heading=_("Data erasure"),
                    ),
                    FieldRowPanel([FieldPanel("installed_os"), FieldPanel("os_version")]),
                    FieldPanel("notes"),
                ],
                heading=_("Refurbishing"),
            ),
            ObjectList(
                [
                    FieldPanel("lot", read_only=True),
                    FieldPanel("site", read_only=True),
                    FieldRowPanel([FieldPanel("lent_to"), FieldPanel("loan_return_date")]),
                ],
                heading=_("Location"),
            ),
        ]
    )

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path(
                "forms/device/import/",
                device_views.DeviceImportView.as_view(),
                name="forms_device_import",
            ),
            path(
                "forms/device/import/<int:job_id>/",
                device_views.DeviceImportJobView.as_view(),
                name="forms_device_import_job",
            ),
            path(
                "forms/device/import/<int:job_id>/status/",
                device_views.DeviceImportStatusView.as_view(),
                name="forms_device_import_status",
            ),
            path(
                "forms/device/import/<int:job_id>/confirm/",
                device_views.DeviceImportConfirmView.as_view(),
                name="forms_device_import_confirm",
            ),
            path(
                "forms/device/import/<int:job_id>/mapping/",
                device_views.DeviceImportMappingView.as_view(),
                name="forms_device_import_mapping",
            ),
            path(
                "forms/device/import/<int:job_id>/fix/",
                device_views.DeviceImportFixFileView.as_view(),
                name="forms_device_import_fix",
            ),
            path("forms/device/labels/", device_views.device_labels, name="forms_device_labels"),
            path(
                "forms/device/receive/<int:pledge_id>/",
                device_views.receive_from_pledge,
                name="forms_receive_devices",
            ),
            path("forms/device/stock/", device_views.site_stock, name="forms_site_stock"),
        )


@modeladmin_register
class DeviceBatchAdmin(ScopedModelAdmin):
    model = DeviceBatch
    history_view_class = ScopedHistoryView
    menu_label = _("Device batches")
    menu_icon = "folder-inverse"
    menu_order = 211
    add_to_admin_menu = True
    list_display = ("reference", "kind", "supplier_name", "received_on", "campaign")
    list_filter = ("kind", "campaign")
    search_fields = ("reference", "supplier_name")
    panels = [
        FieldPanel("kind"),
        FieldPanel("supplier_name"),
        FieldRowPanel([FieldPanel("received_on"), FieldPanel("campaign")]),
        FieldPanel("notes"),
        DocumentsPanel(),
    ]


class StockMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("forms.view_site_stock")


@hooks.register("register_admin_menu_item")
def register_stock_menu_item():
    return StockMenuItem(
        _("Device stock"), reverse("forms_site_stock"), icon_name="desktop", order=215
    )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perms(device_views.DeviceImportMixin.permissions)


@hooks.register("register_admin_menu_item")
def register_device_import_menu_item():
    return ImportMenuItem(
        _("Import devices (CSV)"), reverse("forms_device_import"), icon_name="upload", order=216
    )
