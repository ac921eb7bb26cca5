"""Attendance of a section: its class sessions, learners' absences and the principal's
attendance waivers (REGULATIONS §1.6). Locked rows are refused any UPDATE or DELETE by the
database once their gradebook session is approved."""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grading.models.assessment import Gradebook
from training.models.sections import SectionLearner


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
