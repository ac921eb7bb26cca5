"""The college's rule set: the one place the running system reads it from.

`rules_in_force()` returns `vetschool.regulation.GradingRules` with the regulation's values
(REGULATIONS.md §11) overridden by `settings.GRADING_RULES` — a dict keyed by the field
names of GradingRules, filled from the GRADING_RULES / GRADING_RULES_FILE environment
variables (JSON). Numbers may be given as strings ("0.70") and are read as Decimal, never
through float. A value the rules refuse (weights not summing to 1, bands out of order…)
stops the system at start-up through the system check `grading.E001`.

Example::

    GRADING_RULES='{"min_exam_score": "3.0", "outstanding_f_max_credits": 20,
                    "letter_bands": [["8.5", "A", "4.0"], ["7.0", "B", "3.0"],
                                     ["5.5", "C", "2.0"], ["4.0", "D", "1.0"],
                                     ["0.0", "F", "0.0"]]}'
"""

from __future__ import annotations

import dataclasses
import functools
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from vetschool.regulation.values import ClassBand, DurationBracket, GradingRules, LetterBand


def _decimal(value, name: str) -> Decimal:
    if isinstance(value, float):
        raise ImproperlyConfigured(
            f"GRADING_RULES[{name!r}]: give decimals as strings (\"0.70\"), not floats"
        )
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ImproperlyConfigured(f"GRADING_RULES[{name!r}]: {value!r} is not a number") from exc


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImproperlyConfigured(f"GRADING_RULES[{name!r}]: {value!r} is not a whole number")
    return value


def _pairs(value, name: str, convert):
    try:
        return tuple((first, convert(second, name)) for first, second in value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"GRADING_RULES[{name!r}]: expected pairs") from exc


def _convert(name: str, value, default):
    """Read one override in the type of the field's default value."""
    if name == "letter_bands":
        return tuple(LetterBand(_decimal(low, name), str(letter), _decimal(points, name))
                     for low, letter, points in value)
    if name == "class_bands":
        return tuple(ClassBand(_decimal(low, name), str(level)) for low, level in value)
    if name == "duration_brackets":
        return tuple(DurationBracket(_int(low, name), _int(high, name), _decimal(mult, name))
                     for low, high, mult in value)
    if name in ("semester_gpa_warning", "cumulative_gpa_warning"):
        return tuple((_int(start, name), limit) for start, limit in _pairs(value, name,
                                                                           _decimal))
    if name == "downgrade_retakes":
        return _pairs(value, name, _int)
    if name == "min_exam_score":
        return None if value is None else _decimal(value, name)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ImproperlyConfigured(f"GRADING_RULES[{name!r}]: use true or false")
        return value
    if isinstance(default, Decimal):
        return _decimal(value, name)
    if isinstance(default, int):
        return _int(value, name)
    return value


def rules_from(overrides: dict) -> GradingRules:
    """GradingRules with `overrides` applied; ImproperlyConfigured on any bad value."""
    fields = {field.name: field for field in dataclasses.fields(GradingRules)}
    unknown = sorted(set(overrides) - set(fields))
    if unknown:
        raise ImproperlyConfigured(f"GRADING_RULES: unknown setting(s) {', '.join(unknown)}")
    defaults = GradingRules()
    values = {name: _convert(name, value, getattr(defaults, name))
              for name, value in overrides.items()}
    try:
        return dataclasses.replace(defaults, **values)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"GRADING_RULES: {exc}") from exc


@functools.cache
def rules_in_force() -> GradingRules:
    """The rules every computation of the running system uses."""
    return rules_from(getattr(settings, "GRADING_RULES", {}) or {})


@receiver(setting_changed)
def _forget_rules(*, setting, **kwargs):
    if setting == "GRADING_RULES":
        rules_in_force.cache_clear()


def rules_as_settings(rules: GradingRules) -> dict:
    """Every value of `rules` as GRADING_RULES would give it: JSON, Decimals as their exact
    text; `rules_from(rules_as_settings(r)) == r`. Recorded on rule changes and reviews."""
    def plain(value):
        if isinstance(value, Decimal):
            return str(value)
        if dataclasses.is_dataclass(value):
            return [plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
        if isinstance(value, tuple | list):
            return [plain(item) for item in value]
        return value
    return {field.name: plain(getattr(rules, field.name))
            for field in dataclasses.fields(rules)}


@checks.register()
def check_grading_rules(app_configs=None, **kwargs):
    try:
        rules_from(getattr(settings, "GRADING_RULES", {}) or {})
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="See docs/grading.md, 'Rules and settings'.",
                             id="grading.E001")]
    return []
