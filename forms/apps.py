from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    """What people submit and what follows from it (form engine, records)."""

    name = "forms"
    label = "forms"
    verbose_name = _("Forms and records")

    def ready(self):
        # Each kind (a module or a package of forms/kinds/) registers itself.
        from forms.kinds import import_from_kinds

        import_from_kinds()

        # The live key figures of campaign pages count this app's records.
        from content.metrics import register_metric_source
        from forms.services.figures import campaign_metrics

        register_metric_source(campaign_metrics)
