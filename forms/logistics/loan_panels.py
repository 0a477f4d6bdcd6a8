"""The edit-view panel of a loan: what can be done now, and the maintenance log."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel

from forms.enums import BorrowerKind, DocumentKind, LoanStatus
from forms.logistics.models.documents import GeneratedDocument
from forms.logistics.services import documents


class LoanPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Loan: return, extension, maintenance"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/loan_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            loan = self.instance
            user = self.request.user
            actions = []
            if loan.status == LoanStatus.ONGOING and user.has_perm("forms.change_loan"):
                actions.append(
                    (_("Record the return"), reverse("forms_loan_return", args=[loan.pk]))
                )
                actions.append((_("Extend the loan"), reverse("forms_loan_extend", args=[loan.pk])))
            association = loan.borrower_kind == BorrowerKind.ASSOCIATION
            if association and user.has_perm("forms.add_maintenanceentry"):
                actions.append(
                    (
                        _("Add a maintenance entry"),
                        reverse("forms_loan_maintenance", args=[loan.pk]),
                    )
                )
            agreement = documents.get_type(DocumentKind.LOAN_AGREEMENT)
            if agreement.permission(user, loan):
                back = urlencode({"next": self.request.path})
                actions.append(
                    (
                        _("Generate: %(document)s") % {"document": agreement.label},
                        reverse("forms_document_generate", args=[agreement.kind, "loan", loan.pk])
                        + f"?{back}",
                    )
                )
            context.update(
                loan=loan,
                actions=actions,
                association=association,
                maintenance=list(loan.maintenance.select_related("by")[:100]),
                documents=list(GeneratedDocument.for_record(loan)[:20]),
            )
            return context


class SourceAnswerPanel(Panel):
    """The loan request (a free-form answer) the loan was created from."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Loan request"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "forms/admin/source_answer_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.source_answer_id)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["answer"] = self.instance.source_answer
            return context
