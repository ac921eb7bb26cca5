"""How module results and term summaries are pushed to the national database."""

from django.db.models import Prefetch

from enrollment.models import Enrollment, Learner
from grading.models import ModuleResult, TermSummary
from training.models import Module, Semester
from vetschool.sync.registry import ids_whose_value_changed, record


def _enrollment_key(enrollment: Enrollment) -> dict:
    return {
        "national_id": enrollment.learner.national_id,
        "occupation_code": enrollment.occupation.code,
        "level": enrollment.level,
    }


def _enrollments():
    # The fields _enrollment_key reads. Prefetched, not joined: a chunk of 1000 results
    # belongs to ~25 enrolments, so 25 enrolments, learners and occupations are built
    # instead of 1000 of each (model instances were half of a full push's build time).
    return Prefetch("enrollment", Enrollment.objects.select_related("learner", "occupation")
                    .only("level", "learner__national_id", "occupation__code"))


def _semesters(field: str):
    return Prefetch(field, Semester.objects.select_related("school_year")
                    .only("number", "school_year__start_year"))


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
        # Only the columns build reads: a full push builds ~800,000 of these. The few
        # enrolments, modules and terms of a chunk are read once each (prefetched).
        queryset=lambda qs: qs.only(
            "enrollment_id", "module_id", "term_id", "credits", "counts_in_gpa", "score_10",
            "score_4", "letter", "passed", "attempts",
        ).prefetch_related(_enrollments(), Prefetch("module", Module.objects.only(
            "code", "name_vi")), _semesters("term")))
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
        queryset=lambda qs: qs.only(
            "enrollment_id", "semester_id", "credits_earned", "gpa_4",
            "cumulative_credits_earned", "cumulative_gpa_4", "standing",
        ).prefetch_related(_enrollments(), _semesters("semester")))
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
