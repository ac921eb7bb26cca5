"""Results computed from approved scores by the training regulation (grading.regulation):
the study round each section gives, module results, semester summaries with GPA and
academic standing, the semester's standing review, exemptions, and transcript batches.

These rows are derived: `grading.services.results` rewrites them in the same transaction
as the approval or amendment that changes their inputs, and pghistory keeps every earlier
version, so a transcript before and after an amendment can both be shown.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grading import regulation
from grading.computation import STATUS_EXEMPTED
from training.models.calendar import Semester
from training.models.classes import HomeroomClass
from training.models.programs import Module
from training.models.sections import SectionLearner
from vetschool.jobs import BackgroundJob, JobStatus, job_file_path


class ModuleStatus(models.TextChoices):
    PASSED = regulation.STATUS_PASSED, _("Passed")
    RETAKE_DUE = regulation.STATUS_RETAKE_DUE, _("Retake exam due")
    MUST_RESTUDY = regulation.STATUS_MUST_RESTUDY, _("Must re-study")
    PENDING = regulation.STATUS_PENDING, _("Pending")
    EXEMPTED = STATUS_EXEMPTED, _("Exempted")


class Letter(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    F = "F", "F"


class Standing(models.TextChoices):
    NORMAL = regulation.STANDING_NORMAL, _("Normal")
    WARNING = regulation.STANDING_WARNING, _("Academic warning")
    DISMISSED = regulation.STANDING_DISMISSED, _("Dismissed for academic results")


class Classification(models.TextChoices):
    EXCELLENT = regulation.EXCELLENT, _("Excellent")
    VERY_GOOD = regulation.VERY_GOOD, _("Very good")
    GOOD = regulation.GOOD, _("Good")
    AVERAGE = regulation.AVERAGE, _("Average")
    WEAK = regulation.WEAK, _("Weak")


def _score_field(label, **extra):
    return models.DecimalField(label, max_digits=3, decimal_places=1, null=True, blank=True,
                               **extra)


def _gpa_field(label):
    return models.DecimalField(label, max_digits=4, decimal_places=2, null=True, blank=True)


def _in_range(field: str, high: int) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": high})


@pghistory.track(exclude=["computed_at"],
                  meta={"db_table": "training_learnerroundevent"})
class LearnerRound(models.Model):
    """The study round (lượt học, REGULATIONS §1.7) a section gives one learner, as approved:
    the checks average, exam eligibility and the exam sittings in order."""

    section_learner = models.OneToOneField(SectionLearner, on_delete=models.PROTECT,
                                           primary_key=True, related_name="round",
                                           verbose_name=_("learner of a section"))
    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("enrolment"))
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("module"))
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("semester"))
    term = models.ForeignKey(
        Semester, on_delete=models.PROTECT, related_name="+", verbose_name=_("term"),
        help_text=_("The main semester the results count in (a summer term counts with the "
                    "semester before it)."),
    )
    checks_average = _score_field(_("checks average"))
    eligible = models.BooleanField(_("eligible for the exam"))
    ineligibility_reasons = ArrayField(models.CharField(max_length=30), default=list,
                                       blank=True, verbose_name=_("reasons"))
    attendance_waived = models.BooleanField(_("attendance waived"), default=False)
    theory_attended_hours = models.DecimalField(_("theory hours attended"), max_digits=6,
                                                decimal_places=1, default=0)
    practice_excused_hours = models.DecimalField(_("practice hours absent (excused)"),
                                                 max_digits=6, decimal_places=1, default=0)
    practice_unexcused_hours = models.DecimalField(_("practice hours absent (unexcused)"),
                                                   max_digits=6, decimal_places=1, default=0)
    sittings = ArrayField(
        models.CharField(max_length=20), default=list, blank=True,
        verbose_name=_("exam sittings"),
        help_text=_("Approved exam results in session order: a score, ABSENT_UNEXCUSED or "
                    "ABSENT_EXCUSED."),
    )
    improvement = models.BooleanField(_("improvement round"), default=False)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        db_table = "training_learnerround"
        verbose_name = _("study round")
        verbose_name_plural = _("study rounds")
        constraints = [
            models.CheckConstraint(condition=_in_range("checks_average", 10),
                                   name="round_checks_average_range"),
        ]
        indexes = [models.Index(fields=["enrollment", "module"], name="round_enrollment_module")]

    def __str__(self):
        return f"{self.enrollment_id} · {self.module_id} · {self.semester_id}"


@pghistory.track(exclude=["computed_at"],
                  meta={"db_table": "training_moduleresultevent"})
class ModuleResult(models.Model):
    """A learner's result in a module over all rounds and sittings (REGULATIONS §1.7):
    the counted (best) score, its letter and 4-point value, attempts and status."""

    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="module_results", verbose_name=_("enrolment"))
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="results",
                               verbose_name=_("module"))
    score_10 = _score_field(_("score (10-point)"))
    letter = models.CharField(_("letter"), max_length=1, choices=Letter.choices, blank=True)
    score_4 = _score_field(_("score (4-point)"))
    passed = models.BooleanField(_("passed"), default=False)
    attempts = models.PositiveSmallIntegerField(_("exam attempts"), default=0)
    had_to_retake = models.BooleanField(_("had to retake"), default=False)
    had_to_restudy = models.BooleanField(_("had to re-study"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=ModuleStatus.choices)
    credits = models.PositiveSmallIntegerField(_("credits"))
    counts_in_gpa = models.BooleanField(_("counts in GPA"))
    term = models.ForeignKey(Semester, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("term of the counted result"))
    last_term = models.ForeignKey(Semester, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("last term studied"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        db_table = "training_moduleresult"
        ordering = ["enrollment", "module"]
        verbose_name = _("module result")
        verbose_name_plural = _("module results")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "module"],
                                    name="module_result_unique"),
            models.CheckConstraint(condition=_in_range("score_10", 10),
                                   name="module_result_score_10_range"),
            models.CheckConstraint(condition=_in_range("score_4", 4),
                                   name="module_result_score_4_range"),
            models.CheckConstraint(
                condition=Q(score_10__isnull=True, letter="", score_4__isnull=True)
                | Q(score_10__isnull=False, score_4__isnull=False) & ~Q(letter=""),
                name="module_result_score_complete",
            ),
            models.CheckConstraint(condition=~Q(passed=True) | Q(status="passed"),
                                   name="module_result_passed_status"),
        ]
        indexes = [models.Index(fields=["module", "status"], name="module_result_status")]

    def __str__(self):
        return f"{self.enrollment_id} · {self.module_id}: {self.score_10} {self.letter}"


@pghistory.track(exclude=["computed_at"],
                  meta={"db_table": "training_termsummaryevent"})
class TermSummary(models.Model):
    """A learner's main semester (REGULATIONS §2–3): semester and cumulative GPA, credits,
    academic standing and classification."""

    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="term_summaries", verbose_name=_("enrolment"))
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("semester"))
    semester_index = models.PositiveSmallIntegerField(
        _("semester of study"), help_text=_("Main semesters studied since admission."))
    gpa_4 = _gpa_field(_("semester GPA (4-point)"))
    gpa_10 = _gpa_field(_("semester GPA (10-point)"))
    credits_in_gpa = models.PositiveSmallIntegerField(_("credits in the semester GPA"),
                                                      default=0)
    credits_earned = models.PositiveSmallIntegerField(_("credits earned in the semester"),
                                                      default=0)
    cumulative_gpa_4 = _gpa_field(_("cumulative GPA (4-point)"))
    cumulative_gpa_10 = _gpa_field(_("cumulative GPA (10-point)"))
    cumulative_credits_in_gpa = models.PositiveSmallIntegerField(
        _("credits in the cumulative GPA"), default=0)
    cumulative_credits_earned = models.PositiveSmallIntegerField(_("credits earned"),
                                                                 default=0)
    outstanding_f_credits = models.PositiveSmallIntegerField(_("outstanding F credits"),
                                                             default=0)
    outstanding_f_modules = models.PositiveSmallIntegerField(_("outstanding F modules"),
                                                             default=0)
    standing = models.CharField(_("standing"), max_length=10, choices=Standing.choices)
    reasons = ArrayField(models.CharField(max_length=30), default=list, blank=True,
                         verbose_name=_("reasons"))
    consecutive_warnings = models.PositiveSmallIntegerField(_("consecutive warnings"),
                                                            default=0)
    exceeded_max_duration = models.BooleanField(_("maximum study time exceeded"),
                                                default=False)
    classification = models.CharField(_("classification"), max_length=10,
                                      choices=Classification.choices, blank=True)
    classification_downgraded = models.BooleanField(_("classification lowered"), default=False)
    # Why it was lowered (§2.4): CLASSIFICATION_DISCIPLINE, CLASSIFICATION_RETAKES.
    classification_reasons = ArrayField(models.CharField(max_length=30), default=list,
                                        blank=True, verbose_name=_("lowered because"))
    retaken_modules = models.PositiveSmallIntegerField(_("modules retaken"), default=0)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        db_table = "training_termsummary"
        ordering = ["enrollment", "semester__school_year__start_year", "semester__number"]
        verbose_name = _("semester summary")
        verbose_name_plural = _("semester summaries")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "semester"],
                                    name="term_summary_unique"),
            models.CheckConstraint(condition=_in_range("gpa_4", 4), name="term_gpa_4_range"),
            models.CheckConstraint(condition=_in_range("gpa_10", 10), name="term_gpa_10_range"),
            models.CheckConstraint(condition=_in_range("cumulative_gpa_4", 4),
                                   name="term_cumulative_gpa_4_range"),
            models.CheckConstraint(condition=_in_range("cumulative_gpa_10", 10),
                                   name="term_cumulative_gpa_10_range"),
            models.CheckConstraint(condition=Q(semester_index__gte=1),
                                   name="term_semester_index_positive"),
        ]
        indexes = [models.Index(fields=["semester", "standing"], name="term_semester_standing")]

    def __str__(self):
        return f"{self.enrollment_id} · {self.semester}: {self.standing}"


class ResultsStamp(models.Model):
    """What an enrolment's results were last recomputed from (issue #17): a fingerprint of
    every input of grading.computation for it (rounds, modules, exemptions, start, program,
    status changes, disciplinary decisions, semesters, rules, code) and of the module
    results and summaries written then. A recompute whose fingerprint is unchanged has
    nothing to write and skips the enrolment (grading.services.stamps). Bookkeeping, not a
    legal record: no history, not synced; deleting rows only makes the next recompute
    compute them again."""

    enrollment = models.OneToOneField("enrollment.Enrollment", on_delete=models.CASCADE,
                                      primary_key=True, related_name="+",
                                      verbose_name=_("enrolment"))
    fingerprint = models.CharField(_("fingerprint"), max_length=32)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        db_table = "grading_resultsstamp"
        verbose_name = _("results fingerprint")
        verbose_name_plural = _("results fingerprints")

    def __str__(self):
        return f"{self.enrollment_id} · {self.fingerprint}"


@pgtrigger.register(
    pgtrigger.Protect(name="standing_review_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class StandingReview(models.Model):
    """The training office closes a semester's academic standing review (REGULATIONS §3.2):
    from then on a `dismissed` standing dismisses the enrolment under this decision."""

    semester = models.OneToOneField(Semester, on_delete=models.PROTECT,
                                    related_name="standing_review", verbose_name=_("semester"))
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    note = models.TextField(_("note"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        db_table = "training_standingreview"
        ordering = ["-closed_at"]
        verbose_name = _("standing review")
        verbose_name_plural = _("standing reviews")
        constraints = [
            models.CheckConstraint(condition=~Q(decision_number=""),
                                   name="standing_review_has_decision"),
        ]

    def __str__(self):
        return f"{self.semester} · {self.decision_number}"


class StandingReviewJob(BackgroundJob):
    """Closing a semester's standing review recomputes every learner of the semester: a
    worker does it (issue #14: long jobs never run in a request); the page follows the job
    and shows its error."""

    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("semester"))
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    note = models.TextField(_("note"), blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("standing review job")
        verbose_name_plural = _("standing review jobs")

    def __str__(self):
        return f"{self.semester} · {self.decision_number}"


@pghistory.track(meta={"db_table": "training_moduleexemptionevent"})
@pgtrigger.register(
    pgtrigger.ReadOnly(name="exemption_facts_fixed", fields=["enrollment", "module"]),
)
class ModuleExemption(models.Model):
    """A module exempted by recognition of prior learning (miễn trừ, REGULATIONS §2.2):
    outside every GPA and not counted as earned credits."""

    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="module_exemptions", verbose_name=_("enrolment"))
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="exemptions",
                               verbose_name=_("module"))
    decision_number = models.CharField(_("decision number"), max_length=50)
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    granted_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "training_moduleexemption"
        verbose_name = _("module exemption")
        verbose_name_plural = _("module exemptions")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "module"], name="exemption_unique"),
            models.CheckConstraint(condition=~Q(decision_number="") & ~Q(reason=""),
                                   name="exemption_has_decision_and_reason"),
        ]

    def __str__(self):
        return f"{self.enrollment_id} · {self.module}"


BatchStatus = JobStatus  # the states of every background job (vetschool.jobs)


def transcript_batch_upload_to(instance, filename: str) -> str:
    """Named by migration 0003; the path is now `TranscriptBatch.file_folder`'s."""
    return job_file_path(instance, filename)


class TranscriptBatch(BackgroundJob):
    """Class-wide transcript PDFs rendered in the background (Celery); the page polls it."""

    file_folder = "transcripts"

    homeroom_class = models.ForeignKey(HomeroomClass, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("class"))
    enrollment_ids = ArrayField(models.BigIntegerField(), default=list,
                                verbose_name=_("enrolments"))

    class Meta(BackgroundJob.Meta):
        db_table = "training_transcriptbatch"
        verbose_name = _("transcript batch")
        verbose_name_plural = _("transcript batches")
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")),
                                   name="transcript_batch_progress"),
        ]

    def __str__(self):
        return f"{self.homeroom_class} · {self.created_at:%d/%m/%Y %H:%M}"


class RecomputeJob(BackgroundJob):
    """A large recompute of results (after a change of rules or of the computing code, or
    asked for by the office) spread over every Celery worker: chunks of enrolments run in
    parallel, each advancing `done` (enrolments); the last step records the end
    (grading.services.recompute_jobs). Bookkeeping, not a legal record."""

    file_folder = "recompute"

    enrollment_ids = ArrayField(models.BigIntegerField(), default=list, blank=True,
                                verbose_name=_("enrolments"))  # empty: every one with rounds
    chunks = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    chunks_failed = models.PositiveIntegerField(_("chunks failed"), default=0)
    module_results_written = models.PositiveIntegerField(_("module results written"),
                                                         default=0)
    term_summaries_written = models.PositiveIntegerField(_("term summaries written"),
                                                         default=0)
    skipped = models.PositiveIntegerField(_("unchanged, skipped"), default=0)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("results recompute")
        verbose_name_plural = _("results recomputes")
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")),
                                   name="recompute_job_progress"),
        ]

    def __str__(self):
        return f"{self.pk} · {self.created_at:%d/%m/%Y %H:%M}"
