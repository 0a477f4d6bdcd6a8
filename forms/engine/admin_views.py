"""Admin views for records: status changes with confirmation, exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import modelform_factory
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX
from wagtail_modeladmin.views import HistoryView, IndexView, InstanceSpecificView

from forms import access
from forms.engine.models.export_log import PersonalDataExport
from forms.engine.models.records import TransitionNotAllowed
from portal.exports import CSV_DELIMITERS, csv_text, xlsx_bytes

EXPORT_FORMATS = {"csv": CSV, "xlsx": XLSX}


class RecordIndexView(IndexView):
    """The list, whose CSV/XLSX downloads go through the model admin's import-export resource."""

    DELIMITER_VAR = "delimiter"  # ?delimiter=comma: a comma-separated CSV
    IGNORED_PARAMS = (*IndexView.IGNORED_PARAMS, DELIMITER_VAR)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if (
            not self.model_admin.get_list_export(self.request)
            or not self.model_admin.resource_class
        ):
            raise PermissionDenied  # this list has no export
        if not self.model_admin.user_can_export(self.request.user):
            raise PermissionDenied
        export_format = EXPORT_FORMATS[spreadsheet_format]()
        resource = self.model_admin.get_export_resource(self.request)
        dataset = resource.export(queryset=queryset)
        if self.model_admin.personal_data:
            PersonalDataExport.objects.create(
                by=self.request.user,
                model=self.model._meta.label,
                export_format=spreadsheet_format,
                filters=self.params.urlencode(),
                row_count=len(dataset),
            )
        if spreadsheet_format == "csv":
            # semicolons by default (French spreadsheets), ?delimiter=comma on request; a BOM
            delimiter = CSV_DELIMITERS.get(self.request.GET.get(self.DELIMITER_VAR, ""), ";")
            data = csv_text(dataset, delimiter=delimiter)
        else:  # numbers and dates as such, on a sheet named after the rows
            data = xlsx_bytes(dataset, resource.sheet_title())
        response = HttpResponse(data, content_type=export_format.get_content_type())
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        filename = f"{self.model_admin.export_filename}-{stamp}.{export_format.get_extension()}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ScopedHistoryView(HistoryView):
    """A record's history: for those who may see the record (model permission and site)."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_has_any_permissions(user) and access.can_see(
            user, self.instance
        )


class StatusTransitionView(InstanceSpecificView):
    """Ask for confirmation, then move the record to the new status (who and when logged)."""

    template_name = "forms/admin/confirm_transition.html"
    to_status = None

    def __init__(self, model_admin, instance_pk, to_status):
        super().__init__(model_admin, instance_pk)
        self.to_status = to_status

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_helper.user_can_edit_obj(request.user, self.instance):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def to_label(self):
        return (
            self.model.Status(self.to_status).label
            if self.to_status in self.model.Status.values
            else ""
        )

    def get_page_title(self):
        return _("Change the status of %(reference)s") % {"reference": self.instance.reference}

    def get(self, request, *args, **kwargs):
        if not self.instance.can_change_by_hand(self.to_status):
            messages.error(
                request, _("This status change is not possible from the current status.")
            )
            return redirect(self.edit_url)
        refusal = self.instance.transition_refusal(self.to_status)
        if refusal:
            messages.error(request, refusal)
            return redirect(self.edit_url)
        return TemplateResponse(
            request, self.template_name, self.get_context_data(form=self.details_form())
        )

    def details_form(self, data=None):
        """The extra details a status change asks for (e.g. a reason for a refusal)."""
        fields = self.instance.transition_fields(self.to_status)
        if not fields:
            return None
        form_class = modelform_factory(type(self.instance), fields=fields)
        form = form_class(data=data, instance=self.instance, prefix="details")
        for name in fields:
            form.fields[name].required = True
        return form

    def post(self, request, *args, **kwargs):
        note = request.POST.get("note", "").strip()[:2000]
        if not self.instance.can_change_by_hand(self.to_status):
            messages.error(
                request, _("This status change is not possible from the current status.")
            )
            return redirect(self.edit_url)
        form = self.details_form(request.POST)
        if form is not None and not form.is_valid():
            return TemplateResponse(request, self.template_name, self.get_context_data(form=form))
        details = form.cleaned_data if form is not None else {}
        try:
            self.instance.transition(self.to_status, by=request.user, note=note, **details)
        except TransitionNotAllowed as error:
            messages.error(request, error.messages[0])
            return redirect(self.edit_url)
        messages.success(
            request,
            _("%(reference)s is now “%(status)s”.")
            % {"reference": self.instance.reference, "status": self.to_label},
        )
        return redirect(self.edit_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            instance=self.instance,
            from_label=self.instance.get_status_display(),
            to_label=self.to_label,
            edit_url=self.edit_url,
        )
        return context
