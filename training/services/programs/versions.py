"""Program versions: create, describe, check, put in force, retire, copy into a new version."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max

from training.models import (
    AssessmentComponent,
    AssessmentKind,
    LearningOutcome,
    Module,
    ModulePrerequisite,
    Program,
    ProgramRequirement,
    ProgramStatus,
)
from training.services.common import error, integrity_as_validation
from training.services.programs.common import (
    ALREADY_ACTIVE,
    DEFAULT_DURATION_MONTHS,
    DELETE_NOT_DRAFT,
    LEVEL_MISMATCH,
    MODULE_NO_CHECKS,
    MODULE_NO_EXAM,
    MODULE_SEMESTER_RANGE,
    NEW_VERSION_YEAR,
    NO_MODULES,
    NO_OUTCOMES,
    NOT_ACTIVE,
    NOT_READY,
    OCCUPATION_INACTIVE,
    TOO_FEW_CREDITS,
    VERSION_EXISTS,
    min_credits,
    program_editable,
    semesters_of,
)
from vetschool.reference.models import Level, Occupation


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
    ProgramRequirement.objects.bulk_create([
        ProgramRequirement(program=copy, code=r.code, kind=r.kind, name_vi=r.name_vi,
                           name_en=r.name_en, order=r.order)
        for r in source.requirements.all()
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
