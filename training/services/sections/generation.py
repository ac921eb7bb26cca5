"""Opening a semester's sections from the programs' plans, in one set-based pass."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from training.models import (
    ClassStatus,
    HomeroomClass,
    Module,
    ModuleKind,
    ProgramStatus,
    Section,
    SectionClass,
    Semester,
    class_key,
)
from training.services import lists, timetable
from training.services.common import error
from training.services.sections.common import (
    SUMMER_NOT_PLANNED,
    check_section_unique_now,
    same_module,
    section_code,
)


@dataclass
class GenerationResult:
    semester: Semester
    classes: int = 0
    sections: int = 0
    class_links: int = 0
    learners: int = 0
    already_served: int = 0
    classes_without_start: list[str] = field(default_factory=list)

    def __str__(self):
        return str(_("%(sections)s section(s) for %(classes)s class(es), %(learners)s "
                     "learner entries; %(served)s module(s) already had a section.") % {
            "sections": self.sections, "classes": self.classes, "learners": self.learners,
            "served": self.already_served,
        })


@transaction.atomic
def semester_sections_generate(*, semester: Semester, by=None,
                               classes: Sequence[HomeroomClass] | None = None,
                               include_electives: bool = False) -> GenerationResult:
    """Open the semester's sections from the programs' plans, in one set-based pass.

    For every active class that knows its first semester, the modules its program plans for
    the program semester the class is in get one section for the class, unless the class
    already takes part in a section of that module (or of the same general module of another
    program version) this semester — so running it again adds only what is missing. The
    class's studying members are put on the new sections' lists. Electives are left out
    unless asked for: learners choose them, and are added one by one.

    Queries: a fixed handful whatever the number of classes or learners.
    """
    semester = Semester.objects.select_related("school_year").get(pk=semester.pk)
    if semester.is_summer:
        raise error(SUMMER_NOT_PLANNED, code="summer_not_planned", field="semester")
    result = GenerationResult(semester=semester)
    class_qs = (HomeroomClass.objects.filter(status=ClassStatus.ACTIVE,
                                             program__status__in=[ProgramStatus.ACTIVE,
                                                                  ProgramStatus.RETIRED])
                .select_related("first_semester__school_year").order_by("code"))
    if classes is not None:
        class_qs = class_qs.filter(pk__in=[c.pk for c in classes])
    # Serialise generations of one semester (two clicks must not race).
    list(Semester.objects.select_for_update().filter(pk=semester.pk).values_list("pk"))
    class_by_id, program_semester = _classes_in_semester(class_qs, semester, result)
    result.classes = len(class_by_id)
    if not class_by_id:
        return result

    plans = _planned_modules(class_by_id, program_semester, include_electives)
    new_sections, new_class_of = _missing_sections(semester, class_by_id, program_semester,
                                                   plans, result, by)
    if not new_sections:
        return result

    created = Section.objects.bulk_create(new_sections, batch_size=2000)
    SectionClass.objects.bulk_create(
        [SectionClass(section=s, homeroom_class_id=c) for s, c in zip(created, new_class_of,
                                                                      strict=True)],
        batch_size=5000,
    )
    check_section_unique_now()
    result.sections = result.class_links = len(created)
    result.learners = lists.add_class_learners(
        class_ids=list(class_by_id), enrollment_ids=None, on=semester.starts_on, by=by,
        section_ids=[s.pk for s in created],
    )
    # New sections have no meetings yet: this finds nothing, cheaply, and keeps the rule.
    timetable.check_clashes(kinds=("learner",), section_ids=[s.pk for s in created])
    return result


def _classes_in_semester(class_qs, semester: Semester, result: GenerationResult
                         ) -> tuple[dict[int, HomeroomClass], dict[int, int]]:
    """The classes studying in `semester` by id, and the program semester each is in;
    classes that do not know their first semester are noted in `result`."""
    program_semester: dict[int, int] = {}
    class_by_id: dict[int, HomeroomClass] = {}
    for homeroom_class in class_qs:
        if homeroom_class.first_semester is None:
            result.classes_without_start.append(homeroom_class.code)
            continue
        index = homeroom_class.program_semester_of(semester)
        if index is not None and index >= 1:
            program_semester[homeroom_class.pk] = index
            class_by_id[homeroom_class.pk] = homeroom_class
    return class_by_id, program_semester


def _planned_modules(class_by_id: dict[int, HomeroomClass], program_semester: dict[int, int],
                     include_electives: bool) -> dict[tuple[int, int], list[dict]]:
    """The modules each (program, program semester) plans, in their order."""
    kinds = Q() if include_electives else ~Q(kind=ModuleKind.ELECTIVE)
    plans: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for module in (Module.objects.filter(kinds,
                                         program_id__in={c.program_id
                                                         for c in class_by_id.values()},
                                         planned_semester__in=set(program_semester.values()))
                   .values("id", "program_id", "planned_semester", "code", "name_vi")
                   .order_by("order", "code")):
        plans[(module["program_id"], module["planned_semester"])].append(module)
    return plans


def _missing_sections(semester: Semester, class_by_id: dict[int, HomeroomClass],
                      program_semester: dict[int, int],
                      plans: dict[tuple[int, int], list[dict]], result: GenerationResult,
                      by) -> tuple[list[Section], list[int]]:
    """The sections (unsaved) and their class, one per planned module a class does not
    already take this semester; the modules already served are counted in `result`."""
    served: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for class_id, code, name in SectionClass.objects.filter(
            section__semester=semester, homeroom_class_id__in=class_by_id).values_list(
            "homeroom_class_id", "section__module__code", "section__module__name_vi"):
        served[class_id].append((code, name))

    taken_codes = set(Section.objects.filter(semester=semester).values_list("code", flat=True))
    new_sections: list[Section] = []
    new_class_of: list[int] = []
    for class_id, homeroom_class in class_by_id.items():
        for module in plans.get((homeroom_class.program_id, program_semester[class_id]), ()):
            if any(same_module(module["code"], module["name_vi"], code, name)
                   for code, name in served[class_id]):
                result.already_served += 1
                continue
            new_sections.append(Section(
                module_id=module["id"], semester=semester, created_by=by,
                code=section_code(module["code"], [homeroom_class.code], taken_codes),
                class_key=class_key([class_id]),
            ))
            new_class_of.append(class_id)
    return new_sections, new_class_of
