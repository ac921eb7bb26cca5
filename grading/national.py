"""How module results and term summaries are pushed to the national database."""

from enrollment.models import Enrollment, Learner
from grading.models import ModuleResult, TermSummary
from training.models import Module
from vetschool.sync.registry import ids_whose_value_changed, record


def _enrollment_key(enrollment: Enrollment) -> dict:
    return {
        "national_id": enrollment.learner.national_id,
        "occupation_code": enrollment.occupation.code,
        "level": enrollment.level,
    }


# The fields _enrollment_key reads (for the querysets' only()).
_ENROLLMENT_KEY = ("enrollment__learner__national_id", "enrollment__occupation__code",
                   "enrollment__level")


def _of_learners(model):
    # A changed personal ID re-keys every record of the learner; nothing else of the
    # learner is in these records, so a renamed learner re-queues none of them.
    def mapper(rows):
        ids = ids_whose_value_changed(rows, "national_id")
        return model.objects.filter(enrollment__learner_id__in=ids).values_list("pk", flat=True)

    return mapper


@record("module_result", model=ModuleResult,
        sources={Learner: _of_learners(ModuleResult),
                 Module: lambda rows: ModuleResult.objects.filter(
                     module_id__in=[row["id"] for row in rows]).values_list("pk", flat=True)},
        # Only the columns build reads: a full push builds ~800,000 of these.
        queryset=lambda qs: qs.select_related(
            "enrollment__learner", "enrollment__occupation", "module", "term__school_year",
        ).only(*_ENROLLMENT_KEY, "module__code", "module__name_vi", "credits", "counts_in_gpa",
               "score_10", "score_4", "letter", "passed", "attempts", "term__number",
               "term__school_year__start_year"))
def module_result_record(result: ModuleResult):
    learner = result.enrollment.learner
    if not learner.national_id or result.score_10 is None or result.term is None:
        return None  # the contract carries results that have a counted score
    return {**_enrollment_key(result.enrollment), "module_code": result.module.code}, {
        "module_name": result.module.name_vi,
        "credits": result.credits,
        "counts_in_gpa": result.counts_in_gpa,
        "score_10": result.score_10,
        "score_4": result.score_4,
        "letter": result.letter,
        "passed": result.passed,
        "attempts": max(result.attempts, 1),
        "academic_year": result.term.school_year.name,
        "semester": result.term.number,
    }


@record("term_summary", model=TermSummary,
        sources={Learner: _of_learners(TermSummary)},
        queryset=lambda qs: qs.select_related(
            "enrollment__learner", "enrollment__occupation", "semester__school_year",
        ).only(*_ENROLLMENT_KEY, "semester__number", "semester__school_year__start_year",
               "credits_earned", "gpa_4", "cumulative_credits_earned", "cumulative_gpa_4",
               "standing"))
def term_summary_record(summary: TermSummary):
    learner = summary.enrollment.learner
    if not learner.national_id:
        return None
    return {
        **_enrollment_key(summary.enrollment),
        "academic_year": summary.semester.school_year.name,
        "semester": summary.semester.number,
    }, {
        "credits_earned": summary.credits_earned,
        "gpa_4": summary.gpa_4,
        "cumulative_credits": summary.cumulative_credits_earned,
        "cumulative_gpa_4": summary.cumulative_gpa_4,
        "standing": summary.standing,
    }
