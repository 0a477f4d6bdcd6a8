"""Wagtail admin views for the mediation-site registry: list filters, standard
CSV/XLSX export of the filtered list, and CSV import (upload -> preview -> confirm).

django-import-export has no Wagtail integration: these views call its Resource
classes (content/importexport.py) directly.
"""

import uuid

import django_filters
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import DeleteView, EditView, IndexView
from wagtail.admin.widgets.button import Button

from content import importexport, site_rows, standards
from content.enums import ProgrammeStatus, SyncStatus
from content.models import MediationSite
from content.models.mediation_site import has_value_q

IMPORT_FOLDER = "mediation-site-imports"
IMPORT_SALT = "content.mediation-site-import"
IMPORT_MAX_AGE = 3600  # seconds between preview and confirmation
MAX_UPLOAD_SIZE = 50 * 1024 * 1024
PREVIEW_ROWS = 500
IMPORT_PERMISSIONS = ["content.add_mediationsite", "content.change_mediationsite"]
EXPORT_PARAM = "standard_export"
# Who sees which sites is decided by the forms app (forms.access), which content
# never imports: it registers a function (user, queryset) -> queryset under this hook.
SCOPE_HOOK = "scope_mediation_sites"


def scoped_for(user, queryset):
    """The sites of ``queryset`` that ``user`` may see in the registry."""
    for scope in hooks.get_hooks(SCOPE_HOOK):
        queryset = scope(user, queryset)
    return queryset


def department_choices():
    departments = (
        MediationSite.objects.exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    return [(code, code) for code in departments]


class MediationSiteFilterSet(WagtailFilterSet):
    department = django_filters.ChoiceFilter(
        label=gettext_lazy("Department"), choices=department_choices
    )
    typologie = django_filters.ChoiceFilter(
        label=gettext_lazy("Typology"),
        choices=lambda: standards.choices("typologie"),
        method="filter_multi_value",
    )
    services = django_filters.ChoiceFilter(
        label=gettext_lazy("Services"),
        choices=lambda: standards.choices("services"),
        method="filter_multi_value",
    )
    programme_status = django_filters.ChoiceFilter(
        label=gettext_lazy("Programme status"), choices=ProgrammeStatus.choices
    )
    is_published = django_filters.BooleanFilter(label=gettext_lazy("Shown on the public map"))
    sync_status = django_filters.ChoiceFilter(
        label=gettext_lazy("Synchronisation"),
        choices=SyncStatus.choices,
        method="filter_sync_status",
    )

    class Meta:
        model = MediationSite
        fields = ["department", "typologie", "services", "programme_status", "is_published"]

    def filter_multi_value(self, queryset, name, value):
        return queryset.filter(has_value_q(name, value)) if value else queryset

    def filter_sync_status(self, queryset, name, value):
        return queryset.with_sync_status(value)


class MediationSiteIndexView(IndexView):
    """The registry list (scoped, SCOPE_HOOK), with import and standard export buttons,
    and boxes to publish or unpublish a selection (Wagtail's bulk actions)."""

    template_name = "admin/content/mediation_site_index.html"

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"), *super().columns]

    def get_base_queryset(self):
        return scoped_for(self.request.user, super().get_base_queryset())

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get(EXPORT_PARAM)
        if export_format in {"csv", "xlsx"}:
            return export_response(self.get_queryset(), export_format)
        return super().get(request, *args, **kwargs)

    def export_url(self, export_format):
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        params[EXPORT_PARAM] = export_format
        return f"{self.index_url}?{params.urlencode()}"

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perms(IMPORT_PERMISSIONS):
            buttons.append(
                Button(
                    _("Import a CSV file (national standard)"),
                    url=reverse("content_mediationsite:import"),
                    icon_name="upload",
                    priority=10,
                )
            )
        buttons.append(
            Button(
                _("Export as CSV (national standard)"),
                url=self.export_url("csv"),
                icon_name="download",
                priority=20,
            )
        )
        buttons.append(
            Button(
                _("Export as XLSX"), url=self.export_url("xlsx"), icon_name="download", priority=30
            )
        )
        return buttons


class MediationSiteEditView(EditView):
    """A site outside the person's scope is not found."""

    def get_queryset(self):
        return scoped_for(self.request.user, MediationSite.objects.all())


class MediationSiteDeleteView(DeleteView):
    def get_queryset(self):
        return scoped_for(self.request.user, MediationSite.objects.all())


def export_filename(extension):
    return f"{timezone.localdate():%Y-%m-%d}_lieux-de-mediation-numerique.{extension}"


def export_response(queryset, export_format):
    if export_format == "xlsx":
        response = HttpResponse(
            importexport.export_xlsx(queryset), content_type=importexport.XLSX_CONTENT_TYPE
        )
    else:
        response = HttpResponse(
            importexport.export_csv(queryset), content_type=importexport.CSV_CONTENT_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(export_format)}"'
    return response


# Import -------------------------------------------------------------------
class CsvImportMixin:
    """Upload -> dry-run preview -> confirm, shared by every CSV import of the admin.

    Subclasses set the permissions, the templates, the URL names and how to read
    and import a file (``read`` raises importexport.ImportFileError)."""

    permissions = IMPORT_PERMISSIONS
    folder = IMPORT_FOLDER
    salt = IMPORT_SALT
    form_template = "admin/content/mediation_site_import.html"
    preview_template = "admin/import_preview.html"
    index_url_name = "content_mediationsite:index"
    import_url_name = "content_mediationsite:import"
    confirm_url_name = "content_mediationsite:import_confirm"
    done_message = gettext_lazy("Import done: %(created)s site(s) created, %(updated)s updated.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perms(self.permissions):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def read(self, data):
        return importexport.read_csv(data)

    def run(self, dataset, dry_run):
        return importexport.import_sites(dataset, dry_run=dry_run)

    def form_context(self):
        return {
            "required_columns": site_rows.IDENTIFYING,
            "columns": standards.field_names(),
        }

    def render_form(self, request, error=None, status=200):
        return TemplateResponse(
            request,
            self.form_template,
            {"error": error, "index_url": reverse(self.index_url_name), **self.form_context()},
            status=status,
        )


class MediationSiteImportView(CsvImportMixin, View):
    """Step 1: upload, then a dry run shows what would happen row by row."""

    def get(self, request):
        return self.render_form(request)

    def post(self, request):
        upload = request.FILES.get("import_file")
        if not upload:
            return self.render_form(request, _("Choose a CSV file to import."), status=400)
        if upload.size > MAX_UPLOAD_SIZE:
            return self.render_form(
                request, _("This file is too large (50 MB at most)."), status=400
            )
        data = upload.read()
        try:
            dataset = self.read(data)
        except importexport.ImportFileError as error:
            return self.render_form(request, str(error), status=400)
        report = self.run(dataset, dry_run=True)
        name = default_storage.save(f"{self.folder}/{uuid.uuid4().hex}.csv", ContentFile(data))
        token = signing.dumps({"name": name, "user": request.user.pk}, salt=self.salt)
        return TemplateResponse(
            request,
            self.preview_template,
            {
                "report": report,
                "file_name": upload.name,
                "token": token,
                "rejected_rows": report.rejected_rows,
                "accepted_rows": [row for row in report.rows if row.action in {"new", "update"}][
                    :PREVIEW_ROWS
                ],
                "preview_limit": PREVIEW_ROWS,
                "index_url": reverse(self.index_url_name),
                "import_url": reverse(self.import_url_name),
                "confirm_url": reverse(self.confirm_url_name),
            },
        )


class MediationSiteImportConfirmView(CsvImportMixin, View):
    """Step 2: import the previewed file for real."""

    def post(self, request):
        try:
            payload = signing.loads(
                request.POST.get("token", ""), salt=self.salt, max_age=IMPORT_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(request, _("This import has expired: upload the file again."))
            return redirect(self.import_url_name)
        name = payload["name"]
        if payload.get("user") != request.user.pk or not default_storage.exists(name):
            messages.error(request, _("This import has expired: upload the file again."))
            return redirect(self.import_url_name)
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        default_storage.delete(name)
        dataset = self.read(data)
        report = self.run(dataset, dry_run=False)
        if report.base_errors:
            messages.error(
                request,
                _("The import failed and nothing was changed: %(error)s")
                % {"error": "; ".join(report.base_errors)},
            )
            return redirect(self.import_url_name)
        messages.success(
            request, self.done_message % {"created": report.created, "updated": report.updated}
        )
        if report.rejected:
            messages.warning(
                request,
                _("%(rejected)s row(s) were rejected and not imported (see the preview).")
                % {"rejected": report.rejected},
            )
        return redirect(self.index_url_name)


# Bulk publish / unpublish ---------------------------------------------------
class MediationSitePublicationBulkAction(BulkAction):
    """Show (or hide) the selected sites on the public map, after a confirmation page.
    Only the sites the person may see (SCOPE_HOOK) and change are acted on."""

    models = [MediationSite]
    template_name = "admin/content/mediation_site_bulk_publication.html"
    published = True
    change_permission = "content.change_mediationsite"

    def get_all_objects_in_listing_query(self, parent_id):
        return scoped_for(self.request.user, MediationSite.objects.all()).values_list(
            "pk", flat=True
        )

    def get_actionable_objects(self):
        ids = self.request.GET.getlist("id")
        visible = scoped_for(self.request.user, MediationSite.objects.all())
        if "all" not in ids:
            visible = visible.filter(pk__in=[i for i in ids if i.isdigit()])
        objects = list(visible.order_by("commune", "nom"))
        if not self.request.user.has_perm(self.change_permission):
            return [], {"items_with_no_access": objects}
        return objects, {"items_with_no_access": []}

    def object_context(self, site):
        return {
            "item": site,
            "edit_url": reverse("content_mediationsite:edit", args=[site.pk]),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "published": self.published}

    @classmethod
    def execute_action(cls, objects, **kwargs):
        changed = MediationSite.objects.filter(pk__in=[site.pk for site in objects]).set_published(
            cls.published
        )
        return changed, 0


class PublishMediationSitesBulkAction(MediationSitePublicationBulkAction):
    display_name = gettext_lazy("Publish on the map")
    action_type = "publish_sites"
    aria_label = gettext_lazy("Show the selected sites on the public map")
    action_priority = 10
    published = True

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)s site is now shown on the public map.",
            "%(count)s sites are now shown on the public map.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class UnpublishMediationSitesBulkAction(MediationSitePublicationBulkAction):
    display_name = gettext_lazy("Remove from the map")
    action_type = "unpublish_sites"
    aria_label = gettext_lazy("Hide the selected sites from the public map")
    action_priority = 20
    published = False

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)s site is no longer shown on the public map.",
            "%(count)s sites are no longer shown on the public map.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
