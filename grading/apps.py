from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def record_rules_after_migrate(sender, using="default", **kwargs):
    # Every deployment migrates: a change of GRADING_RULES is recorded there (§11).
    from django.db import connections

    from grading.models import RuleSetChange
    from grading.services.rulesets import rule_set_record

    table = RuleSetChange._meta.db_table
    # Not when grading was migrated back below the table's migration.
    if using == "default" and table in connections[using].introspection.table_names():
        rule_set_record()


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

        post_migrate.connect(record_rules_after_migrate, sender=self,
                             dispatch_uid="grading.record_rules")

        conduct_changed.connect(recompute_after_conduct, dispatch_uid="grading.conduct")
