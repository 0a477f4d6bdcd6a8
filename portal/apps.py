from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self)
