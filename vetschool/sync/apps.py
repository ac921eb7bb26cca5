from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vetschool.sync"
    label = "sync"
    verbose_name = _("National database sync")

    def ready(self):
        from vetschool.sync import checks, registry, triggers  # noqa: F401 (checks register)

        # Each app's national.py registers its record types, as admin.py registers models.
        registry.autodiscover()
        # After every migrate (all apps' tables exist then): triggers on every source table.
        post_migrate.connect(triggers.install_after_migrate, sender=self,
                             dispatch_uid="vetschool.sync.triggers")
