"""The generic kind ("Formulaire libre"): any form an editor builds publishes; its
answers land in one editable, filterable, exportable listing per form.

A kind in one package: the model (models.py), the kind and its permissions
(here), the admin (admin.py, found by forms.wagtail_hooks) and the export
(resources.py). Nothing outside this package names it.
"""

from django.utils.translation import gettext_lazy as _

from content.enums import NotificationEvent
from forms.engine.kinds import FormKind, register
from forms.kinds.generic.models import FormAnswer, purge_closed_answers
from portal.roles import COORDINATION, grant

GENERIC = register(
    FormKind(
        code="generic",
        label=_("Free form"),
        model=FormAnswer,
        reference_prefix="REP",
        email_field="email",
        notification_event=NotificationEvent.FORM_ANSWER,
        generic=True,
        core_fields=(),
        purge=purge_closed_answers,
    )
)

grant(COORDINATION, ["forms.change_formanswer", "forms.view_formanswer"])
