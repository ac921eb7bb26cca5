"""Sections: generated from the programs' plans, created by hand, their teachers and lists."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import Enrollment, EnrollmentStatus
from staff.models import EmploymentStatus, StaffMember
from training.models import (
    SECTION_UNIQUE,
    ClassStatus,
    EnrollmentProgram,
    HomeroomClass,
    Module,
    ModuleKind,
    ProgramStatus,
    Section,
    SectionClass,
    SectionLearner,
    SectionLearnerSource,
    Semester,
    TeachingAssignment,
    TeachingRole,
    class_key,
)
from training.services import lists
from training.services.common import error, integrity_as_validation

SUMMER_NOT_PLANNED = _("Programs plan main semesters only; add summer-term sections by hand.")
SECTION_EXISTS = _("A section of %(module)s for exactly these classes already exists in this "
                   "semester.")
SECTION_CODE_TAKEN = _("The semester already has a section %(section)s.")
MODULE_NOT_FOR_CLASS = _("Class %(class_code)s does not study %(module)s: its program has no "
                         "such module.")
PROGRAM_NOT_IN_FORCE = _("Sections can only be opened for modules of a program version in "
                         "force.")
SECTION_HAS_LEARNERS = _("The section already has learners on its list; it cannot be deleted "
                         "once its semester has started.")
REASON_REQUIRED = _("Give the reason for adding the learner (e.g. re-study of a failed "
                    "module).")
NOT_STUDYING = _("%(learner)s is not studying (status: %(status)s).")
NO_PROGRAM = _("%(learner)s follows no program version yet: place them in a class first.")
MODULE_NOT_IN_PROGRAM = _("%(module)s is not a module of the program %(learner)s follows.")
ALREADY_ON_LIST = _("%(learner)s is already on the list of this section.")
ALREADY_IN_MODULE = _("%(learner)s already takes %(module)s this semester in section "
                      "%(section)s.")
SECTION_FULL = _("The section is full (%(capacity)s learners).")
CLASS_SOURCE_ONLY_FROM_CLASS = _("Learners come from a class through the class itself; choose "
                                 "another source for an individual addition.")
NOT_ON_LIST = _("This learner is no longer on the list.")
REMOVAL_REASON_REQUIRED = _("Give the reason for taking the learner off the list.")
NOT_A_TEACHER = _("%(staff)s is not a teacher.")
TEACHER_NOT_ACTIVE = _("%(staff)s is not on duty (status: %(status)s).")
ALREADY_TEACHES = _("%(staff)s already teaches this section.")
MAIN_TAKEN = _("The section already has a main teacher (%(staff)s); add this teacher as a "
               "co-teacher or replace the main teacher first.")
CLASS_ALREADY_IN_SECTION = _("Class %(class_code)s already takes part in this section.")


def _same_module(a_code: str, a_name: str, b_code: str, b_name: str) -> bool:
    """Modules of different program versions are "the same" for merged sections when
    their codes and Vietnamese names agree (e.g. the general modules of every program)."""
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).lower().split())

    return a_code == b_code and norm(a_name) == norm(b_name)


def _learner(enrollment: Enrollment) -> str:
    return f"{enrollment.learner.code} {enrollment.learner.full_name}"


def _section_code(module_code: str, class_codes: Sequence[str], taken: set[str]) -> str:
    base = f"{module_code}-{'+'.join(class_codes)}" if class_codes else module_code
    base = base[:56]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def _check_section_unique_now() -> None:
    """Check the deferred (module, semester, classes) key at this point of the transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f'SET CONSTRAINTS "{SECTION_UNIQUE}" IMMEDIATE')
        cursor.execute(f'SET CONSTRAINTS "{SECTION_UNIQUE}" DEFERRED')


# =============================================================================
# Generation from the programs' plans
# =============================================================================


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
    result.classes = len(class_by_id)
    if not class_by_id:
        return result

    kinds = Q() if include_electives else ~Q(kind=ModuleKind.ELECTIVE)
    plans: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for module in (Module.objects.filter(kinds,
                                         program_id__in={c.program_id
                                                         for c in class_by_id.values()},
                                         planned_semester__in=set(program_semester.values()))
                   .values("id", "program_id", "planned_semester", "code", "name_vi")
                   .order_by("order", "code")):
        plans[(module["program_id"], module["planned_semester"])].append(module)

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
            if any(_same_module(module["code"], module["name_vi"], code, name)
                   for code, name in served[class_id]):
                result.already_served += 1
                continue
            new_sections.append(Section(
                module_id=module["id"], semester=semester, created_by=by,
                code=_section_code(module["code"], [homeroom_class.code], taken_codes),
                class_key=class_key([class_id]),
            ))
            new_class_of.append(class_id)
    if not new_sections:
        return result

    created = Section.objects.bulk_create(new_sections, batch_size=2000)
    SectionClass.objects.bulk_create(
        [SectionClass(section=s, homeroom_class_id=c) for s, c in zip(created, new_class_of,
                                                                      strict=True)],
        batch_size=5000,
    )
    _check_section_unique_now()
    result.sections = result.class_links = len(created)
    result.learners = lists.add_class_learners(
        class_ids=list(class_by_id), enrollment_ids=None, on=semester.starts_on, by=by,
        section_ids=[s.pk for s in created],
    )
    return result


# =============================================================================
# Sections by hand
# =============================================================================


def _check_module_for_classes(module: Module, classes: Sequence[HomeroomClass]) -> None:
    for homeroom_class in classes:
        if homeroom_class.program_id == module.program_id:
            continue
        if not any(_same_module(module.code, module.name_vi, m.code, m.name_vi)
                   for m in homeroom_class.program.modules.filter(code=module.code)):
            raise error(MODULE_NOT_FOR_CLASS, code="module_not_for_class", field="classes",
                        class_code=homeroom_class.code, module=module)


@transaction.atomic
def section_create(*, module: Module, semester: Semester,
                   classes: Sequence[HomeroomClass] = (), code: str = "",
                   capacity: int | None = None, schedule: str = "", note: str = "",
                   by=None) -> Section:
    """A section of `module` for the given classes (none for a re-study group); the
    classes' studying learners are put on its list."""
    module = Module.objects.select_related("program").get(pk=module.pk)
    if module.program.status == ProgramStatus.DRAFT:
        raise error(PROGRAM_NOT_IN_FORCE, code="program_not_in_force", field="module")
    classes = list(HomeroomClass.objects.select_related("program").filter(
        pk__in=[c.pk for c in classes]).order_by("code"))
    _check_module_for_classes(module, classes)
    key = class_key(c.pk for c in classes)
    exists = error(SECTION_EXISTS, code="section_exists", field="classes", module=module)
    if key and Section.objects.filter(module=module, semester=semester, class_key=key).exists():
        raise exists
    taken = set(Section.objects.filter(semester=semester).values_list("code", flat=True))
    code = code.strip()
    if code and code in taken:
        raise error(SECTION_CODE_TAKEN, code="section_code_taken", field="code", section=code)
    code = code or _section_code(module.code, [c.code for c in classes], taken)
    section = Section(module=module, semester=semester, code=code, capacity=capacity,
                      schedule=schedule, note=note, created_by=by, class_key=key)
    section.full_clean(validate_unique=False, validate_constraints=False)
    with integrity_as_validation({SECTION_UNIQUE: exists, "section_code_unique": error(
            SECTION_CODE_TAKEN, code="section_code_taken", field="code", section=code)}):
        section.save()
        SectionClass.objects.bulk_create(
            [SectionClass(section=section, homeroom_class=c) for c in classes])
        _check_section_unique_now()
    if classes:
        lists.add_class_learners(class_ids=[c.pk for c in classes], enrollment_ids=None,
                                 on=semester.starts_on, by=by, section_ids=[section.pk])
    return section


SECTION_EDITABLE_FIELDS = ("code", "capacity", "schedule", "note")


@transaction.atomic
def section_update(*, section: Section, by=None, **fields) -> Section:
    unknown = set(fields) - set(SECTION_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"section_update() cannot change {sorted(unknown)}")
    section = Section.objects.select_for_update().get(pk=section.pk)
    if "code" in fields:
        fields["code"] = fields["code"].strip()
        if Section.objects.filter(semester_id=section.semester_id, code=fields["code"]).exclude(
                pk=section.pk).exists():
            raise error(SECTION_CODE_TAKEN, code="section_code_taken", field="code",
                        section=fields["code"])
    for name, value in fields.items():
        setattr(section, name, value)
    section.full_clean(validate_unique=False, validate_constraints=False)
    section.save()
    return section


@transaction.atomic
def section_class_add(*, section: Section, homeroom_class: HomeroomClass, by=None) -> Section:
    """Merge a class into a section (e.g. two small classes taught together)."""
    section = Section.objects.select_for_update().select_related("module", "semester").get(
        pk=section.pk)
    homeroom_class = HomeroomClass.objects.select_related("program").get(pk=homeroom_class.pk)
    if section.class_links.filter(homeroom_class=homeroom_class).exists():
        raise error(CLASS_ALREADY_IN_SECTION, code="class_already_in_section",
                    class_code=homeroom_class.code)
    _check_module_for_classes(section.module, [homeroom_class])
    exists = error(SECTION_EXISTS, code="section_exists", module=section.module)
    with integrity_as_validation({SECTION_UNIQUE: exists}):
        SectionClass.objects.create(section=section, homeroom_class=homeroom_class)
        _check_section_unique_now()
    lists.add_class_learners(class_ids=[homeroom_class.pk], enrollment_ids=None,
                             on=section.semester.starts_on, by=by,
                             section_ids=[section.pk])
    section.refresh_from_db()
    return section


@transaction.atomic
def section_delete(*, section: Section, by=None) -> None:
    """Delete a section opened by mistake: before its semester starts, or while its list
    is empty."""
    section = Section.objects.select_for_update().select_related("semester").get(pk=section.pk)
    started = section.semester.starts_on <= timezone.localdate()
    if started and section.learners.exists():
        raise error(SECTION_HAS_LEARNERS, code="section_has_learners")
    SectionLearner.objects.filter(section=section).delete()
    section.delete()


# =============================================================================
# Individual additions to a section's list
# =============================================================================


@transaction.atomic
def section_learner_add(*, section: Section, enrollment: Enrollment, source: str, reason: str,
                        by=None) -> SectionLearner:
    """Add one learner to a section for a re-study, an improvement or an elective."""
    section = (Section.objects.select_for_update().select_related("module", "semester__school_year")
               .get(pk=section.pk))
    enrollment = (Enrollment.objects.select_for_update().select_related("learner")
                  .get(pk=enrollment.pk))
    learner = _learner(enrollment)
    if source == SectionLearnerSource.CLASS:
        raise error(CLASS_SOURCE_ONLY_FROM_CLASS, code="class_source", field="source")
    reason = (reason or "").strip()
    if not reason:
        raise error(REASON_REQUIRED, code="reason_required", field="reason")
    if enrollment.status != EnrollmentStatus.STUDYING:
        raise error(NOT_STUDYING, code="not_studying", field="enrollment", learner=learner,
                    status=EnrollmentStatus(enrollment.status).label)
    link = EnrollmentProgram.objects.filter(enrollment=enrollment).select_related(
        "program").first()
    if link is None:
        raise error(NO_PROGRAM, code="no_program", field="enrollment", learner=learner)
    module = section.module
    if link.program_id != module.program_id and not any(
            _same_module(module.code, module.name_vi, m.code, m.name_vi)
            for m in link.program.modules.filter(code=module.code)):
        raise error(MODULE_NOT_IN_PROGRAM, code="module_not_in_program", field="enrollment",
                    module=module, learner=learner)
    existing = SectionLearner.objects.filter(section=section, enrollment=enrollment).first()
    if existing is not None and existing.is_active:
        raise error(ALREADY_ON_LIST, code="already_on_list", field="enrollment", learner=learner)
    elsewhere = (SectionLearner.objects.filter(enrollment=enrollment, module=section.module,
                                               semester=section.semester,
                                               removed_at__isnull=True)
                 .select_related("section").first())
    if elsewhere is not None:
        raise error(ALREADY_IN_MODULE, code="already_in_module", field="enrollment",
                    learner=learner, module=module, section=elsewhere.section.code)
    if section.capacity is not None:
        active = section.learners.filter(removed_at__isnull=True).count()
        if active >= section.capacity:
            raise error(SECTION_FULL, code="section_full", capacity=section.capacity)
    if existing is not None:
        existing.removed_at, existing.removed_reason, existing.removed_by = None, "", None
        existing.source, existing.reason = source, reason[:300]
        existing.added_by, existing.added_at = by, timezone.now()
        existing.save()
        return existing
    entry = SectionLearner(section=section, enrollment=enrollment, module=section.module,
                           semester=section.semester, source=source, reason=reason[:300],
                           added_by=by, added_at=timezone.now())
    entry.full_clean(validate_unique=False, validate_constraints=False)
    entry.save()
    return entry


@transaction.atomic
def section_learner_remove(*, entry: SectionLearner, reason: str, by=None) -> SectionLearner:
    entry = SectionLearner.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_active:
        raise error(NOT_ON_LIST, code="not_on_list")
    reason = (reason or "").strip()
    if not reason:
        raise error(REMOVAL_REASON_REQUIRED, code="removal_reason_required",
                    field="removed_reason")
    entry.removed_at, entry.removed_reason, entry.removed_by = timezone.now(), reason[:300], by
    entry.save(update_fields=["removed_at", "removed_reason", "removed_by"])
    return entry


# =============================================================================
# Teaching assignments
# =============================================================================


@transaction.atomic
def teaching_assign(*, section: Section, staff: StaffMember, role: str = TeachingRole.MAIN,
                    hours: int | None = None, by=None) -> TeachingAssignment:
    section = Section.objects.select_for_update().get(pk=section.pk)
    staff = StaffMember.objects.get(pk=staff.pk)
    if not staff.is_teacher:
        raise error(NOT_A_TEACHER, code="not_a_teacher", field="staff", staff=staff.full_name)
    if staff.employment_status != EmploymentStatus.ACTIVE:
        raise error(TEACHER_NOT_ACTIVE, code="teacher_not_active", field="staff",
                    staff=staff.full_name,
                    status=EmploymentStatus(staff.employment_status).label)
    if section.assignments.filter(staff=staff).exists():
        raise error(ALREADY_TEACHES, code="already_teaches", field="staff",
                    staff=staff.full_name)
    if role == TeachingRole.MAIN:
        main = section.assignments.filter(role=TeachingRole.MAIN).select_related("staff").first()
        if main is not None:
            raise error(MAIN_TAKEN, code="main_taken", field="role",
                        staff=main.staff.full_name)
    assignment = TeachingAssignment(section=section, staff=staff, role=role, hours=hours,
                                    assigned_by=by)
    assignment.full_clean(validate_unique=False, validate_constraints=False)
    with integrity_as_validation({
        "assignment_one_main_teacher": error(MAIN_TAKEN, code="main_taken", field="role",
                                             staff="?"),
        "assignment_unique": error(ALREADY_TEACHES, code="already_teaches", field="staff",
                                   staff=staff.full_name),
    }):
        assignment.save()
    return assignment


@transaction.atomic
def teaching_unassign(*, assignment: TeachingAssignment, by=None) -> None:
    TeachingAssignment.objects.filter(pk=assignment.pk).delete()
