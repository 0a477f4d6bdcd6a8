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
        # registers its background runner with portal.import_jobs; the loan is offered as
        # what a free-form answer can become (forms.engine.record_targets); the email task is
        # declared safe to re-run to portal.task_recovery, the mail queue's figures
        # given to portal.health.
        from forms.engine.kinds import import_from_kinds
        from forms.engine.models.outgoing_email import OutgoingEmail
        from forms.logistics import answer_targets, import_runner, receivers  # noqa: F401
        from forms.partners import receivers as partner_receivers  # noqa: F401
        from portal.health import register_probe
        from portal.task_recovery import register_rerunnable

        import_from_kinds()
        import_runner.register()
        # What a free-form answer can become (a loan request, a loan).
        answer_targets.register()
        # Sending an email claims its row first: a task a dead worker left may run again.
        register_rerunnable("forms.engine.tasks.send_email")
        # A webhook delivery is marked once delivered: a re-run sends nothing twice.
        register_rerunnable("forms.partners.webhooks.send_webhook")
        # /healthz shows the mail queue: a stuck queue is seen by monitoring.
        register_probe("emails", lambda: OutgoingEmail.objects.queue_health())
