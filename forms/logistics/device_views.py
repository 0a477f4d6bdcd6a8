"""Admin views for devices, lots and documents (plain Django views, mounted by
forms/wagtail_hooks/devices.py and documents.py)."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages as wagtail_messages

from content.admin_views import (
    CsvImportMixin,
    MediationSiteImportConfirmView,
    MediationSiteImportFixFileView,
    MediationSiteImportJobView,
    MediationSiteImportStatusView,
)
from content.admin_views import MediationSiteImportView as UploadView
from content.models import MediationSite
from forms import access
from forms.enums import DeviceStatus, DeviceType
from forms.kinds.pledge.models import DonorPledge
from forms.logistics import device_import, import_mapping, import_runner
from forms.logistics.models.device import Device
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.models.donor_link import DonorFollowUpLink
from forms.logistics.public_views import pdf_response
from forms.logistics.services import devices as device_services
from forms.logistics.services import documents
from forms.logistics.services.follow_up import send_link
from forms.logistics.services.labels import render_labels
from forms.logistics.services.pdf import PdfRenderError
from portal import import_jobs
from portal.enums import ImportKind, ImportPhase, ImportStatus
from portal.tasks import enqueue_job

DEVICE_INDEX = "forms_device_modeladmin_index"
MAX_LABELS = 600


# Import -------------------------------------------------------------------
class DeviceImportMixin(CsvImportMixin):
    """The devices' import: the sites' flow (upload, background check, choices,
    background import, result) with the devices' templates and choices: which
    refurbisher the file comes from, the columns left over mapped (and remembered
    for that refurbisher), the valid rows only or nothing."""

    kind = ImportKind.DEVICES
    permissions = ["forms.add_device", "forms.change_device"]
    form_template = "forms/admin/device_import.html"
    preview_template = "forms/admin/device_import_preview.html"
    result_template = "forms/admin/device_import_result.html"
    index_url_name = DEVICE_INDEX
    import_url_name = "forms_device_import"
    done_message = gettext_lazy("Import done: %(created)s device(s) created, %(updated)s updated.")

    def read(self, data):
        # Columns may still be mapped in the preview: only an unreadable file is refused here.
        return device_import.read_file(data, check=False)

    def upload_options(self, request):
        value = request.POST.get("refurbisher", "")
        if not value:
            return {}
        refurbisher = (
            import_mapping.refurbishers().filter(pk=value).first() if value.isdigit() else None
        )
        if refurbisher is None:
            return _("Choose the refurbisher from the list.")
        return {"refurbisher": refurbisher.pk}

    def confirm_options(self, request, job):
        return {"partial": request.POST.get("partial") == "1"}

    def form_context(self):
        return {
            "required_columns": device_import.REQUIRED_COLUMNS,
            "columns": device_import.COLUMNS,
            "refurbishers": import_mapping.refurbishers(),
        }

    def current_mapping(self, job):
        refurbisher = import_runner.refurbisher_of(job)
        return refurbisher, {
            **device_import.saved_mapping(refurbisher),
            **(job.options.get("mapping") or {}),
        }

    def mapping_form(self, job, report, data=None):
        refurbisher, current = self.current_mapping(job)
        return import_mapping.ColumnMappingForm(
            data,
            headers=import_mapping.headers_to_map(report, current),
            current=current,
            initial={"refurbisher": refurbisher},
        )

    def preview_context(self, job, report):
        refurbisher, _current = self.current_mapping(job)
        return {
            "mapping_form": self.mapping_form(job, report),
            "mapping_url": self.job_url("mapping", job),
            "refurbisher": refurbisher,
        }


class DeviceImportView(DeviceImportMixin, UploadView):
    pass


class DeviceImportJobView(DeviceImportMixin, MediationSiteImportJobView):
    pass


class DeviceImportStatusView(DeviceImportMixin, MediationSiteImportStatusView):
    pass


class DeviceImportConfirmView(DeviceImportMixin, MediationSiteImportConfirmView):
    pass


class DeviceImportFixFileView(DeviceImportMixin, MediationSiteImportFixFileView):
    pass


class DeviceImportMappingView(DeviceImportMixin, View):
    """Map the columns left over (or ignore them), remember the mapping for the
    refurbisher if asked, and check the file again with it."""

    def post(self, request, job_id):
        job = self.get_job_or_none(request, job_id)
        if job is None:
            return self.render_missing(request)
        if job.phase != ImportPhase.PREVIEW or job.status != ImportStatus.DONE:
            return redirect(self.job_url("job", job))
        report = import_jobs.StoredReport(job.report)
        form = self.mapping_form(job, report, data=request.POST)
        if not form.is_valid():
            return self.render_job(request, job, extra={"mapping_form": form}, status=400)
        refurbisher = form.cleaned_data["refurbisher"]
        mapping = form.mapping()
        if refurbisher is not None and form.cleaned_data["remember"] and mapping:
            device_import.remember_mapping(refurbisher, mapping, by=request.user)
            messages.success(
                request,
                _("Mapping remembered for %(refurbisher)s: its next files are read the same way.")
                % {"refurbisher": refurbisher.name},
            )
        options = {"mapping": mapping, "refurbisher": refurbisher.pk if refurbisher else None}
        if import_jobs.recheck(job, options):
            enqueue_job(job)
        return redirect(self.job_url("job", job))


# Intake from a pledge -----------------------------------------------------
class ReceiveForm(django_forms.Form):
    def __init__(self, *args, initial_counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in DeviceType.choices:
            self.fields[value] = django_forms.IntegerField(
                label=label,
                min_value=0,
                max_value=device_services.MAX_BULK,
                initial=(initial_counts or {}).get(value, 0),
                required=False,
            )


def receive_from_pledge(request, pledge_id):
    if not request.user.has_perm("forms.add_device"):
        raise PermissionDenied
    pledge = get_object_or_404(access.scope(request.user, DonorPledge.objects.all()), pk=pledge_id)
    form = ReceiveForm(request.POST or None, initial_counts=device_services.pledge_counts(pledge))
    if request.method == "POST" and form.is_valid():
        counts = {key: value or 0 for key, value in form.cleaned_data.items()}
        try:
            created = device_services.receive_devices(counts, pledge=pledge, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)s device(s) recorded for %(reference)s, with their inventory codes.")
                % {"count": len(created), "reference": pledge.reference},
            )
            return redirect(reverse(DEVICE_INDEX) + f"?pledge__id__exact={pledge.pk}")
    return TemplateResponse(
        request,
        "forms/admin/receive_devices.html",
        {"form": form, "pledge": pledge, "cancel_url": pledge.admin_url()},
    )


# Labels -------------------------------------------------------------------
SCOPES = {"pledge": "pledge_id", "batch": "batch_id", "lot": "lot_id"}


def device_labels(request):
    if not request.user.has_perm("forms.view_device"):
        raise PermissionDenied
    devices = access.scope(request.user, Device.objects.all())
    scoped = False
    for param, field_name in SCOPES.items():
        value = request.GET.get(param, "")
        if value.isdigit():
            devices = devices.filter(**{field_name: int(value)})
            scoped = True
    codes = [c.strip() for c in request.GET.get("codes", "").split(",") if c.strip()]
    if codes:
        devices = devices.filter(inventory_code__in=codes[:MAX_LABELS])
        scoped = True
    if not scoped:
        raise Http404
    devices = list(devices.order_by("inventory_code")[:MAX_LABELS])
    if not devices:
        messages.warning(request, _("No device to print labels for."))
        return redirect(DEVICE_INDEX)
    response = HttpResponse(render_labels(devices), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="etiquettes.pdf"'
    return response


# Documents ----------------------------------------------------------------
RECORD_MODELS = {"donorpledge", "devicebatch", "lot", "prescription", "handoversheet", "loan"}


def _record(model_name, object_id):
    if model_name not in RECORD_MODELS:
        raise Http404
    content_type = get_object_or_404(ContentType, app_label="forms", model=model_name)
    return get_object_or_404(content_type.model_class(), pk=object_id)


def generate_document(request, kind, model_name, object_id):
    """GET: confirm; POST: render and store the PDF, then back to the record with a
    message and the link to download it. A second click (or a double POST) within
    the minute returns the document just made, not a second one."""
    record = _record(model_name, object_id)
    try:
        document_type = documents.get_type(kind)
    except KeyError:
        raise Http404 from None
    if record._meta.label_lower not in document_type.model_labels:
        raise Http404
    if not document_type.permission(request.user, record):
        raise PermissionDenied
    back_url = request.GET.get("next") or ""
    if not back_url.startswith("/admin/"):
        back_url = record.admin_url() if hasattr(record, "admin_url") else "/admin/"
    if request.method == "POST":
        try:
            document = documents.render_document(kind, record, by=request.user, reuse_recent=True)
        except PdfRenderError:
            messages.error(request, _("The document could not be generated. Try again later."))
            return redirect(back_url)
        except documents.DocumentRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(back_url)
        wagtail_messages.success(
            request,
            _("%(document)s generated for %(reference)s.")
            % {"document": document_type.label, "reference": record.reference},
            buttons=[
                wagtail_messages.button(
                    reverse("forms_document_download", args=[document.pk]), _("Download the PDF")
                )
            ],
        )
        return redirect(back_url)
    return TemplateResponse(
        request,
        "forms/admin/generate_document.html",
        {"record": record, "document_type": document_type, "back_url": back_url},
    )


def download_document(request, document_id):
    document = get_object_or_404(GeneratedDocument, pk=document_id)
    if not documents.can_view(request.user, document):
        raise PermissionDenied
    return pdf_response(document)


# Donor follow-up links ----------------------------------------------------
def send_follow_up_link(request, pledge_id):
    if not request.user.has_perm("forms.add_donorfollowuplink"):
        raise PermissionDenied
    pledge = get_object_or_404(access.scope(request.user, DonorPledge.objects.all()), pk=pledge_id)
    if request.method == "POST":
        send_link(pledge, by=request.user)
        messages.success(
            request,
            _("A private follow-up link was sent to %(email)s.") % {"email": pledge.contact_email},
        )
        return redirect(pledge.admin_url())
    return TemplateResponse(request, "forms/admin/send_follow_up_link.html", {"pledge": pledge})


def revoke_follow_up_link(request, link_id):
    if not request.user.has_perm("forms.change_donorfollowuplink"):
        raise PermissionDenied
    link = get_object_or_404(
        access.scope(request.user, DonorFollowUpLink.objects.all()), pk=link_id
    )
    if request.method == "POST":
        link.revoke(by=request.user)
        messages.success(request, _("The follow-up link was revoked: it no longer opens."))
    return redirect(link.pledge.admin_url())


# Site stock ---------------------------------------------------------------
def site_stock(request):
    """Allocated devices of the user's sites (coordinators: their campaigns' devices)."""
    user = request.user
    if not user.has_perm("forms.view_site_stock"):
        raise PermissionDenied
    allocated = access.scope(
        user, Device.objects.filter(status=DeviceStatus.ALLOCATED, site__isnull=False)
    )
    sites = MediationSite.objects.filter(pk__in=allocated.values("site"))
    sites = list(sites.order_by("nom")[:200])
    devices = (
        allocated.filter(site__in=sites)
        .select_related("site", "lot")
        .order_by("site__nom", "inventory_code")
    )
    return TemplateResponse(
        request, "forms/admin/site_stock.html", {"sites": sites, "devices": devices}
    )
