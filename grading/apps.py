from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grading"
    verbose_name = _("Grading")

    def ready(self):
        # Registers the start-up check of GRADING_RULES (grading.E001).
        # A disciplinary decision recorded or revoked changes semester classifications (§2.4).
        from enrollment.signals import conduct_changed
        from grading import config  # noqa: F401
        from grading.services.results import recompute_after_conduct

        conduct_changed.connect(recompute_after_conduct, dispatch_uid="grading.conduct")
