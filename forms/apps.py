from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    """What people submit and what follows from it (form engine, records)."""

    name = "forms"
    label = "forms"
    verbose_name = _("Forms and records")

    def ready(self):
        # Imported here, once every model is loaded (Django's rule for ready()): each
        # kind package registers itself; the logistics connect to the kinds' signals and
        # give the campaign pages' live figures their source; the devices' admin import
        # registers its background runner with portal.import_jobs.
        from forms.engine.kinds import import_from_kinds
        from forms.logistics import import_runner, receivers  # noqa: F401

        import_from_kinds()
        import_runner.register()
