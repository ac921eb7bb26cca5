"""Results by the training regulation, recomputed from approved data (REGULATIONS §1.7–§3).

`rounds_refresh` turns a gradebook's approved cells into study rounds (LearnerRound);
`results_recompute` turns an enrolment's rounds into module results and semester summaries
(GPA, credits, standing, classification). Both run inside the approving or amending
transaction, write only the rows whose values changed (pghistory keeps the previous
versions), and take a few queries per chunk of enrolments however many rows they touch.

The arithmetic is grading.regulation's and the per-enrolment computation grading.computation's
(pure); this module reads their inputs and writes what changed.
Choices the regulation leaves open are the project's DEFAULTs, listed in docs/grading.md:
a round whose learner could not sit the exam enters that semester's GPA as an F (0.0); a
summer term counts with the main semester before it; the semester index counts the main
semesters with results (reserved semesters have none).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pghistory
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import (
    LOWERING_DISCIPLINE,
    DisciplineRecord,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
)
from grading import regulation, tasks
from grading.computation import (
    EnrollmentFacts,
    ModuleInfo,
    RoundData,
    TermInfo,
    compute_enrollment,
    term_of_date,
)
from grading.config import grading_rules
from grading.documents import transcripts_queue
from grading.models import (
    Gradebook,
    LearnerRound,
    ModuleExemption,
    ModuleResult,
    StandingReview,
    StandingReviewJob,
    TermSummary,
)
from grading.rules import require_office
from grading.services import stamps
from grading.sheet import Sheet, load_sheet
from training.models import EnrollmentProgram, Module, SectionLearnerSource, Semester
from training.models.calendar import SUMMER_TERM
from vetschool.decisions import DECISION_REQUIRED
from vetschool.jobs import JobStatus, job_run, queue_after_commit

CHUNK = 2000
ROUND_INCONSISTENT = _("The results of %(learner)s in %(module)s cannot be computed: "
                       "%(error)s")
DISMISSAL_REASON = _("Academic standing after %(semester)s: %(reasons)s")


# --- Study rounds from approved cells ------------------------------------------------------------


def term_of(semester: Semester, semesters_by_key: dict | None = None) -> Semester:
    """The main semester whose results a semester's count in: itself, or for a summer term
    the second semester of its school year (REGULATIONS §2.3)."""
    if semester.number != SUMMER_TERM:
        return semester
    main = Semester.objects.filter(school_year_id=semester.school_year_id,
                                   number__lt=SUMMER_TERM).order_by("-number").first()
    return main or semester


def rounds_refresh(*, gradebook: Gradebook, sheet: Sheet | None = None) -> set[int]:
    """Write the study rounds of a gradebook from its approved values; returns the
    enrolments whose results may have changed. `sheet`, when the caller has loaded it, is
    the book's approved-values view (final_only), so it is not read again."""
    if sheet is None:
        sheet = load_sheet(gradebook, final_only=True)
    elif not all(row.final_only for row in sheet.rows):
        raise ValueError("rounds are computed from approved values only (final_only)")
    section = sheet.section
    term = term_of(section.semester)
    existing = {r.pk: r for r in LearnerRound.objects.filter(
        section_learner__in=[row.id for row in sheet.rows])}
    rows = []
    for row in sheet.rows:
        if row.checks_average is None:
            continue  # no approved check yet: the round has not started on record
        eligibility = row.eligibility
        values = {
            "enrollment_id": row.section_learner.enrollment_id,
            "module_id": section.module_id,
            "semester_id": section.semester_id,
            "term_id": term.pk,
            "checks_average": row.checks_average,
            "eligible": eligibility.eligible,
            "ineligibility_reasons": list(eligibility.reasons),
            "attendance_waived": row.waiver is not None,
            "theory_attended_hours": row.attendance_figures["theory_attended_hours"],
            "practice_excused_hours": row.attendance_figures["practice_excused_absent_hours"],
            "practice_unexcused_hours":
                row.attendance_figures["practice_unexcused_absent_hours"],
            "sittings": list(row.sittings),
            "improvement": row.section_learner.source == SectionLearnerSource.IMPROVEMENT,
        }
        current = existing.get(row.id)
        if current and all(getattr(current, k) == v for k, v in values.items()):
            continue
        rows.append(LearnerRound(section_learner_id=row.id, **values))
    if rows:
        LearnerRound.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["section_learner"],
            update_fields=[f.removesuffix("_id") for f in values] + ["computed_at"],
        )
    return {row.section_learner.enrollment_id for row in sheet.rows}


# --- Module results, GPA and standing ------------------------------------------------------------


@dataclass
class RecomputeStats:
    enrollments: int = 0
    module_results_written: int = 0
    term_summaries_written: int = 0
    skipped: int = 0  # unchanged since their last recompute (stamps.unchanged)
    dismissed: list[int] = field(default_factory=list)


def results_recompute(*, enrollment_ids: Iterable[int], by=None,
                      rules: regulation.GradingRules | None = None) -> RecomputeStats:
    """Recompute module results and semester summaries of enrolments from their rounds.

    Run inside the caller's transaction; dismisses, under the semester's standing review,
    an enrolment whose latest standing is `dismissed` once that review is closed.
    """
    rules = rules or grading_rules()
    ids = sorted(set(enrollment_ids))
    stats = RecomputeStats(enrollments=len(ids))
    # The context keeps the name earlier history rows carry (grading was part of training).
    with transaction.atomic(), pghistory.context(service="training.results_recompute"):
        _settle_trigger_settings()
        # Enrolments whose inputs and stored results are as at their last recompute would
        # write nothing: one query finds them (grading.services.stamps).
        skip = stamps.unchanged(ids, rules)
        stats.skipped = len(skip)
        todo = [pk for pk in ids if pk not in skip]
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            _recompute_chunk(chunk, rules, stats, by)
            stamps.stamp(chunk, rules)
        # Every change of a transcript's content is a recompute (approval, amendment,
        # exemption, conduct): workers render the new PDFs once this commits.
        transcripts_queue(ids)
    return stats


def recompute_after_conduct(sender, *, enrollment_ids, by=None, **kwargs) -> None:
    """Receiver of enrollment.signals.conduct_changed: the classifications of the semesters
    a disciplinary decision falls in follow it, in the recording transaction. Only
    enrolments whose results come from study rounds are recomputed: results imported from
    the previous system have no rounds to recompute from, and stay as imported."""
    with_rounds = set(LearnerRound.objects.filter(enrollment_id__in=list(enrollment_ids))
                      .values_list("enrollment_id", flat=True).distinct())
    if with_rounds:
        results_recompute(enrollment_ids=with_rounds, by=by)


def _settle_trigger_settings() -> None:
    """Give the history triggers' settings a value for the rest of the transaction.

    pgtrigger's and pghistory's row triggers read `pgtrigger.ignore` and the pghistory
    context inside an EXCEPTION block, which fails when the setting is unset. Each failure
    aborts a subtransaction, and PostgreSQL scans the statement's whole queue of pending
    AFTER ROW events on every such abort: a bulk upsert of n rows then costs n² (1.2 ms a
    row at 5,000 rows a statement, docs/grading.md "Benchmarks"). The context comes from
    pghistory.context() above; an empty ignore list changes nothing a trigger does.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pgtrigger.ignore', CASE WHEN coalesce("
            "current_setting('pgtrigger.ignore', true), '') = '' THEN '{}' "
            "ELSE current_setting('pgtrigger.ignore', true) END, true)")


@dataclass
class _ChunkInputs:
    """Everything compute_enrollment needs for a chunk of enrolments, read in a few queries."""

    rounds: dict[int, list[RoundData]]
    modules: dict[int, ModuleInfo]
    terms: dict[int, TermInfo]
    exempted: dict[int, set[int]]
    facts: dict[int, EnrollmentFacts]


def _chunk_inputs(ids: list[int]) -> _ChunkInputs:
    rounds_by_enrollment: dict[int, list[RoundData]] = defaultdict(list)
    semester_keys = {
        pk: (year, number) for pk, year, number in
        Semester.objects.values_list("pk", "school_year__start_year", "number")}
    round_rows = (LearnerRound.objects.filter(enrollment_id__in=ids)
                  .values_list("enrollment_id", "module_id", "term_id", "semester_id",
                               "checks_average", "eligible", "sittings", "improvement",
                               "section_learner_id"))
    module_ids: set[int] = set()
    term_ids: set[int] = set()
    for (enrollment_id, module_id, term_id, semester_id, average, eligible, sittings,
         improvement, sl_id) in round_rows.iterator(chunk_size=20000):
        rounds_by_enrollment[enrollment_id].append(RoundData(
            module_id, semester_keys[term_id], term_id, (semester_keys[semester_id], sl_id),
            average, eligible, tuple(sittings), improvement))
        module_ids.add(module_id)
        term_ids.add(term_id)
    exempted: dict[int, set[int]] = defaultdict(set)
    for enrollment_id, module_id in ModuleExemption.objects.filter(
            enrollment_id__in=ids).values_list("enrollment_id", "module_id"):
        exempted[enrollment_id].add(module_id)
        module_ids.add(module_id)
    modules = {pk: ModuleInfo(credits, counts) for pk, credits, counts in
               Module.objects.filter(pk__in=module_ids)
               .values_list("pk", "credits", "counts_in_gpa")}
    terms = {pk: TermInfo(pk, semester_keys[pk], ends_on) for pk, ends_on in
             Semester.objects.filter(pk__in=term_ids).values_list("pk", "ends_on")}
    return _ChunkInputs(rounds_by_enrollment, modules, terms, exempted, _enrollment_facts(ids))


def _recompute_chunk(ids: list[int], rules, stats: RecomputeStats, by) -> None:
    inputs = _chunk_inputs(ids)
    existing_results = _existing(ModuleResult, ids, "module_id")
    existing_terms = _existing(TermSummary, ids, "semester_id")
    result_rows, term_rows = [], []
    keep_results, keep_terms = set(), set()
    latest_term: dict[int, tuple] = {}
    grade_cache: dict = {}
    for enrollment_id in ids:
        try:
            computed = compute_enrollment(
                inputs.rounds.get(enrollment_id, []), inputs.modules, inputs.terms,
                inputs.exempted.get(enrollment_id, set()), inputs.facts[enrollment_id], rules,
                grade_cache)
        except regulation.GradingError as exc:
            raise ValidationError(ROUND_INCONSISTENT, code="inconsistent", params={
                "learner": enrollment_id, "module": "", "error": exc}) from exc
        for module_id, values in computed.results.items():
            keep_results.add((enrollment_id, module_id))
            if existing_results.get((enrollment_id, module_id)) != values:
                result_rows.append((enrollment_id, module_id,
                                    *(values[f] for f in RESULT_FIELDS)))
        for term_id, values in computed.terms.items():
            keep_terms.add((enrollment_id, term_id))
            if existing_terms.get((enrollment_id, term_id)) != values:
                term_rows.append((enrollment_id, term_id, *(values[f] for f in TERM_FIELDS)))
        if computed.terms:
            last = max(computed.terms, key=lambda t: inputs.terms[t].key)
            latest_term[enrollment_id] = (last, computed.terms[last])

    _upsert(ModuleResult, result_rows, ["enrollment_id", "module_id"])
    _upsert(TermSummary, term_rows, ["enrollment_id", "semester_id"])
    _delete_stale(ModuleResult, existing_results, keep_results, "module_id")
    _delete_stale(TermSummary, existing_terms, keep_terms, "semester_id")
    stats.module_results_written += len(result_rows)
    stats.term_summaries_written += len(term_rows)
    stats.dismissed += _dismiss(latest_term, by)


RESULT_FIELDS = ("score_10", "letter", "score_4", "passed", "attempts", "had_to_retake",
                 "had_to_restudy", "status", "credits", "counts_in_gpa", "term_id",
                 "last_term_id")
TERM_FIELDS = ("semester_index", "gpa_4", "gpa_10", "credits_in_gpa", "credits_earned",
               "cumulative_gpa_4", "cumulative_gpa_10", "cumulative_credits_in_gpa",
               "cumulative_credits_earned", "outstanding_f_credits", "outstanding_f_modules",
               "standing", "reasons", "consecutive_warnings", "exceeded_max_duration",
               "classification", "classification_downgraded", "classification_reasons",
               "retaken_modules")


def _existing(model, ids, key_field) -> dict:
    fields = RESULT_FIELDS if model is ModuleResult else TERM_FIELDS
    out = {}
    for values in model.objects.filter(enrollment_id__in=ids).values(
            "enrollment_id", key_field, *fields):
        key = (values.pop("enrollment_id"), values.pop(key_field))
        out[key] = values
    return out


def _upsert(model, rows: list[tuple], key: list[str]) -> None:
    """Write the changed rows of a chunk by one INSERT … ON CONFLICT DO UPDATE, the rows
    sent by COPY into a temporary table: the shape of the SQL floor's write, so the history
    and sync-capture triggers fire on one statement, and no model object is built. `rows`
    are (key…, *fields) tuples in the order of RESULT_FIELDS or TERM_FIELDS."""
    if not rows:
        return
    table = model._meta.db_table
    fields = RESULT_FIELDS if model is ModuleResult else TERM_FIELDS
    columns = ", ".join([*key, *fields])
    temp = f"recompute_{table}"
    updates = ", ".join(f"{f} = EXCLUDED.{f}" for f in (*fields, "computed_at"))
    # Names from the model and the constants above; the values travel by COPY.
    create = (f"CREATE TEMP TABLE IF NOT EXISTS {temp} ON COMMIT DROP AS "  # noqa: S608
              f"SELECT {columns} FROM {table} WITH NO DATA")
    write = (f"INSERT INTO {table} ({columns}, computed_at) "  # noqa: S608
             f"SELECT {columns}, %s FROM {temp} ORDER BY {', '.join(key)} "
             f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}")
    with connection.cursor() as cursor:
        cursor.execute(create)
        cursor.execute(f"TRUNCATE {temp}")
        with cursor.cursor.copy(f"COPY {temp} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(write, [timezone.now()])


def _delete_stale(model, existing, keep, key_field) -> None:
    stale = [key for key in existing if key not in keep]
    for enrollment_id, group in itertools.groupby(sorted(stale), key=lambda k: k[0]):
        model.objects.filter(enrollment_id=enrollment_id,
                             **{f"{key_field}__in": [k[1] for k in group]}).delete()


def _enrollment_facts(ids: list[int]) -> dict[int, EnrollmentFacts]:
    programs = dict(EnrollmentProgram.objects.filter(enrollment_id__in=ids)
                    .values_list("enrollment_id", "program__duration_months"))
    facts = {pk: EnrollmentFacts(start, programs.get(pk)) for pk, start in
             Enrollment.objects.filter(pk__in=ids).values_list("pk", "start_date")}
    # Reserved time is not counted in the study time (§3.3): sum the reserved periods.
    changes = (EnrollmentStatusChange.objects.filter(enrollment_id__in=ids)
               .order_by("enrollment_id", "effective_date", "at", "id")
               .values_list("enrollment_id", "to_status", "effective_date"))
    today = timezone.localdate()
    for enrollment_id, group in itertools.groupby(changes, key=lambda c: c[0]):
        reserved_since = None
        for _e, status, day in group:
            if status == EnrollmentStatus.RESERVED and reserved_since is None:
                reserved_since = day
            elif status != EnrollmentStatus.RESERVED and reserved_since is not None:
                facts[enrollment_id].reserved_days += (day - reserved_since).days
                reserved_since = None
        if reserved_since is not None:
            facts[enrollment_id].reserved_days += (today - reserved_since).days
    _add_disciplined_terms(facts)
    return facts


def term_starts() -> list[tuple[date, int]]:
    """(start, term id) of every semester, a summer term mapped to the main semester whose
    results it counts with (as term_of does, in one query)."""
    rows = list(Semester.objects.values_list("pk", "school_year_id", "number", "starts_on"))
    last_main = {}
    for pk, year, number, _starts in sorted(rows, key=lambda r: r[2]):
        if number != SUMMER_TERM:
            last_main[year] = pk
    return [(starts, last_main.get(year, pk) if number == SUMMER_TERM else pk)
            for pk, year, number, starts in rows]


def _add_disciplined_terms(facts: dict[int, EnrollmentFacts]) -> None:
    """§2.4 a: the terms whose classification a warning or higher lowers, from the
    disciplinary decisions on record (revoked ones and Art. 17(2)–(3) forms left out)."""
    records = list(DisciplineRecord.objects.filter(
        enrollment_id__in=list(facts), level__in=LOWERING_DISCIPLINE, art17_excluded=False,
        revocation_number__isnull=True).values_list("enrollment_id", "decision_date"))
    if not records:
        return
    starts = term_starts()
    terms: dict[int, set[int]] = defaultdict(set)
    for enrollment_id, day in records:
        term_id = term_of_date(day, starts)
        if term_id is not None:
            terms[enrollment_id].add(term_id)
    for enrollment_id, found in terms.items():
        facts[enrollment_id].disciplined_terms = frozenset(found)


def _dismiss(latest_term: dict[int, tuple], by) -> list[int]:
    """Dismiss the enrolments whose latest standing is `dismissed` under a closed review."""
    candidates = {e: (term_id, values) for e, (term_id, values) in latest_term.items()
                  if values["standing"] == regulation.STANDING_DISMISSED}
    if not candidates:
        return []
    reviews = {r.semester_id: r for r in StandingReview.objects.filter(
        semester_id__in={term_id for term_id, _v in candidates.values()})}
    studying = set(Enrollment.objects.filter(pk__in=candidates, status=EnrollmentStatus.STUDYING)
                   .values_list("pk", flat=True))
    dismissed = []
    from enrollment.services import enrollment_dismiss_for_results

    for enrollment_id, (term_id, values) in sorted(candidates.items()):
        review = reviews.get(term_id)
        if review is None or enrollment_id not in studying:
            continue
        enrollment_dismiss_for_results(
            enrollment=Enrollment.objects.get(pk=enrollment_id),
            decision_number=review.decision_number, decision_date=review.decision_date,
            reason=str(DISMISSAL_REASON % {"semester": review.semester,
                                           "reasons": ", ".join(values["reasons"])}),
            by=by or review.closed_by,
        )
        dismissed.append(enrollment_id)
    return dismissed


# --- Standing review and exemptions --------------------------------------------------------------

REVIEW_EXISTS = _("The standing review of %(semester)s is already closed.")
REVIEW_SUMMER = _("Standing is reviewed after a main semester, not a summer term.")
DATE_IN_FUTURE = _("The decision date cannot be in the future.")
EXEMPTION_REASON_REQUIRED = _("Give the decision number and the reason of the exemption.")
EXEMPTION_NOT_IN_PROGRAM = _("%(module)s is not a module of the program of this enrolment.")
EXEMPTION_EXISTS = _("%(module)s is already exempted for this enrolment.")


def _standing_review_check(*, semester: Semester, by, decision_number: str,
                           decision_date: date) -> str:
    """The checks of closing a review that need no recompute; the cleaned decision number."""
    require_office(by)
    decision_number = (decision_number or "").strip()
    errors = {}
    if not decision_number:
        errors["decision_number"] = ValidationError(DECISION_REQUIRED, code="required")
    if decision_date is None or decision_date > timezone.localdate():
        errors["decision_date"] = ValidationError(DATE_IN_FUTURE, code="future")
    if semester.number == SUMMER_TERM:
        errors["semester"] = ValidationError(REVIEW_SUMMER, code="summer")
    if errors:
        raise ValidationError(errors)
    return decision_number


def standing_review_start(*, semester: Semester, by, decision_number: str,
                          decision_date: date, note: str = "") -> StandingReviewJob:
    """Queue the closing of a semester's standing review (issue #14): the checks are made
    here, the recompute of every learner of the semester runs in a worker
    (`standing_review_job_run`), and the warnings page follows the job. A review already
    closed, or being closed by a job not finished, is refused."""
    decision_number = _standing_review_check(semester=semester, by=by,
                                             decision_number=decision_number,
                                             decision_date=decision_date)
    with transaction.atomic():
        Semester.objects.select_for_update().get(pk=semester.pk)
        if (StandingReview.objects.filter(semester=semester).exists()
                or StandingReviewJob.objects.filter(
                    semester=semester,
                    status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).exists()):
            raise ValidationError(REVIEW_EXISTS, code="exists", params={"semester": semester})
        job = StandingReviewJob.objects.create(
            semester=semester, decision_number=decision_number, decision_date=decision_date,
            note=note or "", total=1, created_by=by)
        queue_after_commit(tasks.standing_review_close, job.pk)
    return job


def standing_review_job_run(*, job_id: int) -> StandingReview | None:
    """The worker's part: close the review as the person who asked; a refusal (another
    office member closed it meanwhile) is the job's error, in words."""
    return job_run(StandingReviewJob, job_id, _close_review)


class StandingReviewRefused(Exception):
    pass


def _close_review(job: StandingReviewJob) -> StandingReview:
    try:
        review = standing_review_close(
            semester=job.semester, by=job.created_by, decision_number=job.decision_number,
            decision_date=job.decision_date, note=job.note)
    except ValidationError as exc:
        raise StandingReviewRefused("; ".join(exc.messages)) from exc
    job.done = 1
    return review


def standing_review_close(*, semester: Semester, by, decision_number: str,
                          decision_date: date, note: str = "") -> StandingReview:
    """Close the academic standing review of a main semester (REGULATIONS §3.2): recompute
    every summary of the semester and dismiss, under this decision, the learners whose
    standing is `dismissed` — one transaction."""
    decision_number = _standing_review_check(semester=semester, by=by,
                                             decision_number=decision_number,
                                             decision_date=decision_date)
    with transaction.atomic():
        Semester.objects.select_for_update().get(pk=semester.pk)
        if StandingReview.objects.filter(semester=semester).exists():
            raise ValidationError(REVIEW_EXISTS, code="exists", params={"semester": semester})
        review = StandingReview.objects.create(semester=semester, decision_number=decision_number,
                                               decision_date=decision_date, note=note,
                                               closed_by=by)
        enrollment_ids = set(LearnerRound.objects.filter(term=semester)
                             .values_list("enrollment_id", flat=True))
        results_recompute(enrollment_ids=enrollment_ids, by=by)
        # Summaries recomputed with nothing changed were not rewritten: dismiss those too.
        latest = {}
        for summary in TermSummary.objects.filter(enrollment_id__in=enrollment_ids).select_related(
                "semester__school_year"):
            key = (summary.semester.school_year.start_year, summary.semester.number)
            if summary.enrollment_id not in latest or key > latest[summary.enrollment_id][0]:
                latest[summary.enrollment_id] = (key, summary)
        _dismiss({e: (s.semester_id, {"standing": s.standing, "reasons": s.reasons})
                  for e, (_k, s) in latest.items()}, by)
    return review


def exemption_grant(*, enrollment: Enrollment, module: Module, by, decision_number: str,
                    reason: str) -> ModuleExemption:
    """Exempt a module (recognised prior learning): out of every GPA and of earned credits."""
    require_office(by)
    decision_number, reason = (decision_number or "").strip(), (reason or "").strip()
    if not decision_number or not reason:
        raise ValidationError(EXEMPTION_REASON_REQUIRED, code="required")
    with transaction.atomic():
        program_id = (EnrollmentProgram.objects.filter(enrollment=enrollment)
                      .values_list("program_id", flat=True).first())
        if program_id is not None and module.program_id != program_id:
            raise ValidationError(EXEMPTION_NOT_IN_PROGRAM, code="not_in_program",
                                  params={"module": module})
        if ModuleExemption.objects.filter(enrollment=enrollment, module=module).exists():
            raise ValidationError(EXEMPTION_EXISTS, code="exists", params={"module": module})
        exemption = ModuleExemption.objects.create(enrollment=enrollment, module=module,
                                                   decision_number=decision_number,
                                                   reason=reason, granted_by=by)
        results_recompute(enrollment_ids=[enrollment.pk], by=by)
    return exemption
