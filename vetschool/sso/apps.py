from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vetschool.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self):
        # Connect the second-factor signal receiver and register the system checks.
        from vetschool.sso import checks, second_factor  # noqa: F401
