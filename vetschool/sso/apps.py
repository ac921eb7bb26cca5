from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vetschool.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self):
        from vetschool.sso import second_factor  # noqa: F401  (connects its signal receiver)
