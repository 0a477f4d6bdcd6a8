"""The generic kind ("Formulaire libre"): any form an editor builds publishes; its
answers land in one editable, filterable, exportable listing per form."""

from django.utils.translation import gettext_lazy as _

from forms.kinds import FormKind, register
from forms.models import FormAnswer

GENERIC = register(
    FormKind(
        code="generic",
        label=_("Free form"),
        model=FormAnswer,
        reference_prefix="REP",
        email_field="email",
        generic=True,
        core_fields=(),
    )
)
