"""The college's grading rules: `grading_rules()` is the one rule set in force.

It is built in the platform (`vetschool.regulation.config`, where degrees, training and
enrollment read it too) from `settings.GRADING_RULES`, and checked at start-up
(`grading.E001`); importing this module from `GradingConfig.ready` registers that check.
"""

from vetschool.regulation.config import (
    check_grading_rules,
    rules_as_settings,
    rules_from,
    rules_in_force,
)

grading_rules = rules_in_force

__all__ = ["check_grading_rules", "grading_rules", "rules_as_settings", "rules_from",
           "rules_in_force"]
