from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grading"
    verbose_name = _("Grading")

    def ready(self):
        # Registers the start-up check of GRADING_RULES (grading.E001).
        from grading import config  # noqa: F401
