"""Sections (lớp môn học / học phần): a module offered in a semester to one or more classes,
their teachers, and the learners who take them.

Grading hangs its score sheets and results on Section and SectionLearner.
"""

# Trigger SQL is assembled from table-name constants, never from input.
# ruff: noqa: S608

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Deferrable, Q
from django.utils.translation import gettext_lazy as _

from training.models.calendar import Semester
from training.models.classes import HomeroomClass
from training.models.programs import Module
from training.models.triggers import (
    MODULE_TABLE,
    SECTION_CLASS_TABLE,
    SECTION_TABLE,
    lock_programs,
    refuse_if_any,
)
from vetschool.regulation.config import rules_in_force

# The canonical form of a section's set of classes: their ids, ascending, comma-separated;
# NULL for a section without classes (a retake group), which the unique key then ignores.
CLASS_KEY_SQL = f"""
    (SELECT string_agg(sc.homeroom_class_id::text, ',' ORDER BY sc.homeroom_class_id)
     FROM {SECTION_CLASS_TABLE} sc WHERE sc.section_id = s.id)
"""
SECTION_UNIQUE = "section_unique_module_semester_classes"
PRACTICE_CAPACITY = _("A practice class has at most %(limit)s learners (REGULATIONS §3.5), "
                      "not %(capacity)s.")


def class_key(class_ids) -> str | None:
    return ",".join(str(pk) for pk in sorted(set(class_ids))) or None


class DeliveryForm(models.TextChoices):
    """How a section is taught (Decision 2222: quality assurance of online teaching too)."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended (in person and online)")


@pghistory.track(exclude=["class_key"])
@pgtrigger.register(
    pgtrigger.ReadOnly(name="section_module_semester_fixed", fields=["module", "semester"]),
    lock_programs(
        "section_locks_program",
        program_ids=f"SELECT m.program_id FROM new_rows n JOIN {MODULE_TABLE} m "
                    f"ON m.id = n.module_id",
    ),
)
class Section(models.Model):
    """A module taught in one semester to a set of classes (possibly none: retake groups)."""

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="sections",
                               verbose_name=_("module"))
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="sections",
                                 verbose_name=_("semester"))
    code = models.CharField(_("section code"), max_length=60)
    classes = models.ManyToManyField(HomeroomClass, through="SectionClass",
                                     related_name="sections", verbose_name=_("classes"))
    class_key = models.CharField(
        _("classes (key)"), max_length=500, null=True, blank=True, editable=False,
        help_text=_("The ids of the section's classes, kept by the database."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    practice = models.BooleanField(
        _("practice class"), default=False,
        help_text=_("A practice or integrated class: at most 18 learners, 10 for a hazardous "
                    "occupation (REGULATIONS §3.5; the numbers are rules of GRADING_RULES)."),
    )
    schedule = models.TextField(_("schedule"), blank=True,
                                help_text=_("Days, periods and rooms, as the timetable says."))
    delivery_form = models.CharField(_("delivery form"), max_length=10,
                                     choices=DeliveryForm.choices, default=DeliveryForm.IN_PERSON)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["semester", "code"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["semester", "code"], name="section_code_unique"),
            # One section per module × semester × set of classes. Deferred: the key is
            # completed by the trigger on SectionClass within the same transaction.
            models.UniqueConstraint(
                fields=["module", "semester", "class_key"], name=SECTION_UNIQUE,
                deferrable=Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1, capacity__lte=500),
                name="section_capacity_range",
            ),
            models.CheckConstraint(
                condition=Q(delivery_form__in=["in_person", "online", "blended"]),
                name="section_delivery_form_known",
            ),
        ]
        indexes = [models.Index(fields=["semester", "module"], name="section_semester_module")]

    def __str__(self):
        return self.code

    def practice_limit(self) -> int | None:
        """Most learners of this section if it is a practice class (§3.5), else None."""
        if not self.practice:
            return None
        return rules_in_force().practice_class_max(
            hazardous=self.module.program.occupation.hazardous)

    def clean(self):
        super().clean()
        limit = self.practice_limit() if self.module_id else None
        if limit is not None and self.capacity is not None and self.capacity > limit:
            raise ValidationError({"capacity": ValidationError(
                PRACTICE_CAPACITY, code="practice_class_too_large",
                params={"limit": limit, "capacity": self.capacity})})


@pgtrigger.register(
    pgtrigger.Protect(name="section_class_no_update", operation=pgtrigger.Update),
    pgtrigger.Trigger(
        name="section_class_key_on_insert", level=pgtrigger.Statement, when=pgtrigger.After,
        operation=pgtrigger.Insert, referencing=pgtrigger.Referencing(new="new_rows"),
        func=f"""
            UPDATE {SECTION_TABLE} s SET class_key = {CLASS_KEY_SQL}
            WHERE s.id IN (SELECT section_id FROM new_rows);
            RETURN NULL;
        """,
    ),
    pgtrigger.Trigger(
        name="section_class_key_on_delete", level=pgtrigger.Statement, when=pgtrigger.After,
        operation=pgtrigger.Delete, referencing=pgtrigger.Referencing(old="old_rows"),
        func=f"""
            UPDATE {SECTION_TABLE} s SET class_key = {CLASS_KEY_SQL}
            WHERE s.id IN (SELECT section_id FROM old_rows);
            RETURN NULL;
        """,
    ),
)
class SectionClass(models.Model):
    """A class taking part in a section."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="class_links",
                                verbose_name=_("section"))
    homeroom_class = models.ForeignKey(HomeroomClass, on_delete=models.PROTECT,
                                       related_name="section_links", verbose_name=_("class"))

    class Meta:
        verbose_name = _("class of a section")
        verbose_name_plural = _("classes of sections")
        constraints = [
            models.UniqueConstraint(fields=["section", "homeroom_class"],
                                    name="section_class_unique"),
        ]
        indexes = [models.Index(fields=["homeroom_class"], name="section_class_by_class")]

    def __str__(self):
        return f"{self.section_id} · {self.homeroom_class_id}"


class TeachingRole(models.TextChoices):
    MAIN = "main", _("Main teacher")
    CO_TEACHER = "co_teacher", _("Co-teacher")
    PRACTICE = "practice", _("Practice instructor")


@pghistory.track()
class TeachingAssignment(models.Model):
    """A member of staff teaches a section (phân công giảng dạy)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="assignments",
                                verbose_name=_("section"))
    staff = models.ForeignKey("staff.StaffMember", on_delete=models.PROTECT,
                              related_name="teaching_assignments", verbose_name=_("teacher"))
    role = models.CharField(_("role"), max_length=12, choices=TeachingRole.choices,
                            default=TeachingRole.MAIN)
    hours = models.PositiveSmallIntegerField(
        _("hours taught"), null=True, blank=True,
        help_text=_("The share of the module's hours this teacher teaches, if split."),
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        ordering = ["section", "role", "staff"]
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")
        constraints = [
            models.UniqueConstraint(fields=["section", "staff"], name="assignment_unique"),
            models.UniqueConstraint(fields=["section"], condition=Q(role=TeachingRole.MAIN),
                                    name="assignment_one_main_teacher"),
        ]
        indexes = [models.Index(fields=["staff", "section"], name="assignment_staff_section")]

    def __str__(self):
        return f"{self.section} · {self.staff}"


class SectionLearnerSource(models.TextChoices):
    CLASS = "class", _("From the class")
    RESTUDY = "restudy", _("Re-study (học lại)")
    IMPROVEMENT = "improvement", _("Improvement (học cải thiện)")
    ELECTIVE = "elective", _("Elective")
    TRANSFER = "transfer", _("Moved from another class")
    OTHER = "other", _("Other")


@pgtrigger.register(
    pgtrigger.ReadOnly(name="section_learner_keys_fixed",
                       fields=["section", "enrollment", "module", "semester"]),
    pgtrigger.Protect(name="section_learner_not_deleted", operation=pgtrigger.Delete,
                      condition=pgtrigger.Q(old__removed_at__isnull=False)),
    refuse_if_any(
        "section_learner_matches_section", operation=pgtrigger.Insert,
        bad_rows=f"""
            SELECT 1 FROM new_rows n JOIN {SECTION_TABLE} s ON s.id = n.section_id
            WHERE s.module_id <> n.module_id OR s.semester_id <> n.semester_id
        """,
        message="module and semester of a section learner must be those of the section",
    ),
)
class SectionLearner(models.Model):
    """A learner (through one enrolment) on the list of a section.

    Learners come from the section's classes (source `class`) or are added one by one with
    a reason (re-study, improvement, electives). Leaving a list is recorded, not deleted
    (`removed_at`), so results hung here by grading keep their context. `module` and
    `semester` repeat the section's so that the database can refuse a second active entry
    of the same learner for the same module in the same semester.
    """

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="learners",
                                verbose_name=_("section"))
    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="section_entries", verbose_name=_("enrolment"))
    # Copies of the section's: the insert trigger checks them against the section (whose own
    # keys hold the references), so no foreign-key check per row is needed on top.
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+",
                               db_constraint=False, verbose_name=_("module"))
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="+",
                                 db_constraint=False, verbose_name=_("semester"))
    source = models.CharField(_("source"), max_length=12, choices=SectionLearnerSource.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("added by"))
    added_at = models.DateTimeField(_("added at"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("removed by"))

    class Meta:
        ordering = ["section", "enrollment"]
        verbose_name = _("learner of a section")
        verbose_name_plural = _("learners of sections")
        constraints = [
            models.UniqueConstraint(fields=["section", "enrollment"],
                                    name="section_learner_unique"),
            models.UniqueConstraint(
                fields=["enrollment", "module", "semester"], condition=Q(removed_at__isnull=True),
                name="section_learner_one_active_per_module",
            ),
            models.CheckConstraint(
                condition=Q(source="class") | ~Q(reason=""),
                name="section_learner_addition_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_reason="")
                | Q(removed_at__isnull=False) & ~Q(removed_reason=""),
                name="section_learner_removal_has_reason",
            ),
        ]
        # No other index: (section, enrollment) serves the lists, and every index costs
        # on the generation of a semester's lists (100,000 rows at scale).

    def __str__(self):
        return f"{self.section} · {self.enrollment_id}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None
