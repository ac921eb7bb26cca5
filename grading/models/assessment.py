"""Assessment of a section: its gradebook (score sheet), component scores, attendance,
eligibility waivers, amendments after approval and the gradebook's action log.

A gradebook moves draft → submitted → approved (or back to returned) once per exam
session (`sitting`): session 1 holds the checks and the main exam, session 2 the retake.
Approval locks the session's rows, and the database refuses any later UPDATE or DELETE of
a locked row (REGULATIONS: legal records are never edited in place); a later correction is
an Amendment, a new audited row that supersedes the value without erasing it.

Cells (one row per learner × component × sitting) are never deleted while editable either:
clearing a cell empties it, so every write carries the gradebook version at which it was
made and two browser tabs editing the same cell can be told apart (optimistic locking).
"""

# Trigger SQL is assembled from table-name constants, never from input.
# ruff: noqa: S608

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from training.models.programs import AssessmentKind
from training.models.sections import Section, SectionLearner

GRADEBOOK_TABLE = "training_gradebook"
SCORE_MAX = 10
MAX_SITTINGS = 4  # exam sessions a gradebook can open (the rules use 2, excused absences more)


class ScoreMark(models.TextChoices):
    """A reason code written instead of a score (docs/grading.md, "Reason codes")."""

    NONE = "", _("(score)")
    EXCUSED = "V", _("Absent with permission")
    UNEXCUSED = "KP", _("Absent without permission")


class GradebookStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned to the teacher")
    APPROVED = "approved", _("Approved (locked)")


EDITABLE_STATUSES = (GradebookStatus.DRAFT, GradebookStatus.RETURNED)


def _score_range(prefix: str = "") -> Q:
    field = f"{prefix}score"
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": SCORE_MAX})


def _score_or_mark(prefix: str = "") -> Q:
    """Never both a score and a reason code in one cell."""
    return Q(**{f"{prefix}score__isnull": True}) | Q(**{f"{prefix}mark": ""})


@pghistory.track(meta={"db_table": "training_gradebookevent"})
class Gradebook(models.Model):
    """The score sheet of one section (bảng điểm lớp môn học)."""

    section = models.OneToOneField(Section, on_delete=models.PROTECT, related_name="gradebook",
                                   verbose_name=_("section"))
    sitting = models.PositiveSmallIntegerField(
        _("exam session"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SITTINGS)],
        help_text=_("1: checks and main exam; 2: retake exam."),
    )
    status = models.CharField(_("status"), max_length=10, choices=GradebookStatus.choices,
                              default=GradebookStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField(
        _("version"), default=0,
        help_text=_("Raised by every change; a save based on an older version of a changed "
                    "cell is refused as a conflict."),
    )
    complete = models.BooleanField(
        _("complete"), default=False,
        help_text=_("Every learner has what the regulation needs: nothing left to enter."),
    )
    status_changed_at = models.DateTimeField(_("status since"), null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+",
                                          verbose_name=_("status changed by"))
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "training_gradebook"
        ordering = ["section"]
        verbose_name = _("gradebook")
        verbose_name_plural = _("gradebooks")
        constraints = [
            models.CheckConstraint(condition=Q(sitting__gte=1, sitting__lte=MAX_SITTINGS),
                                   name="gradebook_sitting_range"),
            models.CheckConstraint(condition=~Q(status=GradebookStatus.RETURNED)
                                   | ~Q(return_reason=""),
                                   name="gradebook_return_has_reason"),
        ]

    def __str__(self):
        return str(_("Gradebook %(section)s") % {"section": self.section})

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


# The rows of a gradebook that waits for approval do not change (only their lock may be set).
SUBMITTED_ROWS_FROZEN = f"""
    IF (SELECT status FROM {GRADEBOOK_TABLE} WHERE id = NEW.gradebook_id) = 'submitted'
       AND (TG_OP = 'INSERT' OR {{changed}}) THEN
        RAISE EXCEPTION 'training: the gradebook is submitted for approval; its rows cannot '
                        'change until it is approved or returned' USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
"""


def _submitted_frozen(name: str, changed: str) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name=name, level=pgtrigger.Row, when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func=SUBMITTED_ROWS_FROZEN.replace("{changed}", changed),
    )


@pghistory.track(meta={"db_table": "training_scoreevent"})
@pgtrigger.register(
    pgtrigger.Protect(name="score_locked_no_update", operation=pgtrigger.Update,
                      condition=pgtrigger.Q(old__locked=True)),
    pgtrigger.Protect(name="score_locked_no_delete", operation=pgtrigger.Delete,
                      condition=pgtrigger.Q(old__locked=True)),
    _submitted_frozen(
        "score_frozen_while_submitted",
        "OLD.score IS DISTINCT FROM NEW.score OR OLD.mark IS DISTINCT FROM NEW.mark",
    ),
)
class Score(models.Model):
    """One cell: a learner's score (or reason code) for one component and sitting.

    `kind` and `number` name the component of the module's assessment plan: continuous
    check n, periodic check n, or the exam at session n (1 main, 2 retake).
    """

    gradebook = models.ForeignKey(Gradebook, on_delete=models.PROTECT, related_name="scores",
                                  verbose_name=_("gradebook"))
    section_learner = models.ForeignKey(SectionLearner, on_delete=models.PROTECT,
                                        related_name="scores", verbose_name=_("learner"))
    kind = models.CharField(_("component"), max_length=12, choices=AssessmentKind.choices)
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Check number, or exam session (1 main, 2 retake)."),
    )
    score = models.DecimalField(_("score"), max_digits=3, decimal_places=1, null=True,
                                blank=True)
    mark = models.CharField(_("reason code"), max_length=2, choices=ScoreMark.choices,
                            blank=True)
    locked = models.BooleanField(_("locked"), default=False,
                                 help_text=_("Approved: the database refuses any change."))
    version = models.PositiveIntegerField(_("written at version"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("entered by"))
    updated_at = models.DateTimeField(_("entered at"))

    class Meta:
        db_table = "training_score"
        ordering = ["section_learner", "kind", "number"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["section_learner", "kind", "number"],
                                    name="score_one_per_component"),
            models.CheckConstraint(condition=_score_range(), name="score_range_0_10"),
            models.CheckConstraint(condition=_score_or_mark(), name="score_or_mark"),
            models.CheckConstraint(condition=Q(mark__in=["", "V", "KP"]),
                                   name="score_mark_valid"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=10),
                                   name="score_number_range"),
            models.CheckConstraint(
                condition=~Q(kind=AssessmentKind.EXAM) | Q(number__lte=MAX_SITTINGS),
                name="score_exam_sitting_range",
            ),
            models.CheckConstraint(
                condition=Q(locked=False) | Q(score__isnull=False) | ~Q(mark=""),
                name="score_locked_not_empty",
            ),
        ]
        indexes = [models.Index(fields=["gradebook", "version"], name="score_gradebook_version")]

    def __str__(self):
        return f"{self.section_learner_id} {self.kind}{self.number}: {self.display}"

    @property
    def display(self) -> str:
        return self.mark or ("" if self.score is None else str(self.score))


class AttendanceKind(models.TextChoices):
    THEORY = "theory", _("Theory")
    PRACTICE = "practice", _("Practice / integrated")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with permission")
    UNEXCUSED = "unexcused", _("Absent without permission")


@pghistory.track(meta={"db_table": "training_attendancesessionevent"})
@pgtrigger.register(
    pgtrigger.Protect(name="attendance_session_locked_no_update", operation=pgtrigger.Update,
                      condition=pgtrigger.Q(old__locked=True)),
    pgtrigger.Protect(name="attendance_session_locked_no_delete", operation=pgtrigger.Delete,
                      condition=pgtrigger.Q(old__locked=True)),
)
class AttendanceSession(models.Model):
    """A class session (buổi học) of a section: a date, theory or practice, its hours."""

    gradebook = models.ForeignKey(Gradebook, on_delete=models.PROTECT,
                                  related_name="attendance_sessions",
                                  verbose_name=_("gradebook"))
    date = models.DateField(_("date"))
    ordinal = models.PositiveSmallIntegerField(
        _("session of the day"), default=1, validators=[MinValueValidator(1),
                                                        MaxValueValidator(4)],
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttendanceKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=3, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(12)])
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    version = models.PositiveIntegerField(_("written at version"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "training_attendancesession"
        ordering = ["gradebook", "date", "ordinal"]
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")
        constraints = [
            models.UniqueConstraint(fields=["gradebook", "date", "ordinal"],
                                    name="attendance_session_unique"),
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=12),
                                   name="attendance_session_hours_range"),
            models.CheckConstraint(condition=Q(ordinal__gte=1, ordinal__lte=4),
                                   name="attendance_session_ordinal_range"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} ({self.ordinal}) {self.get_kind_display()} {self.hours}h"


@pghistory.track(meta={"db_table": "training_attendancemarkevent"})
@pgtrigger.register(
    pgtrigger.Protect(name="attendance_mark_locked_no_update", operation=pgtrigger.Update,
                      condition=pgtrigger.Q(old__locked=True)),
    pgtrigger.Protect(name="attendance_mark_locked_no_delete", operation=pgtrigger.Delete,
                      condition=pgtrigger.Q(old__locked=True)),
)
class AttendanceMark(models.Model):
    """A learner's absence from a session (present learners have no row, or a cleared one)."""

    session = models.ForeignKey(AttendanceSession, on_delete=models.PROTECT,
                                related_name="marks", verbose_name=_("session"))
    section_learner = models.ForeignKey(SectionLearner, on_delete=models.PROTECT,
                                        related_name="attendance_marks",
                                        verbose_name=_("learner"))
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    absent_hours = models.DecimalField(_("hours absent"), max_digits=3, decimal_places=1,
                                       default=0)
    made_up = models.BooleanField(_("made up"), default=False,
                                  help_text=_("The excused absence was made up (học bù)."))
    locked = models.BooleanField(_("locked"), default=False)
    version = models.PositiveIntegerField(_("written at version"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("recorded by"))
    updated_at = models.DateTimeField(_("recorded at"))

    class Meta:
        db_table = "training_attendancemark"
        ordering = ["session", "section_learner"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.UniqueConstraint(fields=["session", "section_learner"],
                                    name="attendance_mark_unique"),
            models.CheckConstraint(
                condition=Q(status=AttendanceStatus.PRESENT, absent_hours=0, made_up=False)
                | ~Q(status=AttendanceStatus.PRESENT) & Q(absent_hours__gt=0),
                name="attendance_mark_hours_match_status",
            ),
            models.CheckConstraint(
                condition=Q(made_up=False) | Q(status=AttendanceStatus.EXCUSED),
                name="attendance_mark_made_up_only_excused",
            ),
        ]

    def __str__(self):
        return f"{self.session} · {self.section_learner_id}: {self.status}"


@pghistory.track(meta={"db_table": "training_eligibilitywaiverevent"})
class EligibilityWaiver(models.Model):
    """The principal's priority on attendance for a learner with a disability certificate
    (REGULATIONS §1.6): lifts the attendance conditions, never the checks average."""

    section_learner = models.OneToOneField(SectionLearner, on_delete=models.PROTECT,
                                           related_name="eligibility_waiver",
                                           verbose_name=_("learner"))
    decision_number = models.CharField(_("decision number"), max_length=50)
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    granted_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "training_eligibilitywaiver"
        verbose_name = _("attendance waiver")
        verbose_name_plural = _("attendance waivers")
        constraints = [
            models.CheckConstraint(condition=~Q(reason="") & ~Q(decision_number=""),
                                   name="waiver_has_reason_and_decision"),
        ]

    def __str__(self):
        return f"{self.section_learner_id} · {self.decision_number}"


@pghistory.track(meta={"db_table": "training_improvementsittingevent"})
@pgtrigger.register(
    pgtrigger.Protect(name="improvement_sitting_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class ImprovementSitting(models.Model):
    """The principal lets a learner who passed sit the exam again to improve the score
    (thi cải thiện, REGULATIONS §1.7): at exam session `sitting` of the same section."""

    section_learner = models.ForeignKey(SectionLearner, on_delete=models.PROTECT,
                                        related_name="improvement_sittings",
                                        verbose_name=_("learner"))
    sitting = models.PositiveSmallIntegerField(
        _("exam session"), validators=[MinValueValidator(2), MaxValueValidator(MAX_SITTINGS)])
    decision_number = models.CharField(_("decision number"), max_length=50)
    reason = models.TextField(_("reason"), blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    granted_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "training_improvementsitting"
        verbose_name = _("improvement sitting")
        verbose_name_plural = _("improvement sittings")
        constraints = [
            models.UniqueConstraint(fields=["section_learner", "sitting"],
                                    name="improvement_sitting_unique"),
            models.CheckConstraint(condition=Q(sitting__gte=2, sitting__lte=MAX_SITTINGS),
                                   name="improvement_sitting_range"),
            models.CheckConstraint(condition=~Q(decision_number=""),
                                   name="improvement_sitting_has_decision"),
        ]

    def __str__(self):
        return f"{self.section_learner_id} · {self.sitting}"


class AmendmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


@pghistory.track(meta={"db_table": "training_amendmentevent"})
@pgtrigger.register(
    pgtrigger.Protect(name="amendment_decided_is_final", operation=pgtrigger.Update,
                      condition=~pgtrigger.Q(old__status=AmendmentStatus.REQUESTED)),
    pgtrigger.Protect(name="amendment_not_deleted", operation=pgtrigger.Delete),
)
class Amendment(models.Model):
    """A correction of an approved cell: the old and new value, why, who asked, who approved.

    The approved Score row never changes; the cell's value is that of its latest approved
    amendment, and both stay on record (docs/grading.md, "Amendments").
    """

    gradebook = models.ForeignKey(Gradebook, on_delete=models.PROTECT,
                                  related_name="amendments", verbose_name=_("gradebook"))
    section_learner = models.ForeignKey(SectionLearner, on_delete=models.PROTECT,
                                        related_name="amendments", verbose_name=_("learner"))
    kind = models.CharField(_("component"), max_length=12, choices=AssessmentKind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    old_score = models.DecimalField(_("old score"), max_digits=3, decimal_places=1, null=True,
                                    blank=True)
    old_mark = models.CharField(_("old reason code"), max_length=2, choices=ScoreMark.choices,
                                blank=True)
    new_score = models.DecimalField(_("new score"), max_digits=3, decimal_places=1, null=True,
                                    blank=True)
    new_mark = models.CharField(_("new reason code"), max_length=2, choices=ScoreMark.choices,
                                blank=True)
    reason = models.TextField(_("reason"))
    evidence = models.CharField(_("evidence"), max_length=300, blank=True,
                                help_text=_("E.g. the re-marking record or the decision number."))
    status = models.CharField(_("status"), max_length=10, choices=AmendmentStatus.choices,
                              default=AmendmentStatus.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        db_table = "training_amendment"
        ordering = ["gradebook", "-requested_at"]
        verbose_name = _("score amendment")
        verbose_name_plural = _("score amendments")
        constraints = [
            models.CheckConstraint(condition=_score_range("old_"), name="amendment_old_range"),
            models.CheckConstraint(condition=_score_range("new_"), name="amendment_new_range"),
            models.CheckConstraint(condition=_score_or_mark("old_"),
                                   name="amendment_old_score_or_mark"),
            models.CheckConstraint(condition=_score_or_mark("new_"),
                                   name="amendment_new_score_or_mark"),
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_reason"),
            models.CheckConstraint(
                condition=Q(status=AmendmentStatus.REQUESTED, decided_by__isnull=True,
                            decided_at__isnull=True)
                | ~Q(status=AmendmentStatus.REQUESTED) & Q(decided_by__isnull=False,
                                                           decided_at__isnull=False),
                name="amendment_decision_recorded",
            ),
            models.UniqueConstraint(
                fields=["section_learner", "kind", "number"],
                condition=Q(status=AmendmentStatus.REQUESTED),
                name="amendment_one_open_per_cell",
            ),
        ]
        indexes = [models.Index(fields=["section_learner", "status"],
                                name="amendment_learner_status")]

    def __str__(self):
        return f"{self.section_learner_id} {self.kind}{self.number}: {self.old} → {self.new}"

    @property
    def old(self) -> str:
        return self.old_mark or ("" if self.old_score is None else str(self.old_score))

    @property
    def new(self) -> str:
        return self.new_mark or ("" if self.new_score is None else str(self.new_score))


@pgtrigger.register(
    pgtrigger.Protect(name="gradebook_log_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class GradebookLog(models.Model):
    """The human-readable action log of a gradebook (STYLE #21): dotted action codes."""

    SUBMITTED = "training.gradebook.submitted"
    RETURNED = "training.gradebook.returned"
    APPROVED = "training.gradebook.approved"
    SITTING_OPENED = "training.gradebook.sitting_opened"
    IMPORTED = "training.gradebook.imported"
    AMENDMENT_REQUESTED = "training.amendment.requested"
    AMENDMENT_APPROVED = "training.amendment.approved"
    AMENDMENT_REJECTED = "training.amendment.rejected"
    AMENDMENT_WITHDRAWN = "training.amendment.withdrawn"
    LABELS = {
        SUBMITTED: _("Submitted for approval"),
        RETURNED: _("Returned to the teacher"),
        APPROVED: _("Approved and locked"),
        SITTING_OPENED: _("Exam session opened"),
        IMPORTED: _("Imported from a spreadsheet"),
        AMENDMENT_REQUESTED: _("Amendment requested"),
        AMENDMENT_APPROVED: _("Amendment approved"),
        AMENDMENT_REJECTED: _("Amendment rejected"),
        AMENDMENT_WITHDRAWN: _("Amendment withdrawn"),
    }

    gradebook = models.ForeignKey(Gradebook, on_delete=models.PROTECT, related_name="log",
                                  verbose_name=_("gradebook"))
    action = models.CharField(_("action"), max_length=60)
    sitting = models.PositiveSmallIntegerField(_("exam session"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        db_table = "training_gradebooklog"
        ordering = ["gradebook", "at", "id"]
        verbose_name = _("gradebook log entry")
        verbose_name_plural = _("gradebook log")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.label}"

    @property
    def label(self) -> str:
        return str(self.LABELS.get(self.action, self.action))
