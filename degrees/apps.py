from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DegreesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "degrees"
    verbose_name = _("Degrees")

    def ready(self):
        from degrees import checks  # noqa: F401 (registers the system checks)
