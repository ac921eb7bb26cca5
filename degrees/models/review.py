"""The graduation council's review of a class and the graduation decisions taken on it
(REGULATIONS §4). Decisions and their lines are append-only."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from degrees import graduation


class Classification(models.TextChoices):
    EXCELLENT = graduation.EXCELLENT, _("Excellent")
    VERY_GOOD = graduation.VERY_GOOD, _("Very good")
    GOOD = graduation.GOOD, _("Good")
    AVERAGE = graduation.AVERAGE, _("Average")


CLASSIFICATION_VI = {
    graduation.EXCELLENT: "Xuất sắc",
    graduation.VERY_GOOD: "Giỏi",
    graduation.GOOD: "Khá",
    graduation.AVERAGE: "Trung bình",
}

REASON_LABELS = {
    graduation.CREDITS_OR_MODULES: _("modules or credits not all passed"),
    graduation.GPA: _("cumulative GPA below the minimum"),
    graduation.CONDITION_MODULES: _("physical education or defence and security education "
                                    "not completed"),
    graduation.OTHER_REQUIREMENTS: _("other requirements of the program missing"),
    graduation.DISCIPLINE_OR_PROSECUTION: _("under suspension or higher, or prosecuted"),
    graduation.NO_APPLICATION: _("off the program schedule without an application"),
}


DOWNGRADE_LABELS = {
    graduation.DOWNGRADE_RETAKES: _("exams of modules had to be retaken"),
    graduation.DOWNGRADE_RESTUDY: _("re-studied more than 10% of the program"),
    graduation.DOWNGRADE_DISCIPLINE: _("disciplined at warning or higher during study"),
}

DISCIPLINE_CHOICES = [
    (graduation.REPRIMAND, _("Reprimand (khiển trách)")),
    (graduation.WARNING, _("Warning (cảnh cáo)")),
    (graduation.SUSPENSION, _("Suspension for a term (đình chỉ học tập có thời hạn)")),
    (graduation.EXPULSION, _("Expulsion (buộc thôi học)")),
]


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="review_not_deleted", operation=pgtrigger.Delete),
    pgtrigger.ReadOnly(name="review_facts_fixed",
                       fields=["homeroom_class", "review_date", "rules"]),
)
class GraduationReview(models.Model):
    """The graduation council's review of one class (REGULATIONS §4.1): a proposal only;
    nothing is decided until a GraduationDecision is recorded."""

    homeroom_class = models.ForeignKey("training.HomeroomClass", on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("class"))
    review_date = models.DateField(_("review date"))
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices,
                              default=ReviewStatus.OPEN)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("run by"))
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    # The rule set the review applied (as GRADING_RULES writes it), fixed with its lines.
    rules = models.JSONField(_("rules applied"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("graduation review")
        verbose_name_plural = _("graduation reviews")
        permissions = [("export_graduationreview", _("Can export graduation reviews"))]

    def __str__(self):
        return f"{self.homeroom_class} · {self.review_date:%d/%m/%Y}"


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="review_line_not_deleted", operation=pgtrigger.Delete),
    pgtrigger.ReadOnly(
        name="review_line_proposal_fixed",
        fields=["review", "enrollment", "eligible", "reasons", "cumulative_gpa_4",
                "earned_credits", "required_credits", "retaken_modules", "restudied_credits",
                "proposed_classification", "downgraded", "downgrade_reasons",
                "discipline_level", "missing_requirements"]),
)
class ReviewLine(models.Model):
    """One learner in a review: the computed proposal (fixed) and the final verdict, which
    only an adjustment with a recorded reason changes."""

    review = models.ForeignKey(GraduationReview, on_delete=models.PROTECT, related_name="lines",
                               verbose_name=_("review"))
    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("enrolment"))
    eligible = models.BooleanField(_("eligible (computed)"))
    reasons = ArrayField(models.CharField(max_length=30), default=list, blank=True,
                         verbose_name=_("reasons"))
    cumulative_gpa_4 = models.DecimalField(_("cumulative GPA (4-point)"), max_digits=3,
                                           decimal_places=2, null=True, blank=True)
    earned_credits = models.PositiveSmallIntegerField(_("credits earned"))
    required_credits = models.PositiveSmallIntegerField(_("credits required"))
    retaken_modules = models.PositiveSmallIntegerField(_("modules retaken"), default=0)
    restudied_credits = models.PositiveSmallIntegerField(_("credits re-studied"), default=0)
    proposed_classification = models.CharField(_("proposed classification"), max_length=10,
                                               choices=Classification.choices, blank=True)
    downgraded = models.BooleanField(_("lowered one level"), default=False)
    # Why the classification was lowered (§4.3 a–c) and what the records said.
    downgrade_reasons = ArrayField(models.CharField(max_length=30), default=list, blank=True,
                                   verbose_name=_("lowered because"))
    discipline_level = models.CharField(
        _("highest discipline during study"), max_length=12, default=graduation.NO_DISCIPLINE,
        choices=[(graduation.NO_DISCIPLINE, _("None")), *DISCIPLINE_CHOICES])
    missing_requirements = ArrayField(models.CharField(max_length=20), default=list,
                                      blank=True, verbose_name=_("requirements missing"))
    final_eligible = models.BooleanField(_("recognised"))
    final_classification = models.CharField(_("classification"), max_length=10,
                                            choices=Classification.choices, blank=True)

    class Meta:
        ordering = ["review", "enrollment__learner__full_name", "pk"]
        verbose_name = _("review line")
        verbose_name_plural = _("review lines")
        constraints = [
            models.UniqueConstraint(fields=["review", "enrollment"], name="review_line_unique"),
            models.CheckConstraint(
                condition=Q(final_eligible=False) | ~Q(final_classification=""),
                name="review_line_recognised_has_classification"),
        ]

    def __str__(self):
        return f"{self.review} · {self.enrollment}"

    @property
    def reason_labels(self) -> list[str]:
        labels = []
        for code in self.reasons:
            label = str(REASON_LABELS.get(code, code))
            if code == graduation.OTHER_REQUIREMENTS and self.missing_requirements:
                label = f"{label}: {', '.join(self.missing_requirements)}"
            labels.append(label)
        return labels

    @property
    def downgrade_labels(self) -> list[str]:
        return [str(DOWNGRADE_LABELS.get(code, code)) for code in self.downgrade_reasons]


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="adjustment_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class ReviewAdjustment(models.Model):
    """A recorded change of a line's verdict (recognised or not, classification) and why."""

    line = models.ForeignKey(ReviewLine, on_delete=models.PROTECT, related_name="adjustments",
                             verbose_name=_("review line"))
    eligible = models.BooleanField(_("recognised"))
    classification = models.CharField(_("classification"), max_length=10,
                                      choices=Classification.choices, blank=True)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review adjustment")
        verbose_name_plural = _("review adjustments")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
            models.CheckConstraint(condition=Q(eligible=False) | ~Q(classification=""),
                                   name="adjustment_recognised_has_classification"),
        ]

    def __str__(self):
        return f"{self.line} · {self.at:%d/%m/%Y}"


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="decision_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class GraduationDecision(models.Model):
    """The principal's graduation decision (quyết định công nhận tốt nghiệp)."""

    review = models.OneToOneField(GraduationReview, on_delete=models.PROTECT,
                                  related_name="decision", verbose_name=_("review"))
    number = models.CharField(_("decision number"), max_length=50, unique=True)
    date = models.DateField(_("decision date"))
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("graduation decision")
        verbose_name_plural = _("graduation decisions")
        constraints = [
            models.CheckConstraint(condition=~Q(number="") & ~Q(signer_name=""),
                                   name="decision_has_number_and_signer"),
        ]

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="decision_line_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class DecisionLine(models.Model):
    """One learner recognised as graduated by a decision. An enrolment graduates once."""

    decision = models.ForeignKey(GraduationDecision, on_delete=models.PROTECT,
                                 related_name="lines", verbose_name=_("decision"))
    enrollment = models.OneToOneField("enrollment.Enrollment", on_delete=models.PROTECT,
                                      related_name="graduation", verbose_name=_("enrolment"))
    review_line = models.OneToOneField(ReviewLine, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("review line"))
    classification = models.CharField(_("classification"), max_length=10,
                                      choices=Classification.choices)
    cumulative_gpa_4 = models.DecimalField(_("cumulative GPA (4-point)"), max_digits=3,
                                           decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["decision", "pk"]
        verbose_name = _("learner recognised")
        verbose_name_plural = _("learners recognised")

    def __str__(self):
        return f"{self.decision.number} · {self.enrollment}"
