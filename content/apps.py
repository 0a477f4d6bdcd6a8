from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Public content")

    def ready(self):
        # Imported once the models are loaded (Django's rule for ready()): the sites'
        # admin import registers its background runner with portal.import_jobs.
        from content import import_runner

        import_runner.register()
