from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Imported once the app registry is ready, as Django asks of ready().
        from portal import page_cache
        from portal.bounds import register_admin_bounds
        from portal.roles import sync_roles_after_migrate
        from portal.sanitise import sanitise_instance

        page_cache.connect_signals()
        post_migrate.connect(sync_roles_after_migrate, sender=self)
        pre_save.connect(sanitise_instance, dispatch_uid="portal.sanitise")
        register_admin_bounds()
