"""The records a free-form answer can become, registered with the engine
(forms/engine/record_targets.py) at start-up: a loan request becomes a loan."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forms.access import scope
from forms.engine.record_targets import RecordTarget, register_target
from forms.logistics.models.loan import Loan

SOURCE_ANSWER_PARAM = "reponse"  # /admin/forms/loan/create/?reponse=<answer id>

# What a loan request's questions may fill (a household or an association asking).
LOAN_FIELDS = (
    "borrower_kind",
    "borrower_name",
    "borrower_email",
    "family_quotient",
    "start_date",
    "due_date",
    "notes",
)


def loan_fields():
    return {name: str(Loan._meta.get_field(name).verbose_name) for name in LOAN_FIELDS}


def loan_create_url(answer):
    url = reverse("forms_loan_modeladmin_create")
    return f"{url}?{urlencode({SOURCE_ANSWER_PARAM: answer.pk})}"


def loans_from(answer, user):
    loans = scope(user, Loan.objects.filter(source_answer=answer)).order_by("pk")
    return [(str(loan), loan.admin_url()) for loan in loans]


def register():
    register_target(
        RecordTarget(
            code="loan",
            label=_("Loan"),
            action_label=_("Create the loan"),
            fields=loan_fields,
            create_url=loan_create_url,
            created_from=loans_from,
        )
    )
