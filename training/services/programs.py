"""Program versions, their learning outcomes and modules.

A version in use (`is_locked`, set by the database when a class, a learner or a section
first uses it) is never edited: every service here refuses with PROGRAM_IN_USE, and the
database refuses too. Changes go into a new version (`program_new_version`), a copy of the
program with its outcomes, modules, assessment plans and prerequisites.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext_lazy as _

from training.models import (
    AssessmentComponent,
    AssessmentForm,
    AssessmentKind,
    LearningOutcome,
    Module,
    ModulePrerequisite,
    Program,
    ProgramStatus,
    UnitType,
    default_check_counts,
)
from training.services.common import error, integrity_as_validation
from vetschool.reference.models import Level, Occupation

# Default program length by level (REGULATIONS §10.2: college 2–3 years, intermediate 1–2).
DEFAULT_DURATION_MONTHS = {Level.COLLEGE: 36, Level.INTERMEDIATE: 24}

# --- Messages -----------------------------------------------------------------------------------
PROGRAM_IN_USE = _(
    "This program version is in use (classes, learners or sections follow it) and cannot be "
    "changed. Make a new version instead."
)
VERSION_EXISTS = _("%(occupation)s already has a version in force from %(year)s.")
LEVEL_MISMATCH = _("Occupation %(occupation)s is a %(actual)s occupation, not %(level)s.")
OCCUPATION_INACTIVE = _("Occupation %(occupation)s is not active in the catalogue.")
NEW_VERSION_YEAR = _("A new version cannot take effect before %(year)s, the year of the "
                     "version it replaces.")
DELETE_NOT_DRAFT = _("Only a draft version that is not in use can be deleted.")
ALREADY_ACTIVE = _("This version is already in force.")
NOT_ACTIVE = _("Only a version in force can be retired.")
NOT_READY = _("The version cannot be put in force yet.")
NO_MODULES = _("The program has no modules.")
NO_OUTCOMES = _("The program has no learning outcomes.")
TOO_FEW_CREDITS = _("%(total)s credits is below the minimum of %(minimum)s for the %(level)s "
                    "level.")
MODULE_NO_EXAM = _("Module %(code)s has no final exam in its assessment plan.")
MODULE_NO_CHECKS = _("Module %(code)s has no continuous or periodic check in its assessment "
                     "plan.")
MODULE_CODE_TAKEN = _("The program already has a module %(module)s.")
MODULE_CODE_INVALID = _("A module code has 1 to 20 characters, e.g. MH01 or MĐ07.")
MODULE_NO_HOURS = _("A module needs theory or practice hours.")
MODULE_SEMESTER_RANGE = _("The planned semester must be between 1 and %(max)s (%(months)s "
                          "months).")
PREREQUISITE_UNKNOWN = _("The program has no module %(module)s.")
PREREQUISITE_ITSELF = _("A module cannot be its own prerequisite.")
PREREQUISITE_NOT_EARLIER = _("Prerequisite %(module)s is planned in semester %(semester)s; it "
                             "must come before semester %(planned)s.")
PREREQUISITE_OF_LATER = _("Module %(module)s (semester %(semester)s) requires this module, "
                          "which would then no longer come first.")
PLAN_DUPLICATE_KIND = _("The assessment plan lists %(kind)s twice.")
PLAN_EXAM_COUNT = _("A module has exactly one final exam.")
PLAN_EXAM_FORM = _("Give the form of the final exam.")
PLAN_COUNT_RANGE = _("The number of checks must be between 1 and 10.")
MODULE_REQUIRED_BY = _("Module %(module)s is a prerequisite of %(others)s; remove that first.")
OUTCOME_CODE_TAKEN = _("The program already has an outcome %(outcome)s.")

CONDITION_MODULE_WORDS = ("thể chất", "quốc phòng", "physical education", "national defence",
                          "national defense")


def is_condition_module_name(name: str) -> bool:
    """Physical education and national defence-security education do not count in GPA."""
    text = unicodedata.normalize("NFC", name).lower()
    return any(word in text for word in CONDITION_MODULE_WORDS)


def semesters_of(program: Program) -> int:
    """How many semesters a program of this length has: two a year."""
    return max(1, math.ceil(program.duration_months / 6))


def normalize_module_code(code: str) -> str:
    """'mđ 07' → 'MĐ07': codes compare upper-case, without spaces (NFC)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(code or ""))).upper()


def min_credits(level: str) -> int:
    return settings.TRAINING_MIN_CREDITS[level]


# =============================================================================
# Programs
# =============================================================================


def program_editable(program: Program) -> Program:
    """The program locked FOR UPDATE, or PROGRAM_IN_USE if it is in use."""
    locked = Program.objects.select_for_update().select_related("occupation").get(pk=program.pk)
    if locked.is_locked:
        raise error(PROGRAM_IN_USE, code="program_in_use")
    return locked


@transaction.atomic
def program_create(*, occupation: Occupation, effective_year: int, by=None,
                   level: str | None = None, name_vi: str = "", name_en: str = "",
                   short_code: str = "", duration_months: int | None = None,
                   objectives: str = "", decision_number: str = "",
                   decision_date: date | None = None) -> Program:
    """A new draft version of the program of `occupation`, in force from `effective_year`."""
    if level and level != occupation.level:
        raise error(LEVEL_MISMATCH, code="level_mismatch", field="level",
                    occupation=occupation.code, actual=occupation.get_level_display(),
                    level=Level(level).label)
    if not occupation.is_active:
        raise error(OCCUPATION_INACTIVE, code="occupation_inactive", field="occupation",
                    occupation=occupation.code)
    if Program.objects.filter(occupation=occupation, effective_year=effective_year).exists():
        raise error(VERSION_EXISTS, code="version_exists", field="effective_year",
                    occupation=occupation, year=effective_year)
    program = Program(
        occupation=occupation, effective_year=effective_year, revision=1,
        name_vi=name_vi or occupation.name_vi, name_en=name_en or occupation.name_en,
        short_code=short_code.upper(),
        duration_months=duration_months or DEFAULT_DURATION_MONTHS[occupation.level],
        objectives=objectives, decision_number=decision_number, decision_date=decision_date,
    )
    program.full_clean()
    exists = error(VERSION_EXISTS, code="version_exists", field="effective_year",
                   occupation=occupation, year=effective_year)
    with integrity_as_validation({"program_version_unique": exists}):
        program.save()
    return program


PROGRAM_EDITABLE_FIELDS = ("name_vi", "name_en", "short_code", "duration_months", "objectives",
                           "decision_number", "decision_date")


@transaction.atomic
def program_update(*, program: Program, by=None, **fields) -> Program:
    """Change the description of a version that is not in use."""
    unknown = set(fields) - set(PROGRAM_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"program_update() cannot change {sorted(unknown)}")
    program = program_editable(program)
    for name, value in fields.items():
        setattr(program, name, value.upper() if name == "short_code" else value)
    program.full_clean()
    program.save()
    if "duration_months" in fields:
        _check_planned_semesters(program)
    return program


def _check_planned_semesters(program: Program) -> None:
    top = program.modules.aggregate(top=Max("planned_semester"))["top"]
    if top and top > semesters_of(program):
        raise error(MODULE_SEMESTER_RANGE, code="module_semester_range", field="duration_months",
                    max=semesters_of(program), months=program.duration_months)


@transaction.atomic
def program_delete(*, program: Program, by=None) -> None:
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.is_locked or program.status != ProgramStatus.DRAFT:
        raise error(DELETE_NOT_DRAFT, code="delete_not_draft")
    program.delete()


def program_problems(program: Program) -> list[str]:
    """What keeps a version from being put in force (empty when it is ready)."""
    problems: list[str] = []
    modules = list(program.modules.prefetch_related("assessment_plan"))
    if not modules:
        problems.append(str(NO_MODULES))
    if not program.outcomes.exists():
        problems.append(str(NO_OUTCOMES))
    total = sum(m.credits for m in modules)
    minimum = min_credits(program.occupation.level)
    if modules and total < minimum:
        problems.append(str(TOO_FEW_CREDITS % {
            "total": total, "minimum": minimum,
            "level": program.occupation.get_level_display(),
        }))
    for module in modules:
        kinds = {line.kind for line in module.assessment_plan.all()}
        if AssessmentKind.EXAM not in kinds:
            problems.append(str(MODULE_NO_EXAM % {"code": module.code}))
        if not kinds & {AssessmentKind.CONTINUOUS, AssessmentKind.PERIODIC}:
            problems.append(str(MODULE_NO_CHECKS % {"code": module.code}))
    return problems


@transaction.atomic
def program_activate(*, program: Program, by=None, decision_number: str | None = None,
                     decision_date: date | None = None) -> Program:
    """Put a draft version in force (after its checks pass)."""
    program = Program.objects.select_for_update().select_related("occupation").get(pk=program.pk)
    if program.status == ProgramStatus.ACTIVE:
        raise error(ALREADY_ACTIVE, code="already_active")
    if program.status == ProgramStatus.DRAFT:
        if decision_number is not None:
            program.decision_number = decision_number
        if decision_date is not None:
            program.decision_date = decision_date
        problems = program_problems(program)
        if problems:
            raise error([error(NOT_READY, code="not_ready")]
                        + [error(p, code="not_ready") for p in problems], code="not_ready")
    program.status = ProgramStatus.ACTIVE
    program.save()
    return program


@transaction.atomic
def program_retire(*, program: Program, by=None) -> Program:
    """No new class follows a retired version; its learners keep it."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status != ProgramStatus.ACTIVE:
        raise error(NOT_ACTIVE, code="not_active")
    program.status = ProgramStatus.RETIRED
    program.save(update_fields=["status", "updated_at"])
    return program


@transaction.atomic
def program_new_version(*, program: Program, effective_year: int | None = None,
                        by=None) -> Program:
    """A draft copy of `program` (outcomes, modules, plans, prerequisites) to edit."""
    source = Program.objects.select_related("occupation").get(pk=program.pk)
    year = effective_year or source.effective_year
    if year < source.effective_year:
        raise error(NEW_VERSION_YEAR, code="new_version_year", field="effective_year",
                    year=source.effective_year)
    # Serialise new versions of one occupation so that revisions do not collide.
    list(Program.objects.select_for_update().filter(occupation=source.occupation)
         .values_list("pk", flat=True))
    revision = (Program.objects.filter(occupation=source.occupation, effective_year=year)
                .aggregate(top=Max("revision"))["top"] or 0) + 1
    copy = Program.objects.create(
        occupation=source.occupation, effective_year=year, revision=revision,
        name_vi=source.name_vi, name_en=source.name_en, short_code=source.short_code,
        duration_months=source.duration_months, total_credits=source.total_credits,
        total_hours=source.total_hours, objectives=source.objectives,
        status=ProgramStatus.DRAFT, previous_version=source,
    )
    LearningOutcome.objects.bulk_create([
        LearningOutcome(program=copy, code=o.code, domain=o.domain, text_vi=o.text_vi,
                        text_en=o.text_en, is_digital_capability=o.is_digital_capability,
                        order=o.order)
        for o in source.outcomes.all()
    ])
    old_modules = list(source.modules.prefetch_related("assessment_plan", "prerequisite_links"))
    new_modules = Module.objects.bulk_create([
        Module(program=copy, code=m.code, name_vi=m.name_vi, name_en=m.name_en,
               unit_type=m.unit_type, kind=m.kind, credits=m.credits,
               theory_hours=m.theory_hours, practice_hours=m.practice_hours,
               exam_hours=m.exam_hours, planned_semester=m.planned_semester,
               counts_in_gpa=m.counts_in_gpa, order=m.order, description=m.description)
        for m in old_modules
    ])
    new_id = {old.pk: new.pk for old, new in zip(old_modules, new_modules, strict=True)}
    AssessmentComponent.objects.bulk_create([
        AssessmentComponent(module_id=new_id[m.pk], kind=line.kind, count=line.count,
                            form=line.form, duration_minutes=line.duration_minutes,
                            note=line.note)
        for m in old_modules for line in m.assessment_plan.all()
    ])
    ModulePrerequisite.objects.bulk_create([
        ModulePrerequisite(module_id=new_id[m.pk], requires_id=new_id[link.requires_id])
        for m in old_modules for link in m.prerequisite_links.all()
    ])
    return copy


def _refresh_totals(program: Program) -> None:
    totals = program.modules.aggregate(
        credits=Sum("credits"), theory=Sum("theory_hours"), practice=Sum("practice_hours"),
        exam=Sum("exam_hours"),
    )
    program.total_credits = totals["credits"] or 0
    program.total_hours = sum(totals[k] or 0 for k in ("theory", "practice", "exam"))
    Program.objects.filter(pk=program.pk).update(
        total_credits=program.total_credits, total_hours=program.total_hours
    )


# =============================================================================
# Modules
# =============================================================================


@dataclass(frozen=True)
class PlanLine:
    kind: str
    count: int = 1
    form: str = ""
    duration_minutes: int | None = None
    note: str = ""


def default_plan(credits: int, *, exam_form: str = AssessmentForm.WRITTEN) -> list[PlanLine]:
    continuous, periodic = default_check_counts(credits)
    return [
        PlanLine(AssessmentKind.CONTINUOUS, continuous),
        PlanLine(AssessmentKind.PERIODIC, periodic),
        PlanLine(AssessmentKind.EXAM, 1, exam_form),
    ]


def _clean_plan(plan: Sequence[PlanLine]) -> list[PlanLine]:
    kinds: set[str] = set()
    for line in plan:
        if line.kind in kinds:
            raise error(PLAN_DUPLICATE_KIND, code="plan_duplicate_kind", field="assessment_plan",
                        kind=AssessmentKind(line.kind).label)
        kinds.add(line.kind)
        if not 1 <= line.count <= 10:
            raise error(PLAN_COUNT_RANGE, code="plan_count_range", field="assessment_plan")
        if line.kind == AssessmentKind.EXAM:
            if line.count != 1:
                raise error(PLAN_EXAM_COUNT, code="plan_exam_count", field="assessment_plan")
            if not line.form:
                raise error(PLAN_EXAM_FORM, code="plan_exam_form", field="assessment_plan")
    return sorted(plan, key=lambda line: AssessmentComponent.KIND_ORDER[line.kind])


@transaction.atomic
def module_save(*, program: Program, code: str, name_vi: str, kind: str, credits: int,
                planned_semester: int, theory_hours: int = 0, practice_hours: int = 0,
                exam_hours: int = 0, name_en: str = "", unit_type: str | None = None,
                counts_in_gpa: bool | None = None, order: int | None = None,
                description: str = "", prerequisites: Iterable[str] | None = None,
                assessment_plan: Sequence[PlanLine] | None = None,
                module: Module | None = None, by=None) -> Module:
    """Create a module of `program`, or change `module`, with its plan and prerequisites.

    `prerequisites` are module codes of the same program; None keeps the current ones.
    `assessment_plan` None keeps the current plan (or, for a new module, sets the default
    plan for its credits). `counts_in_gpa` None: true except for physical education and
    national defence-security education.
    """
    program = program_editable(program)
    code = normalize_module_code(code)
    if not code or len(code) > 20:
        raise error(MODULE_CODE_INVALID, code="module_code_invalid", field="code")
    if module is not None and module.program_id != program.pk:
        raise ValueError("module belongs to another program")
    taken = program.modules.filter(code=code)
    if module is not None:
        taken = taken.exclude(pk=module.pk)
    if taken.exists():
        raise error(MODULE_CODE_TAKEN, code="module_code_taken", field="code", module=code)
    if theory_hours <= 0 and practice_hours <= 0:
        raise error(MODULE_NO_HOURS, code="module_no_hours", field="theory_hours")
    top = semesters_of(program)
    if not 1 <= planned_semester <= top:
        raise error(MODULE_SEMESTER_RANGE, code="module_semester_range",
                    field="planned_semester", max=top, months=program.duration_months)
    if counts_in_gpa is None:
        counts_in_gpa = not is_condition_module_name(name_vi)
    if unit_type is None:
        unit_type = UnitType.MODULE if code.startswith(("MĐ", "MD")) else UnitType.SUBJECT

    is_new = module is None
    module = module or Module(program=program)
    if order is None:
        order = module.order if not is_new else (
            program.modules.aggregate(top=Max("order"))["top"] or 0) + 1
    for name, value in {
        "code": code, "name_vi": name_vi.strip(), "name_en": name_en.strip(), "kind": kind,
        "unit_type": unit_type, "credits": credits, "theory_hours": theory_hours,
        "practice_hours": practice_hours, "exam_hours": exam_hours,
        "planned_semester": planned_semester, "counts_in_gpa": counts_in_gpa,
        "order": order, "description": description,
    }.items():
        setattr(module, name, value)
    module.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    taken_error = error(MODULE_CODE_TAKEN, code="module_code_taken", field="code",
                        module=code)
    with integrity_as_validation({"module_code_unique": taken_error}):
        module.save()

    if prerequisites is not None:
        set_prerequisites(module, prerequisites)
    elif not is_new:
        _check_prerequisite_order(module)
    if assessment_plan is not None or is_new:
        plan = _clean_plan(assessment_plan if assessment_plan is not None
                           else default_plan(credits))
        module.assessment_plan.all().delete()
        AssessmentComponent.objects.bulk_create([
            AssessmentComponent(module=module, kind=line.kind, count=line.count,
                                form=line.form, duration_minutes=line.duration_minutes,
                                note=line.note)
            for line in plan
        ])
    _refresh_totals(program)
    return module


def set_prerequisites(module: Module, codes: Iterable[str]) -> None:
    wanted = {normalize_module_code(c) for c in codes if normalize_module_code(c)}
    if module.code in wanted:
        raise error(PREREQUISITE_ITSELF, code="prerequisite_itself", field="prerequisites")
    found = {m.code: m for m in Module.objects.filter(program_id=module.program_id,
                                                       code__in=wanted)}
    for code in sorted(wanted - set(found)):
        raise error(PREREQUISITE_UNKNOWN, code="prerequisite_unknown", field="prerequisites",
                    module=code)
    for required in found.values():
        if required.planned_semester >= module.planned_semester:
            raise error(PREREQUISITE_NOT_EARLIER, code="prerequisite_not_earlier",
                        field="prerequisites", module=required.code,
                        semester=required.planned_semester, planned=module.planned_semester)
    module.prerequisite_links.exclude(requires__in=found.values()).delete()
    existing = set(module.prerequisite_links.values_list("requires_id", flat=True))
    ModulePrerequisite.objects.bulk_create([
        ModulePrerequisite(module=module, requires=required)
        for required in found.values() if required.pk not in existing
    ])
    _check_prerequisite_order(module)


def _check_prerequisite_order(module: Module) -> None:
    """After a module moved, its prerequisites still come before it and it before its
    dependants (this also keeps prerequisites free of cycles)."""
    for link in module.prerequisite_links.select_related("requires"):
        if link.requires.planned_semester >= module.planned_semester:
            raise error(PREREQUISITE_NOT_EARLIER, code="prerequisite_not_earlier",
                        field="planned_semester", module=link.requires.code,
                        semester=link.requires.planned_semester,
                        planned=module.planned_semester)
    for dependant in module.required_by.all():
        if dependant.planned_semester <= module.planned_semester:
            raise error(PREREQUISITE_OF_LATER, code="prerequisite_of_later",
                        field="planned_semester", module=dependant.code,
                        semester=dependant.planned_semester)


@transaction.atomic
def module_delete(*, module: Module, by=None) -> None:
    program = program_editable(module.program)
    dependants = list(module.required_by.values_list("code", flat=True))
    if dependants:
        raise error(MODULE_REQUIRED_BY, code="module_required_by", module=module.code,
                    others=", ".join(sorted(dependants)))
    module.delete()
    _refresh_totals(program)


# =============================================================================
# Learning outcomes
# =============================================================================


@transaction.atomic
def outcome_save(*, program: Program, code: str, domain: str, text_vi: str,
                 is_digital_capability: bool = False, text_en: str = "",
                 order: int | None = None, outcome: LearningOutcome | None = None,
                 by=None) -> LearningOutcome:
    program = program_editable(program)
    code = code.strip().upper()
    taken = program.outcomes.filter(code=code)
    if outcome is not None:
        taken = taken.exclude(pk=outcome.pk)
    if taken.exists():
        raise error(OUTCOME_CODE_TAKEN, code="outcome_code_taken", field="code",
                    outcome=code)
    is_new = outcome is None
    outcome = outcome or LearningOutcome(program=program)
    if order is None:
        order = outcome.order if not is_new else (
            program.outcomes.aggregate(top=Max("order"))["top"] or 0) + 1
    outcome.code, outcome.domain, outcome.text_vi = code, domain, text_vi.strip()
    outcome.text_en, outcome.order = text_en.strip(), order
    outcome.is_digital_capability = is_digital_capability
    outcome.full_clean(exclude=["program"], validate_unique=False, validate_constraints=False)
    outcome.save()
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: LearningOutcome, by=None) -> None:
    program_editable(outcome.program)
    outcome.delete()

