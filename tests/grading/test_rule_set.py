"""One rule set (REGULATIONS §11): every value the code uses comes from GRADING_RULES, and a
band or retake count changed there changes the semester classification (§2.4) and the
graduation classification (§4.2–4.3) the same way. Cases: tests/examples/rule_overrides.csv,
admission_age_overrides.csv, program_min_credits.csv, practice_class_size.csv."""

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from degrees import graduation
from enrollment.eligibility import AdmissionAgeRules, is_old_enough_for_admission
from grading import regulation
from grading.config import grading_rules, rules_as_settings, rules_from
from vetschool.regulation import DEFAULT_RULES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _rows(name):
    with (EXAMPLES / name).open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return pytest.mark.parametrize("row", rows, ids=[row["id"] for row in rows])


def _rules(row):
    return rules_from(json.loads(row["overrides"]) if row["overrides"] else {})


@_rows("rule_overrides.csv")
def test_a_rule_change_moves_semester_and_graduation_classification_together(row):
    rules = _rules(row)
    gpa = Decimal(row["cumulative_gpa_4"])
    retaken = int(row["retaken_modules"])
    disciplined = row["discipline"] in ("warning", "suspension", "expulsion")

    semester = regulation.semester_classification(
        gpa, retaken_modules=retaken, disciplined_warning_or_higher=disciplined, rules=rules)
    final = graduation.classify_graduation(
        cumulative_gpa_4=gpa, retaken_modules=retaken, restudied_credits=0, program_credits=90,
        discipline_during_study=row["discipline"], rules=graduation.GraduationRules.of(rules))

    assert semester.level == row["expected_semester_level"]
    assert (final.classification or "") == row["expected_graduation_classification"]
    assert final.downgraded is (row["expected_downgraded"] == "true")
    if final.classification is not None:
        # The same bands and counts: a graduate's class is the semester one at that GPA.
        assert final.classification == semester.level
        assert final.downgraded is semester.downgraded


def test_the_graduation_rules_of_the_default_rule_set_are_the_regulation():
    rules = graduation.GraduationRules.of(DEFAULT_RULES)
    assert rules == graduation.GraduationRules()
    assert rules.min_gpa == Decimal("2.00") and rules.restudy_max_ratio == Decimal("0.10")


def test_the_restudy_ratio_is_read_from_the_rule_set():
    strict = graduation.GraduationRules.of(rules_from({"downgrade_restudy_max_ratio": "0.05"}))
    given = {"cumulative_gpa_4": Decimal("3.60"), "retaken_modules": 0, "restudied_credits": 6,
             "program_credits": 90, "discipline_during_study": "none"}
    # 6 of 90 credits: within 10 % (regulation), beyond a configured 5 %.
    assert graduation.classify_graduation(**given).classification == "excellent"
    assert graduation.classify_graduation(**given, rules=strict).classification == "very_good"


@_rows("admission_age_overrides.csv")
def test_admission_ages_come_from_the_rule_set(row):
    rules = AdmissionAgeRules.of(_rules(row))
    old_enough = is_old_enough_for_admission(int(row["birth_year"]), int(row["admission_year"]),
                                             row["level"], rules=rules)
    assert old_enough is (row["expected_old_enough"] == "true")


@_rows("program_min_credits.csv")
def test_program_minimum_credits(row):
    minimum = _rules(row).min_credits(
        row["level"], after_lower_secondary=row["after_lower_secondary"] == "true")
    assert (int(row["credits"]) >= minimum) is (row["expected_allowed"] == "true")


@_rows("practice_class_size.csv")
def test_practice_class_size(row):
    limit = _rules(row).practice_class_max(hazardous=row["hazardous"] == "true")
    assert (int(row["learners"]) <= limit) is (row["expected_allowed"] == "true")


def test_rules_written_as_settings_read_back_the_same():
    changed = rules_from({"class_bands": [["3.60", "excellent"], ["3.20", "very_good"],
                                          ["2.50", "good"], ["2.00", "average"]],
                          "min_age_college": 18, "checks_weight": "0.3", "exam_weight": "0.7"})
    written = rules_as_settings(changed)
    assert json.loads(json.dumps(written)) == written
    assert written["class_bands"][0] == ["3.60", "excellent"]
    assert rules_from(written) == changed


@pytest.mark.parametrize(("overrides", "names"), [
    ({"class_bands": [["3.50", "excellent"], ["3.00", "very_good"], ["2.50", "good"]]},
     "class_bands"),
    ({"downgrade_retakes": [["good", 1]]}, "downgrade_retakes"),
    ({"graduation_min_gpa": "1.90"}, "graduation_min_gpa"),
    ({"practice_class_max_learners_hazardous": 20}, "practice_class_max_learners_hazardous"),
    ({"main_semester_min_weeks": 0}, "main_semester_min_weeks"),
    ({"min_credits_intermediate_lower_secondary": "50"},
     "min_credits_intermediate_lower_secondary"),
    ({"min_age_colege": 17}, "min_age_colege"),
])
def test_a_bad_rule_is_refused_naming_it(overrides, names):
    with pytest.raises(ImproperlyConfigured) as caught:
        rules_from(overrides)
    assert names in str(caught.value)


# The rules read through a helper method of GradingRules rather than by name.
HELPERS = {
    "semester_min_weeks(": {"main_semester_min_weeks", "sub_semester_min_weeks"},
    "practice_class_max(": {"practice_class_max_learners",
                            "practice_class_max_learners_hazardous"},
    "retakes_lowering(": {"downgrade_retakes"},
    "min_credits(": {"min_credits_college", "min_credits_intermediate",
                     "min_credits_intermediate_lower_secondary"},
}


def test_every_rule_of_the_set_is_read_somewhere():
    """No setting nothing uses (§11): each rule is read by name, or through a helper that is
    called, outside the rule set's own modules."""
    root = Path(__file__).resolve().parents[2]
    own = {root / "vetschool" / "regulation" / "values.py",
           root / "vetschool" / "regulation" / "config.py"}
    sources = "\n".join(path.read_text(encoding="utf-8") for app in
                        ("grading", "degrees", "training", "enrollment", "vetschool")
                        for path in (root / app).rglob("*.py")
                        if path not in own and "migrations" not in path.parts)
    through_helpers = set().union(*(names for helper, names in HELPERS.items()
                                    if helper in sources))
    unused = [name for name in rules_as_settings(DEFAULT_RULES)
              if f".{name}" not in sources and name not in through_helpers]
    assert unused == []


def test_the_running_rules_follow_the_setting(settings):
    settings.GRADING_RULES = {"min_age_college": 18}
    assert grading_rules().min_age_college == 18
    settings.GRADING_RULES = {}
    assert grading_rules() == DEFAULT_RULES
