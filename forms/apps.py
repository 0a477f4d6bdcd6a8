from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    """What people submit and what follows from it (form engine, records)."""

    name = "forms"
    label = "forms"
    verbose_name = _("Forms and records")

    def ready(self):
        # Each kind registers itself with the form-kind registry.
        from forms.kinds import generic, handover, pledge, prescription  # noqa: F401
