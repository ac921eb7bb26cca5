"""The modules of a program version (môn học / mô-đun), their prerequisites and
assessment plans; frozen with their version once it is in use (see `versions`).
"""

# Trigger SQL is assembled from table-name constants, never from input.
# ruff: noqa: S608

import pghistory
import pgtrigger
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from training.models.programs.versions import Program
from training.models.triggers import MODULE_TABLE, frozen_with_program

MODULE_CODE = RegexValidator(
    r"^[^\s]{1,20}$", _("A module code has 1 to 20 characters and no spaces, e.g. MH01 or MĐ07.")
)
MAX_PLANNED_SEMESTER = 12


class ModuleKind(models.TextChoices):
    GENERAL = "general", _("General")
    CORE = "core", _("Core (foundation)")
    SPECIALIZED = "specialized", _("Specialized")
    ELECTIVE = "elective", _("Elective")
    INTERNSHIP = "internship", _("Internship")


class UnitType(models.TextChoices):
    SUBJECT = "subject", _("Subject (môn học)")
    MODULE = "module", _("Module (mô-đun)")


@pghistory.track()
@pgtrigger.register(
    frozen_with_program("module_program_not_in_use", program_of="{row}.program_id"),
)
class Module(models.Model):
    """A subject or module (môn học / mô-đun) of a program version."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="modules",
                                verbose_name=_("program"))
    code = models.CharField(_("code"), max_length=20, validators=[MODULE_CODE])
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    unit_type = models.CharField(_("type"), max_length=10, choices=UnitType.choices,
                                 default=UnitType.SUBJECT)
    kind = models.CharField(_("kind"), max_length=12, choices=ModuleKind.choices)
    credits = models.PositiveSmallIntegerField(_("credits"),
                                               validators=[MaxValueValidator(30)])
    theory_hours = models.PositiveSmallIntegerField(_("theory hours"), default=0)
    practice_hours = models.PositiveSmallIntegerField(
        _("practice hours"), default=0,
        help_text=_("Practice, exercises, discussion, experiments and internship."),
    )
    exam_hours = models.PositiveSmallIntegerField(_("exam hours"), default=0,
                                                  help_text=_("Checks and exams."))
    planned_semester = models.PositiveSmallIntegerField(
        _("planned semester"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PLANNED_SEMESTER)],
        help_text=_("The semester of the program (1, 2, ...) in which it is taught."),
    )
    counts_in_gpa = models.BooleanField(
        _("counts in GPA"), default=True,
        help_text=_("Physical education and national defence-security education do not "
                    "(condition modules, REGULATIONS §2.2)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, through="ModulePrerequisite",
        through_fields=("module", "requires"), related_name="required_by", blank=True,
        verbose_name=_("prerequisites"),
    )

    class Meta:
        ordering = ["program", "planned_semester", "order", "code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="module_code_unique"),
            models.CheckConstraint(condition=Q(code=Upper("code")), name="module_code_upper"),
            models.CheckConstraint(condition=~Q(code=""), name="module_code_not_empty"),
            models.CheckConstraint(
                condition=Q(planned_semester__gte=1, planned_semester__lte=MAX_PLANNED_SEMESTER),
                name="module_planned_semester_range",
            ),
            models.CheckConstraint(condition=Q(credits__lte=30), name="module_credits_range"),
            models.CheckConstraint(
                condition=Q(theory_hours__gt=0) | Q(practice_hours__gt=0),
                name="module_has_hours",
            ),
        ]
        indexes = [models.Index(fields=["program", "planned_semester"],
                                name="module_program_semester")]

    def __str__(self):
        return f"{self.code} {self.name_vi}"

    @property
    def total_hours(self) -> int:
        return self.theory_hours + self.practice_hours + self.exam_hours

    @property
    def is_condition_module(self) -> bool:
        """Physical education, defence-security education: required, outside the GPA."""
        return not self.counts_in_gpa


@pghistory.track()
@pgtrigger.register(
    frozen_with_program(
        "prerequisite_program_not_in_use",
        program_of=f"(SELECT program_id FROM {MODULE_TABLE} WHERE id = {{row}}.module_id)",
    ),
)
class ModulePrerequisite(models.Model):
    """`module` may be studied only after `requires` (both of the same program version)."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE,
                               related_name="prerequisite_links", verbose_name=_("module"))
    requires = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("requires"))

    class Meta:
        verbose_name = _("prerequisite")
        verbose_name_plural = _("prerequisites")
        constraints = [
            models.UniqueConstraint(fields=["module", "requires"], name="prerequisite_unique"),
            models.CheckConstraint(condition=~Q(module=F("requires")),
                                   name="prerequisite_not_itself"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="prerequisite_same_program", level=pgtrigger.Row, when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=f"""
                    IF (SELECT program_id FROM {MODULE_TABLE} WHERE id = NEW.module_id)
                       IS DISTINCT FROM
                       (SELECT program_id FROM {MODULE_TABLE} WHERE id = NEW.requires_id) THEN
                        RAISE EXCEPTION 'training: a prerequisite must be a module of the '
                                        'same program version' USING ERRCODE = '23514';
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self):
        return f"{self.requires.code} → {self.module.code}"


class AssessmentKind(models.TextChoices):
    CONTINUOUS = "continuous", _("Continuous check (kiểm tra thường xuyên)")
    PERIODIC = "periodic", _("Periodic check (kiểm tra định kỳ)")
    EXAM = "exam", _("Final exam (thi kết thúc)")


class AssessmentForm(models.TextChoices):
    WRITTEN = "written", _("Written")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    ORAL = "oral", _("Oral")
    PRACTICAL = "practical", _("Practical")
    COMBINED = "combined", _("Written and practical")
    REPORT = "report", _("Report or project")
    ONLINE = "online", _("Online")


@pghistory.track()
@pgtrigger.register(
    frozen_with_program(
        "assessment_program_not_in_use",
        program_of=f"(SELECT program_id FROM {MODULE_TABLE} WHERE id = {{row}}.module_id)",
    ),
)
class AssessmentComponent(models.Model):
    """One line of a module's assessment plan: how many checks of a kind, or its exam.

    The weights are the regulation's, the same for every module (continuous 1, periodic 2;
    checks average 0.4, exam 0.6 — REGULATIONS §1.3–1.4, configured in the grading app),
    so the plan says which checks and exam the module uses, not how they weigh.
    """

    module = models.ForeignKey(Module, on_delete=models.CASCADE,
                               related_name="assessment_plan", verbose_name=_("module"))
    kind = models.CharField(_("kind"), max_length=12, choices=AssessmentKind.choices)
    count = models.PositiveSmallIntegerField(
        _("number"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    form = models.CharField(_("form"), max_length=20, choices=AssessmentForm.choices, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True,
                                                        blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    KIND_ORDER = {AssessmentKind.CONTINUOUS: 0, AssessmentKind.PERIODIC: 1, AssessmentKind.EXAM: 2}

    class Meta:
        ordering = ["module", "kind"]
        verbose_name = _("assessment plan line")
        verbose_name_plural = _("assessment plan")
        constraints = [
            models.UniqueConstraint(fields=["module", "kind"], name="assessment_kind_unique"),
            models.CheckConstraint(condition=Q(count__gte=1, count__lte=10),
                                   name="assessment_count_range"),
            models.CheckConstraint(condition=~Q(kind=AssessmentKind.EXAM) | Q(count=1),
                                   name="assessment_one_exam"),
            models.CheckConstraint(condition=~Q(kind=AssessmentKind.EXAM) | ~Q(form=""),
                                   name="assessment_exam_has_form"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} × {self.count}"


def default_check_counts(credits: int) -> tuple[int, int]:
    """(continuous, periodic) checks of a module by its credits: 1–3 → 1 + 1, ≥ 4 → 2 + 2.

    The college's default plan (REGULATIONS §1.3, from S8); each module may set its own.
    """
    return (2, 2) if credits >= 4 else (1, 1)
