"""Assessment of a section: its gradebook (score sheet), component scores and improvement
sittings. Attendance is in `attendance`, amendments and the action log in `amendments`.

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


def score_range(prefix: str = "") -> Q:
    field = f"{prefix}score"
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": SCORE_MAX})


def score_or_mark(prefix: str = "") -> Q:
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
            models.CheckConstraint(condition=score_range(), name="score_range_0_10"),
            models.CheckConstraint(condition=score_or_mark(), name="score_or_mark"),
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
