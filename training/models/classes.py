"""Homeroom classes (lớp) and the dated history of who belongs to which class."""

# Trigger SQL is assembled from table-name constants, never from input.
# ruff: noqa: S608

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from training.models.calendar import DateRange, Semester
from training.models.programs import Program
from training.models.triggers import (
    CLASS_TABLE,
    ENROLLMENT_TABLE,
    PROGRAM_TABLE,
    lock_programs,
    refuse_if_any,
)

CLASS_CODE = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$",
    _("Use letters A-Z, digits, dots, dashes or underscores (no spaces, no accents)."),
)


class ClassStatus(models.TextChoices):
    ACTIVE = "active", _("Studying")
    FINISHED = "finished", _("Finished")


@pghistory.track()
@pgtrigger.register(
    pgtrigger.ReadOnly(name="class_program_and_year_fixed",
                       fields=["program", "admission_year"]),
    lock_programs("class_locks_program", program_ids="SELECT program_id FROM new_rows"),
)
class HomeroomClass(models.Model):
    """A homeroom class: the learners of one program version admitted in one year."""

    code = models.CharField(_("class code"), max_length=30, unique=True, validators=[CLASS_CODE])
    name = models.CharField(_("name"), max_length=200, blank=True)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="classes",
                                verbose_name=_("program version"))
    admission_year = models.PositiveSmallIntegerField(
        _("admission year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    first_semester = models.ForeignKey(
        Semester, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("first semester"),
        help_text=_("The calendar semester in which the class studies semester 1 of its "
                    "program; sections are generated from it."),
    )
    advisor = models.ForeignKey(
        "staff.StaffMember", on_delete=models.PROTECT, null=True, blank=True,
        related_name="advised_classes", verbose_name=_("advisor"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    status = models.CharField(_("status"), max_length=10, choices=ClassStatus.choices,
                              default=ClassStatus.ACTIVE, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-admission_year", "code"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.CheckConstraint(condition=Q(code=Upper("code")), name="class_code_upper"),
            models.CheckConstraint(
                condition=Q(admission_year__gte=2000, admission_year__lte=2100),
                name="class_admission_year_range",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1, capacity__lte=200),
                name="class_capacity_range",
            ),
        ]
        indexes = [models.Index(fields=["program", "admission_year"], name="class_program_year")]

    def __str__(self):
        return self.code

    def program_semester_of(self, semester: Semester) -> int | None:
        """The semester of the program the class studies in a calendar semester (1, 2, ...)."""
        if self.first_semester is None or semester.is_summer:
            return None
        return semester.ordinal - self.first_semester.ordinal + 1


class MembershipReason(models.TextChoices):
    PLACEMENT = "placement", _("Placement on admission")
    TRANSFER = "transfer", _("Moved from another class")
    RETURN = "return", _("Return from reserve or suspension")
    CORRECTION = "correction", _("Correction of a placement")
    OTHER = "other", _("Other")


class MembershipEnd(models.TextChoices):
    MOVED = "moved", _("Moved to another class")
    LEFT = "left", _("Left the college or interrupted study")
    FINISHED = "finished", _("Finished the program")
    CORRECTION = "correction", _("Placed by mistake")


# The row itself records the placement (who, when); the history records its closing.
@pghistory.track(pghistory.UpdateEvent())
@pgtrigger.register(
    pgtrigger.ReadOnly(name="membership_facts_fixed",
                       fields=["homeroom_class", "enrollment", "from_date", "reason"]),
    pgtrigger.Protect(
        name="membership_end_is_final", operation=pgtrigger.Update,
        condition=pgtrigger.Q(old__to_date__isnull=False)
        & (pgtrigger.Q(old__to_date__df=pgtrigger.F("new__to_date"))
           | pgtrigger.Q(old__end_reason__df=pgtrigger.F("new__end_reason"))),
    ),
    pgtrigger.Protect(name="membership_not_deleted", operation=pgtrigger.Delete),
    refuse_if_any(
        "membership_same_occupation", operation=pgtrigger.Insert,
        bad_rows=f"""
            SELECT 1 FROM new_rows n
            JOIN {CLASS_TABLE} c ON c.id = n.homeroom_class_id
            JOIN {PROGRAM_TABLE} p ON p.id = c.program_id
            JOIN {ENROLLMENT_TABLE} e ON e.id = n.enrollment_id
            WHERE e.occupation_id <> p.occupation_id
        """,
        message="the class follows a program of another occupation than the enrolment",
    ),
)
class ClassMembership(models.Model):
    """An enrolment belongs to a class from `from_date` up to (not including) `to_date`.

    Rows are history: they are never deleted, and a closed one never changes. A learner has
    at most one open membership and the periods of one enrolment never overlap.
    """

    homeroom_class = models.ForeignKey(HomeroomClass, on_delete=models.PROTECT,
                                       related_name="memberships", verbose_name=_("class"))
    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="class_memberships", verbose_name=_("enrolment"))
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("until"), null=True, blank=True,
                               help_text=_("First day no longer in the class; empty while in it."))
    reason = models.CharField(_("reason"), max_length=12, choices=MembershipReason.choices)
    end_reason = models.CharField(_("reason for leaving"), max_length=12,
                                  choices=MembershipEnd.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["enrollment", "from_date", "id"]
        verbose_name = _("class membership")
        verbose_name_plural = _("class memberships")
        constraints = [
            models.UniqueConstraint(fields=["enrollment"], condition=Q(to_date__isnull=True),
                                    name="membership_one_open_per_enrollment"),
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=F("from_date")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(to_date__isnull=True, end_reason="")
                | Q(to_date__isnull=False) & ~Q(end_reason=""),
                name="membership_end_has_reason",
            ),
            ExclusionConstraint(
                name="membership_periods_do_not_overlap",
                expressions=[
                    ("enrollment", RangeOperators.EQUAL),
                    (DateRange("from_date", "to_date", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["homeroom_class"], condition=Q(to_date__isnull=True),
                         name="membership_open_by_class"),
        ]

    def __str__(self):
        until = f"{self.to_date:%d/%m/%Y}" if self.to_date else "…"
        return f"{self.homeroom_class} {self.from_date:%d/%m/%Y} – {until}"

    @property
    def is_open(self) -> bool:
        return self.to_date is None
