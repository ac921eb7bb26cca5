"""Program versions (chương trình đào tạo) with their learning outcomes, and the version
each enrolment follows.

A program is one version of the curriculum of an occupation (reference catalogue) at the
occupation's level, identified by the year it takes effect (and a revision number when a
year needs two). Once a version is in use — a class follows it, a learner was admitted
under it, or a section of one of its modules exists — it is locked: its content can no
longer change (services refuse, and the database triggers below refuse too); changes make
a new version, and learners keep the version they were admitted under (EnrollmentProgram).
"""

# Trigger SQL is assembled from table-name constants, never from input.
# ruff: noqa: S608

import functools
import operator

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from training.models.triggers import (
    ENROLLMENT_TABLE,
    PROGRAM_TABLE,
    frozen_with_program,
    lock_programs,
    refuse_if_any,
)
from vetschool.reference.models import Occupation
from vetschool.regulation.config import rules_in_force

DURATION_NOT_COVERED = _("A program lasts %(low)s to %(high)s months (REGULATIONS §3.3, §10.2): "
                         "no maximum study time is defined for %(months)s months.")

SHORT_CODE = RegexValidator(
    r"^[A-Za-z0-9]{1,10}$", _("Use 1 to 10 letters A-Z or digits, without accents.")
)


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    RETIRED = "retired", _("Retired")


# The columns of a version that never change once it is in use (everything but its
# status, the lock itself only going from false to true, and bookkeeping).
FROZEN_PROGRAM_FIELDS = (
    "occupation", "effective_year", "revision", "name_vi", "name_en", "short_code",
    "duration_months", "total_credits", "total_hours", "objectives", "decision_number",
    "decision_date", "previous_version", "is_locked",
)


def _any_change(fields):
    return functools.reduce(
        operator.or_,
        [pgtrigger.Q(**{f"old__{field}__df": pgtrigger.F(f"new__{field}")}) for field in fields],
    )


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(
        name="program_in_use_is_frozen", operation=pgtrigger.Update,
        condition=pgtrigger.Q(old__is_locked=True) & _any_change(FROZEN_PROGRAM_FIELDS),
    ),
    pgtrigger.Protect(
        name="program_in_use_not_deleted", operation=pgtrigger.Delete,
        condition=pgtrigger.Q(old__is_locked=True),
    ),
)
class Program(models.Model):
    """One version of the training program of an occupation."""

    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation"),
        help_text=_("Its national code and level come from the reference catalogue."),
    )
    effective_year = models.PositiveSmallIntegerField(
        _("in force from (year)"), validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The version is known by the year it takes effect."),
    )
    revision = models.PositiveSmallIntegerField(
        _("revision"), default=1, validators=[MinValueValidator(1)],
        help_text=_("1 unless the same year needs a second version."),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_code = models.CharField(
        _("short code"), max_length=10, blank=True, validators=[SHORT_CODE],
        help_text=_("Used in class codes, e.g. CNTT."),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), validators=[MinValueValidator(6), MaxValueValidator(48)],
    )
    total_credits = models.PositiveSmallIntegerField(_("total credits"), default=0)
    total_hours = models.PositiveIntegerField(_("total hours"), default=0)
    objectives = models.TextField(_("training objectives"), blank=True)
    decision_number = models.CharField(
        _("decision number"), max_length=50, blank=True,
        help_text=_("The rector's decision promulgating this version."),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProgramStatus.choices,
                              default=ProgramStatus.DRAFT, db_index=True)
    is_locked = models.BooleanField(
        _("in use (locked)"), default=False, editable=False,
        help_text=_("Set by the database when a class, a learner or a section first uses "
                    "this version; a locked version is never edited."),
    )
    previous_version = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions",
        verbose_name=_("previous version"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["occupation__code", "-effective_year", "-revision"]
        verbose_name = _("training program")
        verbose_name_plural = _("training programs")
        constraints = [
            models.UniqueConstraint(fields=["occupation", "effective_year", "revision"],
                                    name="program_version_unique"),
            models.CheckConstraint(condition=Q(effective_year__gte=2000, effective_year__lte=2100),
                                   name="program_effective_year_range"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="program_revision_positive"),
            models.CheckConstraint(condition=Q(duration_months__gte=6, duration_months__lte=48),
                                   name="program_duration_range"),
            # Only a version in force (or retired) can be in use.
            models.CheckConstraint(condition=~Q(is_locked=True, status=ProgramStatus.DRAFT),
                                   name="program_locked_not_draft"),
            models.CheckConstraint(condition=Q(short_code__regex=r"^[A-Z0-9]{0,10}$"),
                                   name="program_short_code_format"),
        ]
        indexes = [models.Index(fields=["status", "occupation"], name="program_status_occ")]

    def __str__(self):
        return f"{self.occupation.code} {self.name_vi} ({self.version_label})"

    @property
    def version_label(self) -> str:
        if self.revision > 1:
            return f"{self.effective_year}.{self.revision}"
        return str(self.effective_year)

    @property
    def level(self) -> str:
        return self.occupation.level

    def get_level_display(self) -> str:
        return self.occupation.get_level_display()

    def clean(self):
        super().clean()
        # §3.3 gives the maximum study time only for 12–36 months (§10.2: intermediate 1–2,
        # college 2–3 years); a length outside it has no maximum, so it is refused here
        # rather than silently never exceeded.
        brackets = rules_in_force().duration_brackets
        if self.duration_months is not None and not any(
                b.min_months <= self.duration_months <= b.max_months for b in brackets):
            raise ValidationError({"duration_months": ValidationError(
                DURATION_NOT_COVERED, code="program_length_out_of_range",
                params={"months": self.duration_months,
                        "low": min(b.min_months for b in brackets),
                        "high": max(b.max_months for b in brackets)})})


class OutcomeDomain(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Knowledge")
    SKILLS = "skills", _("Skills")
    AUTONOMY = "autonomy", _("Autonomy and responsibility")


@pghistory.track()
@pgtrigger.register(
    frozen_with_program("outcome_program_not_in_use", program_of="{row}.program_id"),
)
class LearningOutcome(models.Model):
    """A learning outcome (chuẩn đầu ra) of a program; Decision 2222 counts the digital ones."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcomes",
                                verbose_name=_("program"))
    code = models.CharField(_("code"), max_length=10, help_text=_("E.g. K1, S3, A2."))
    domain = models.CharField(_("domain"), max_length=10, choices=OutcomeDomain.choices)
    text_vi = models.TextField(_("outcome (Vietnamese)"))
    text_en = models.TextField(_("outcome (English)"), blank=True)
    is_digital_capability = models.BooleanField(
        _("digital capability"), default=False,
        help_text=_("The outcome is a digital capability (Decision 2222/QĐ-TTg, criterion b)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["program", "order", "code"]
        verbose_name = _("learning outcome")
        verbose_name_plural = _("learning outcomes")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="outcome_code_unique"),
        ]

    def __str__(self):
        return f"{self.code}. {self.text_vi[:80]}"


# Each change keeps the version it replaced (the row holds the current one).
@pghistory.track(pghistory.UpdateEvent("replaced", row="OLD"))
class EnrollmentProgram(models.Model):
    """The program version an enrolment follows: the one the learner was admitted under.

    Changed only by an explicit, recorded decision (e.g. a return from reserve into a later
    cohort); the history of changes is kept by pghistory.
    """

    enrollment = models.OneToOneField(
        "enrollment.Enrollment", on_delete=models.PROTECT, primary_key=True,
        related_name="training_program", verbose_name=_("enrolment"),
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT,
                                related_name="enrollment_links", verbose_name=_("program"))
    since = models.DateField(_("since"))
    note = models.CharField(_("reason"), max_length=300, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    assigned_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("program of an enrolment")
        verbose_name_plural = _("programs of enrolments")
        triggers = [
            *[
                lock_programs(f"enrollment_program_locks_{suffix}", operation=operation,
                              program_ids="SELECT program_id FROM new_rows")
                for suffix, operation in (("ins", pgtrigger.Insert), ("upd", pgtrigger.Update))
            ],
            *[
                refuse_if_any(
                    f"enrollment_program_same_occupation_{suffix}", operation=operation,
                    bad_rows=f"""
                        SELECT 1 FROM new_rows n
                        JOIN {PROGRAM_TABLE} p ON p.id = n.program_id
                        JOIN {ENROLLMENT_TABLE} e ON e.id = n.enrollment_id
                        WHERE e.occupation_id <> p.occupation_id
                    """,
                    message="the program version is not of the occupation of the enrolment",
                )
                for suffix, operation in (("ins", pgtrigger.Insert), ("upd", pgtrigger.Update))
            ],
        ]

    def __str__(self):
        return f"{self.enrollment_id} → {self.program_id}"
