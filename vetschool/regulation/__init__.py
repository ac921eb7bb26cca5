"""The regulation's rule set, one object for every app (REGULATIONS.md §11).

`values` holds the pure `GradingRules` dataclass (defaults = the regulation); `config`
builds the running one from `settings.GRADING_RULES` (`rules_in_force()`), checks it at
start-up (`grading.E001`) and writes it as JSON (`rules_as_settings`).
"""

from vetschool.regulation.values import (
    AVERAGE,
    CLASS_LEVELS,
    COLLEGE,
    DEFAULT_RULES,
    EXCELLENT,
    GOOD,
    INTERMEDIATE,
    VERY_GOOD,
    ClassBand,
    DurationBracket,
    GradingRules,
    LetterBand,
)

__all__ = [
    "AVERAGE", "CLASS_LEVELS", "COLLEGE", "DEFAULT_RULES", "EXCELLENT", "GOOD", "INTERMEDIATE",
    "VERY_GOOD", "ClassBand", "DurationBracket", "GradingRules", "LetterBand",
]
