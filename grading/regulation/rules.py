"""The college's grading configuration (REGULATIONS.md §11).

The one rule set lives in the platform (`vetschool.regulation.values`) because degrees,
training and enrollment read it too; grading keeps its old names here.
"""

from vetschool.regulation.values import (
    DEFAULT_RULES,
    ClassBand,
    DurationBracket,
    GradingRules,
    LetterBand,
)

__all__ = ["DEFAULT_RULES", "ClassBand", "DurationBracket", "GradingRules", "LetterBand"]
