"""Amendments of approved cells (requested, then approved or rejected; never deleted) and
the gradebook's append-only action log."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grading.models.assessment import Gradebook, ScoreMark, score_or_mark, score_range
from training.models.programs import AssessmentKind
from training.models.sections import SectionLearner


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
            models.CheckConstraint(condition=score_range("old_"), name="amendment_old_range"),
            models.CheckConstraint(condition=score_range("new_"), name="amendment_new_range"),
            models.CheckConstraint(condition=score_or_mark("old_"),
                                   name="amendment_old_score_or_mark"),
            models.CheckConstraint(condition=score_or_mark("new_"),
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
    """The human-readable action log of a gradebook (STYLE #21): dotted action codes.

    The codes keep the `training.` prefix they were stored with before grading became its
    own app: the log is append-only, so old and new rows must share one vocabulary."""

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
