"""A version's modules with their assessment plans and prerequisites; the version's totals
follow them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Sum

from training.models import (
    AssessmentComponent,
    AssessmentForm,
    AssessmentKind,
    Module,
    ModulePrerequisite,
    Program,
    UnitType,
    default_check_counts,
)
from training.services.common import error, integrity_as_validation
from training.services.programs.common import (
    MODULE_CODE_INVALID,
    MODULE_CODE_TAKEN,
    MODULE_NO_HOURS,
    MODULE_REQUIRED_BY,
    MODULE_SEMESTER_RANGE,
    PLAN_COUNT_RANGE,
    PLAN_DUPLICATE_KIND,
    PLAN_EXAM_COUNT,
    PLAN_EXAM_FORM,
    PREREQUISITE_ITSELF,
    PREREQUISITE_NOT_EARLIER,
    PREREQUISITE_OF_LATER,
    PREREQUISITE_UNKNOWN,
    is_condition_module_name,
    normalize_module_code,
    program_editable,
    semesters_of,
)


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
    _check_module(program, module, code, theory_hours=theory_hours,
                  practice_hours=practice_hours, planned_semester=planned_semester)
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
        _replace_plan(module, assessment_plan if assessment_plan is not None
                      else default_plan(credits))
    _refresh_totals(program)
    return module


def _check_module(program: Program, module: Module | None, code: str, *, theory_hours: int,
                  practice_hours: int, planned_semester: int) -> None:
    """The checks a module passes before it is saved, in the order the user fixes them."""
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


def _replace_plan(module: Module, plan: Sequence[PlanLine]) -> None:
    plan = _clean_plan(plan)
    module.assessment_plan.all().delete()
    AssessmentComponent.objects.bulk_create([
        AssessmentComponent(module=module, kind=line.kind, count=line.count,
                            form=line.form, duration_minutes=line.duration_minutes,
                            note=line.note)
        for line in plan
    ])


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
