"""Admin views of a loan: return, extension, maintenance entry (mounted by
forms/wagtail_hooks/loans.py)."""

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms import access
from forms.enums import BorrowerKind, DeviceCondition
from forms.logistics.models.loan import Loan, MaintenanceEntry
from forms.logistics.services import loans as loan_services

DATE_INPUT = django_forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReturnForm(django_forms.Form):
    returned_on = django_forms.DateField(
        label=gettext_lazy("Returned on"), initial=timezone.localdate, widget=DATE_INPUT
    )
    condition_back = django_forms.ChoiceField(
        label=gettext_lazy("Condition when it comes back"), choices=DeviceCondition.choices
    )
    available = django_forms.TypedChoiceField(
        label=gettext_lazy("What becomes of the device"),
        choices=[
            ("1", gettext_lazy("Available again (ready to be lent or allocated)")),
            ("0", gettext_lazy("Retired (recycled)")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=django_forms.RadioSelect,
    )
    note = django_forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=django_forms.Textarea
    )


class ExtendForm(django_forms.Form):
    due_date = django_forms.DateField(label=gettext_lazy("New due date"), widget=DATE_INPUT)
    note = django_forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000)


class MaintenanceForm(django_forms.ModelForm):
    class Meta:
        model = MaintenanceEntry
        fields = ["done_on", "description"]
        widgets = {"done_on": DATE_INPUT}


def _loan(request, loan_id, permission="forms.change_loan"):
    loan = get_object_or_404(Loan.objects.select_related("device", "site"), pk=loan_id)
    if not request.user.has_perm(permission) or not access.can_see(request.user, loan):
        raise PermissionDenied
    return loan


def _render(request, loan, form, title, submit):
    return TemplateResponse(
        request,
        "forms/admin/loan_action.html",
        {
            "loan": loan,
            "form": form,
            "title": title,
            "submit": submit,
            "back_url": loan.admin_url(),
        },
    )


def _apply_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)


def return_loan(request, loan_id):
    loan = _loan(request, loan_id)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan_services.return_loan(
                loan,
                data["condition_back"],
                returned_on=data["returned_on"],
                available=data["available"],
                by=request.user,
                note=data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Loan %(reference)s returned; the device is “%(status)s”.")
                % {"reference": loan.reference, "status": loan.device.get_status_display()},
            )
            return redirect(loan.admin_url())
    return _render(request, loan, form, _("Record the return"), _("Record the return"))


def extend_loan(request, loan_id):
    loan = _loan(request, loan_id)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            loan_services.extend_loan(
                loan, form.cleaned_data["due_date"], by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Loan %(reference)s extended until %(date)s.")
                % {"reference": loan.reference, "date": loan.due_date.strftime("%d/%m/%Y")},
            )
            return redirect(loan.admin_url())
    return _render(request, loan, form, _("Extend the loan"), _("Extend"))


def add_maintenance(request, loan_id):
    loan = _loan(request, loan_id, permission="forms.add_maintenanceentry")
    if loan.borrower_kind != BorrowerKind.ASSOCIATION:
        raise PermissionDenied  # maintenance comes with association loans
    form = MaintenanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.loan = loan
        entry.by = request.user
        entry.save()
        messages.success(
            request, _("Maintenance entry added to %(reference)s.") % {"reference": loan.reference}
        )
        return redirect(loan.admin_url())
    return _render(request, loan, form, _("Add a maintenance entry"), _("Add"))
