"""Admin of loans (scoped to the user's sites) and of the refurbishing chain."""

from django import forms
from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import CreateView

from content.models import Organisation
from forms import access
from forms.engine.admin_forms import ScopedChoicesForm
from forms.engine.panels import StatusPanel
from forms.engine.record_admin import RecordAdmin
from forms.engine.record_targets import prefilled_values
from forms.enums import DeviceStatus, LoanStatus
from forms.kinds.generic.models import FormAnswer
from forms.kinds.prescription.models import Prescription
from forms.logistics import loan_views
from forms.logistics.answer_targets import SOURCE_ANSWER_PARAM
from forms.logistics.loan_panels import LoanPanel, SourceAnswerPanel
from forms.logistics.models.device import Device
from forms.logistics.models.loan import Loan
from forms.logistics.services.loans import start_loan

OVERDUE_PARAM = "overdue"


class OverdueFilter(SimpleListFilter):
    title = gettext_lazy("due date")
    parameter_name = OVERDUE_PARAM

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("Overdue")), ("soon", gettext_lazy("Due within 7 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.overdue(today)
        if self.value() == "soon":
            return queryset.ongoing().filter(
                due_date__gte=today, due_date__lte=today + timezone.timedelta(days=7)
            )
        return queryset


class LoanForm(ScopedChoicesForm):
    """New loans lend a ready device; the device of an existing loan does not change."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "device" in self.fields:
            if self.instance.pk:
                self.fields["device"].disabled = True
            else:
                ready = Device.objects.filter(status=DeviceStatus.READY)
                if for_user is not None:
                    ready = access.scope(for_user, ready)
                self.fields["device"].queryset = ready.order_by("inventory_code")
        if "prescription" in self.fields and for_user is not None:
            self.fields["prescription"].queryset = access.scope(
                for_user, Prescription.objects.all()
            )
        # The loan request it is created from: carried by a hidden field (no panel
        # claims it, so Wagtail renders it bare), never changed afterwards.
        self.fields["source_answer"] = forms.ModelChoiceField(
            queryset=access.scope(for_user, FormAnswer.objects.all())
            if for_user is not None
            else FormAnswer.objects.none(),
            required=False,
            widget=forms.HiddenInput,
            disabled=bool(self.instance.pk),
        )
        self.initial.setdefault("source_answer", self.instance.source_answer_id)
        if "association" in self.fields:  # scoped by ScopedChoicesForm, ordered here
            self.fields["association"].queryset = self.fields["association"].queryset.order_by(
                "name"
            )

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:  # before the model's rules: a request may stand for a prescription
            self.instance.source_answer = cleaned.get("source_answer")
        return cleaned


class LoanCreateView(CreateView):
    def get_instance(self):
        """A new loan prefilled from the free-form answer it is created from
        (``?reponse=<id>``: an answer the person sees, whose form becomes loans)."""
        instance = super().get_instance()
        answer_id = self.request.GET.get(SOURCE_ANSWER_PARAM, "")
        if instance.pk or not answer_id.isdigit():
            return instance
        answer = (
            access.scope(self.request.user, FormAnswer.objects.filter(pk=answer_id))
            .select_related("form_page")
            .first()
        )
        page = answer.form_page.specific if answer and answer.form_page_id else None
        if page is None or page.record_target != "loan":
            return instance
        instance.source_answer = answer
        instance.campaign_id = answer.campaign_id
        for name, value in prefilled_values(page, answer).items():
            try:
                setattr(instance, name, Loan._meta.get_field(name).to_python(value))
            except ValidationError:
                continue  # an answer that does not fit the field is left for staff to type
        return instance

    def form_valid(self, form):
        loan = form.save(commit=False)
        try:
            self.instance = start_loan(loan, by=self.request.user)
        except ValidationError as error:
            loan_views._apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Loan %(reference)s started: the device %(code)s is lent.")
            % {"reference": self.instance.reference, "code": self.instance.device.inventory_code},
        )
        return redirect(self.url_helper.get_action_url("edit", self.instance.pk))


@modeladmin_register
class LoanAdmin(RecordAdmin):
    model = Loan
    site_field = "site"  # site staff see only their site's loans
    menu_label = _("Loans")
    menu_icon = "calendar"
    menu_order = 214
    add_to_admin_menu = True
    create_view_class = LoanCreateView
    list_display = ("reference", "device", "borrower_display", "start_date", "due_date", "status")
    list_filter = (OverdueFilter, "status", "borrower_kind", "campaign", "site")
    list_select_related = ("device", "prescription", "association")
    search_fields = ("reference", "device__inventory_code", "borrower_name", "association__name")
    list_export = ()
    panels = [
        StatusPanel(),
        LoanPanel(),
        SourceAnswerPanel(),
        FieldPanel("device"),
        MultiFieldPanel(
            [
                FieldPanel("borrower_kind"),
                FieldRowPanel([FieldPanel("prescription"), FieldPanel("family_quotient")]),
                FieldRowPanel([FieldPanel("association"), FieldPanel("borrower_name")]),
                FieldPanel("borrower_email"),
            ],
            heading=gettext_lazy("Borrower"),
        ),
        FieldRowPanel([FieldPanel("site"), FieldPanel("campaign")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("due_date")]),
        FieldRowPanel([FieldPanel("condition_out"), FieldPanel("agreement_signed_on")]),
        FieldPanel("notes"),
    ]

    def get_edit_handler(self):
        handler = super().get_edit_handler()
        handler.base_form_class = LoanForm
        return handler

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            path(
                "forms/loan/<int:loan_id>/return/", loan_views.return_loan, name="forms_loan_return"
            ),
            path(
                "forms/loan/<int:loan_id>/extend/", loan_views.extend_loan, name="forms_loan_extend"
            ),
            path(
                "forms/loan/<int:loan_id>/maintenance/",
                loan_views.add_maintenance,
                name="forms_loan_maintenance",
            ),
        )


Loan.borrower_display.fget.short_description = gettext_lazy("borrower")


class OverdueMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("forms.view_loan")


@hooks.register("register_admin_menu_item")
def register_overdue_loans_menu_item():
    return OverdueMenuItem(
        gettext_lazy("Overdue loans"),
        reverse("forms_loan_modeladmin_index")
        + f"?{OVERDUE_PARAM}=yes&status__exact={LoanStatus.ONGOING}",
        icon_name="warning",
        order=217,
    )


@modeladmin_register
class OrganisationAdmin(ModelAdmin):
    model = Organisation
    menu_label = _("Refurbishing chain")
    menu_icon = "group"
    menu_order = 218
    add_to_admin_menu = True
    list_display = ("name", "city", "department", "is_supplier", "is_refurbisher", "is_prescriber")
    list_filter = ("is_supplier", "is_refurbisher", "is_prescriber", "department", "is_published")
    search_fields = ("name", "siret", "city")
    panels = [
        FieldPanel("name"),
        FieldRowPanel(
            [FieldPanel("is_supplier"), FieldPanel("is_refurbisher"), FieldPanel("is_prescriber")],
            heading=gettext_lazy("Roles"),
        ),
        FieldPanel("siret"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel(
                    [FieldPanel("postcode"), FieldPanel("city"), FieldPanel("department")]
                ),
            ],
            heading=gettext_lazy("Address"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
            ],
            heading=gettext_lazy("Contact"),
        ),
        FieldPanel("website"),
        FieldPanel("description"),
        FieldPanel("is_published"),
    ]
