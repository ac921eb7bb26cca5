"""Admission eligibility rules — REGULATIONS §10.

Pure rules over plain values. §10.1's ages are the project's `DEFAULT` (no legal minimum was
found), so they are rules of the one rule set (`min_age_intermediate`, `min_age_college`,
REGULATIONS §11), which the services pass in (`AdmissionAgeRules.of(rules_in_force())`).
"""

from __future__ import annotations

from dataclasses import dataclass

from vetschool.regulation.values import DEFAULT_RULES, GradingRules

INTERMEDIATE = "intermediate"
COLLEGE = "college"
LEVELS = (INTERMEDIATE, COLLEGE)


@dataclass(frozen=True)
class AdmissionAgeRules:
    """§10.1 minimum age per level (`min_age` in §11); there is no maximum."""

    # Entry after lower secondary school.
    intermediate_min_age: int = DEFAULT_RULES.min_age_intermediate
    college_min_age: int = DEFAULT_RULES.min_age_college

    @classmethod
    def of(cls, rules: GradingRules) -> AdmissionAgeRules:
        return cls(intermediate_min_age=rules.min_age_intermediate,
                   college_min_age=rules.min_age_college)

    def min_age(self, level: str) -> int:
        if level == INTERMEDIATE:
            return self.intermediate_min_age
        if level == COLLEGE:
            return self.college_min_age
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")


DEFAULT_ADMISSION_AGE_RULES = AdmissionAgeRules()


def age_in_admission_year(birth_year: int, admission_year: int) -> int:
    # §10.1: the Vietnamese convention counts years, not birthdays.
    return admission_year - birth_year


def is_old_enough_for_admission(
    birth_year: int,
    admission_year: int,
    level: str,
    *,
    rules: AdmissionAgeRules = DEFAULT_ADMISSION_AGE_RULES,
) -> bool:
    return age_in_admission_year(birth_year, admission_year) >= rules.min_age(level)
