"""A learner's conduct on record: disciplinary decisions (kỷ luật) and graduation holds
(criminal prosecution, a disciplinary matter pending) — REGULATIONS §2.4, §4.1 d, §4.3 c.

Legal records: the facts of a decision never change and nothing is deleted (database
triggers refuse both). A decision that turns out wrong is revoked, once, by a later decision
whose number, date and reason are recorded on the row; a hold is lifted the same way. After
that the row is frozen as a whole. pghistory keeps who did what.
"""

import functools
import operator

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enrollment.models.enrolments import Enrollment, EnrollmentStatusChange


class DisciplineLevel(models.TextChoices):
    """From the mildest up; the values are those of degrees.graduation (checked by a test)."""

    REPRIMAND = "reprimand", _("Reprimand (khiển trách)")
    WARNING = "warning", _("Warning (cảnh cáo)")
    SUSPENSION = "suspension", _("Suspension for a term (đình chỉ học tập có thời hạn)")
    EXPULSION = "expulsion", _("Expulsion (buộc thôi học)")


# The order that "warning or higher" reads (§2.4, §4.3 c).
DISCIPLINE_ORDER = [DisciplineLevel.REPRIMAND, DisciplineLevel.WARNING,
                    DisciplineLevel.SUSPENSION, DisciplineLevel.EXPULSION]

# The forms that lower a classification (§2.4 a, §4.3 c): warning or higher.
LOWERING_DISCIPLINE = [DisciplineLevel.WARNING, DisciplineLevel.SUSPENSION,
                       DisciplineLevel.EXPULSION]

DISCIPLINE_FACTS = ["enrollment", "level", "decision_number", "decision_date", "reason",
                    "art17_excluded", "suspended_from", "suspended_until", "status_change",
                    "recorded_by", "recorded_at"]
REVOCATION_FIELDS = ["revocation_number", "revocation_date", "revocation_reason",
                     "revoked_by", "revoked_at"]


def _changed(fields):
    return functools.reduce(operator.or_, [
        pgtrigger.Q(**{f"old__{field}__df": pgtrigger.F(f"new__{field}")}) for field in fields])


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="discipline_not_deleted", operation=pgtrigger.Delete),
    pgtrigger.ReadOnly(name="discipline_facts_frozen", fields=DISCIPLINE_FACTS),
    pgtrigger.Protect(name="discipline_revocation_final", operation=pgtrigger.Update,
                      condition=pgtrigger.Q(old__revocation_number__isnull=False)
                      & _changed(REVOCATION_FIELDS)),
)
class DisciplineRecord(models.Model):
    """One disciplinary decision on an enrolment. The semester it counts in is the one its
    decision date falls in (grading reads it; docs/enrollment.md)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT,
                                   related_name="discipline_records",
                                   verbose_name=_("enrolment"))
    level = models.CharField(_("disciplinary form"), max_length=12,
                             choices=DisciplineLevel.choices)
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    reason = models.TextField(_("reason"))
    art17_excluded = models.BooleanField(
        _("form of Art. 17(2)–(3)"), default=False,
        help_text=_("Set by the training office: a form of Article 17(2)–(3) does not lower "
                    "the semester or graduation classification."))
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    status_change = models.OneToOneField(
        EnrollmentStatusChange, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("status change"),
        help_text=_("The enrolment status an expulsion set."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Set once, by the decision that revokes this one.
    revocation_number = models.CharField(_("revoked by decision"), max_length=50, null=True,
                                         blank=True)
    revocation_date = models.DateField(_("revocation date"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason of the revocation"), blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("revocation recorded by"))
    revoked_at = models.DateTimeField(_("revocation recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["enrollment", "decision_date", "pk"]
        verbose_name = _("disciplinary decision")
        verbose_name_plural = _("disciplinary decisions")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=DisciplineLevel.values),
                                   name="discipline_level_valid"),
            models.CheckConstraint(condition=~Q(decision_number="") & ~Q(reason=""),
                                   name="discipline_has_decision_and_reason"),
            # A suspension is for a term: both ends, in order; no other form has a term.
            models.CheckConstraint(
                condition=(Q(level=DisciplineLevel.SUSPENSION, suspended_from__isnull=False,
                             suspended_until__gt=models.F("suspended_from"))
                           | (~Q(level=DisciplineLevel.SUSPENSION)
                              & Q(suspended_from__isnull=True, suspended_until__isnull=True))),
                name="discipline_suspension_has_term"),
            models.CheckConstraint(
                condition=Q(status_change__isnull=True) | Q(level=DisciplineLevel.EXPULSION),
                name="discipline_status_only_by_expulsion"),
            models.CheckConstraint(
                condition=Q(revocation_number__isnull=True, revocation_date__isnull=True,
                            revoked_at__isnull=True)
                | (~Q(revocation_number="") & Q(revocation_date__isnull=False,
                                                revoked_at__isnull=False)
                   & ~Q(revocation_reason="")),
                name="discipline_revocation_complete"),
        ]
        indexes = [models.Index(fields=["enrollment", "decision_date"],
                                name="discipline_enrollment_date")]

    def __str__(self):
        return f"{self.decision_number} · {self.get_level_display()}"

    @property
    def revoked(self) -> bool:
        return self.revocation_number is not None


class HoldKind(models.TextChoices):
    PROSECUTION = "prosecution", _("Criminal prosecution (truy cứu trách nhiệm hình sự)")
    DISCIPLINE_PENDING = "discipline_pending", _("Disciplinary review pending")


HOLD_FACTS = ["enrollment", "kind", "reference", "since", "reason", "recorded_by",
              "recorded_at"]
LIFT_FIELDS = ["lifted_on", "lift_reason", "lifted_by", "lifted_at"]


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="hold_not_deleted", operation=pgtrigger.Delete),
    pgtrigger.ReadOnly(name="hold_facts_frozen", fields=HOLD_FACTS),
    pgtrigger.Protect(name="hold_lift_final", operation=pgtrigger.Update,
                      condition=pgtrigger.Q(old__lifted_on__isnull=False)
                      & _changed(LIFT_FIELDS)),
)
class GraduationHold(models.Model):
    """Something that keeps a learner from graduation while it lasts (§4.1 d): being
    prosecuted for criminal liability, or a disciplinary matter the principal must first
    review. Lifted once, with the date and reason."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="holds",
                                   verbose_name=_("enrolment"))
    kind = models.CharField(_("kind"), max_length=20, choices=HoldKind.choices)
    reference = models.CharField(_("document"), max_length=100,
                                 help_text=_("The notice or decision the hold rests on."))
    since = models.DateField(_("since"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lift_reason = models.TextField(_("reason of the lifting"), blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("lifted by"))
    lifted_at = models.DateTimeField(_("lifting recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["enrollment", "since", "pk"]
        verbose_name = _("graduation hold")
        verbose_name_plural = _("graduation holds")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=HoldKind.values), name="hold_kind_valid"),
            models.CheckConstraint(condition=~Q(reference="") & ~Q(reason=""),
                                   name="hold_has_reference_and_reason"),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True, lifted_at__isnull=True)
                | (Q(lifted_on__gte=models.F("since"), lifted_at__isnull=False)
                   & ~Q(lift_reason="")),
                name="hold_lift_complete"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.reference}"

    def active_on(self, day) -> bool:
        return self.since <= day and (self.lifted_on is None or self.lifted_on > day)
