"""Wagtail admin views for the mediation-site registry: list filters, standard
CSV/XLSX export of the filtered list, and CSV import (upload -> preview -> confirm).

django-import-export has no Wagtail integration: these views call its Resource
classes (content/importexport.py) directly.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import DeleteView, EditView, IndexView
from wagtail.admin.widgets.button import Button

from content import importexport, site_rows, standards
from content.enums import ProgrammeStatus, SyncStatus
from content.models import MediationSite
from content.models.mediation_site import has_value_q
from content.site_scope import scoped_for
from portal import import_jobs
from portal.enums import ImportKind, ImportPhase, ImportStatus
from portal.tasks import enqueue_job

# The upload's header line is read up to this many bytes (a file of one endless line
# is refused by the CSV reader, not read whole).
HEADER_LIMIT = 1024 * 1024
IMPORT_PERMISSIONS = ["content.add_mediationsite", "content.change_mediationsite"]
EXPORT_PARAM = "standard_export"


# Who sees which sites is decided by the forms app (forms.access), which content
# never imports: it registers a function (user, queryset) -> queryset under this hook.
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
    """Upload -> background check (preview) -> choices and confirmation -> background
    import -> result, shared by every file import of the admin (portal.import_jobs).

    Subclasses set the kind, the permissions, the templates and the URL names (the
    job's pages are named after ``import_url_name``: ``_job``, ``_status``,
    ``_confirm``, ``_fix``), how to check an upload (``read`` raises
    importexport.ImportFileError) and the options chosen before confirming."""

    kind = ImportKind.SITES
    permissions = IMPORT_PERMISSIONS
    form_template = "admin/content/mediation_site_import.html"
    preview_template = "admin/import_preview.html"
    progress_template = "admin/import_progress.html"
    result_template = "admin/import_result.html"
    missing_template = "admin/import_missing.html"
    index_url_name = "content_mediationsite:index"
    import_url_name = "content_mediationsite:import"
    done_message = gettext_lazy("Import done: %(created)s site(s) created, %(updated)s updated.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perms(self.permissions):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def read(self, upload):
        """Check the header line only (the upload, a file, is not read further), so
        that the upload returns at once: the rows are read by the job (a file error
        there is shown in its preview)."""
        upload.seek(0)
        header = upload.readline(HEADER_LIMIT)
        return importexport.read_csv(header.rstrip(b"\r\n") + b"\n")

    def upload_options(self, request):
        """Options chosen on the upload form, or an error message (str)."""
        return {}

    def confirm_options(self, request, job):
        """Options chosen on the preview before confirming."""
        return {"publish": request.POST.get("publish") == "1"}

    def form_context(self):
        return {
            "required_columns": site_rows.IDENTIFYING,
            "columns": standards.field_names(),
        }

    def preview_context(self, job, report):
        return {}

    def job_url(self, name, job):
        suffix = f"_{name}" if name else ""
        return reverse(f"{self.import_url_name}{suffix}", args=[job.pk])

    def render_form(self, request, error=None, status=200):
        return TemplateResponse(
            request,
            self.form_template,
            {"error": error, "index_url": reverse(self.index_url_name), **self.form_context()},
            status=status,
        )

    def get_job_or_none(self, request, job_id):
        return import_jobs.get_job(request.user, self.kind, job_id)

    def render_job(self, request, job, extra=None, status=200):
        """The job's page as its state asks: progress (or failure), preview, result."""
        context = {
            "job": job,
            "index_url": reverse(self.index_url_name),
            "import_url": reverse(self.import_url_name),
            "job_url": self.job_url("job", job),
            "status_url": self.job_url("status", job),
            "confirm_url": self.job_url("confirm", job),
            "fix_url": self.job_url("fix", job) if job.fix_file_name else "",
            "file_name": job.original_name,
        }
        if job.is_active or job.status in {ImportStatus.FAILED, ImportStatus.INTERRUPTED}:
            context["can_retry"] = job.status == ImportStatus.FAILED and bool(job.file_name)
            context["can_relaunch"] = job.status == ImportStatus.INTERRUPTED and bool(job.file_name)
            context["progress_text"] = import_jobs.progress_text(job)
            return TemplateResponse(request, self.progress_template, context, status=status)
        report = import_jobs.StoredReport(job.report)
        context.update(
            report=report,
            rejected_rows=report.rejected_rows,
            warned_rows=report.warned_rows,
            accepted_rows=report.accepted_rows,
            preview_limit=import_jobs.ACCEPTED_SHOWN,
        )
        if job.phase == ImportPhase.PREVIEW:
            context.update(self.preview_context(job, report))
            context.update(extra or {})
            return TemplateResponse(request, self.preview_template, context, status=status)
        context["done_message"] = self.done_message % {
            "created": report.created,
            "updated": report.updated,
        }
        return TemplateResponse(request, self.result_template, context, status=status)

    def render_missing(self, request):
        """An expired job, another person's, or one that never existed: a clear page."""
        return TemplateResponse(
            request,
            self.missing_template,
            {"import_url": reverse(self.import_url_name)},
            status=404,
        )


class MediationSiteImportView(CsvImportMixin, View):
    """Upload: the file is checked for readability, stored, and its check runs in the
    background; the answer is a redirect to the job's page, at once."""

    def get(self, request):
        return self.render_form(request)

    def post(self, request):
        upload = request.FILES.get("import_file")
        if not upload:
            return self.render_form(request, _("Choose a file to import."), status=400)
        if upload.size > import_jobs.MAX_UPLOAD_SIZE:  # the size the browser declared
            return self.render_form(request, str(import_jobs.UploadTooLarge()), status=400)
        # The file is never read whole here: its header is checked from the upload
        # (kept on disk by Django past FILE_UPLOAD_MAX_MEMORY_SIZE), then it is streamed
        # to the private storage in chunks, its size counted as it goes.
        try:
            self.read(upload)
        except importexport.ImportFileError as error:
            return self.render_form(request, str(error), status=400)
        options = self.upload_options(request)
        if isinstance(options, str):
            return self.render_form(request, options, status=400)
        try:
            job = import_jobs.create_job(self.kind, request.user, upload.name, upload, options)
        except import_jobs.UploadTooLarge as error:
            return self.render_form(request, str(error), status=400)
        enqueue_job(job)
        return redirect(self.job_url("job", job))


class MediationSiteImportJobView(CsvImportMixin, View):
    """A job's page: its progress while it runs, its preview and the choices once
    checked, its result once imported, a clear message if it failed."""

    def get(self, request, job_id):
        job = self.get_job_or_none(request, job_id)
        if job is None:
            return self.render_missing(request)
        return self.render_job(request, job)


class MediationSiteImportStatusView(CsvImportMixin, View):
    """The small JSON the progress page polls every second."""

    def get(self, request, job_id):
        job = self.get_job_or_none(request, job_id)
        if job is None:
            return JsonResponse({"error": _("This import is not available.")}, status=404)
        payload = import_jobs.status_payload(job)
        payload["url"] = self.job_url("job", job)
        return JsonResponse(payload)


class MediationSiteImportConfirmView(CsvImportMixin, View):
    """Confirm a checked job (with the options chosen), or try a failed one again.
    A second click finds the job already confirmed and starts nothing."""

    def post(self, request, job_id):
        job = self.get_job_or_none(request, job_id)
        if job is None:
            return self.render_missing(request)
        if job.status == ImportStatus.FAILED:
            if import_jobs.retry(job):
                enqueue_job(job)
            return redirect(self.job_url("job", job))
        if job.status == ImportStatus.INTERRUPTED:
            # "Relancer": of two clicks (or two instances), one only queues it again.
            if import_jobs.relaunch(job):
                enqueue_job(job)
            return redirect(self.job_url("job", job))
        if request.POST.get("action") == "cancel":
            return self.cancel(request, job)
        if import_jobs.confirm(job, self.confirm_options(request, job)):
            enqueue_job(job)
            job.refresh_from_db()
            self.add_result_messages(request, job)
        elif job.phase == ImportPhase.IMPORT:
            messages.info(request, _("This import was already confirmed: it runs only once."))
        return redirect(self.job_url("job", job))

    def cancel(self, request, job):
        """Import nothing: the job is closed, its stored file deleted."""
        if job.phase == ImportPhase.PREVIEW and job.status == ImportStatus.DONE:
            import_jobs.close_without_import(job)
            messages.info(request, _("Nothing was imported."))
        return redirect(self.job_url("job", job))

    def add_result_messages(self, request, job):
        if job.status != ImportStatus.DONE:
            return  # the worker runs it: the job's page follows its progress
        report = import_jobs.StoredReport(job.report)
        if not report.applied:
            messages.error(request, _("Nothing was imported."))
            return
        messages.success(
            request, self.done_message % {"created": report.created, "updated": report.updated}
        )
        if report.rejected:
            messages.warning(
                request,
                _("%(rejected)s row(s) were rejected and not imported (see the result).")
                % {"rejected": report.rejected},
            )


class MediationSiteImportFixFileView(CsvImportMixin, View):
    """The rows refused or warned, as uploaded, with their reasons ("motifs")."""

    def get(self, request, job_id):
        job = self.get_job_or_none(request, job_id)
        if job is None or not job.fix_file_name:
            return self.render_missing(request)
        storage = import_jobs.private_storage()
        if not storage.exists(job.fix_file_name):
            return self.render_missing(request)
        # Streamed from the private storage (a folder or a private bucket), never
        # redirected to a URL of it: who may read it is decided here, and only here.
        return FileResponse(
            storage.open(job.fix_file_name, "rb"),
            as_attachment=True,
            filename=import_jobs.fix_file_download_name(job),
            content_type=importexport.CSV_CONTENT_TYPE,
        )


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
