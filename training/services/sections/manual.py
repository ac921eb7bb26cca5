"""Sections created, changed, joined by a class and deleted by hand."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from training.models import (
    SECTION_UNIQUE,
    DeliveryForm,
    HomeroomClass,
    Module,
    ProgramStatus,
    Section,
    SectionClass,
    SectionLearner,
    Semester,
    class_key,
)
from training.services import lists, timetable
from training.services.common import error, integrity_as_validation
from training.services.sections.common import (
    CLASS_ALREADY_IN_SECTION,
    MODULE_NOT_FOR_CLASS,
    PROGRAM_NOT_IN_FORCE,
    SECTION_CODE_TAKEN,
    SECTION_EXISTS,
    SECTION_HAS_LEARNERS,
    check_section_unique_now,
    same_module,
    section_code,
)


def _check_module_for_classes(module: Module, classes: Sequence[HomeroomClass]) -> None:
    for homeroom_class in classes:
        if homeroom_class.program_id == module.program_id:
            continue
        if not any(same_module(module.code, module.name_vi, m.code, m.name_vi)
                   for m in homeroom_class.program.modules.filter(code=module.code)):
            raise error(MODULE_NOT_FOR_CLASS, code="module_not_for_class", field="classes",
                        class_code=homeroom_class.code, module=module)


@transaction.atomic
def section_create(*, module: Module, semester: Semester,
                   classes: Sequence[HomeroomClass] = (), code: str = "",
                   capacity: int | None = None, schedule: str = "", note: str = "",
                   practice: bool = False, delivery_form: str = DeliveryForm.IN_PERSON,
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
    code = code or section_code(module.code, [c.code for c in classes], taken)
    section = Section(module=module, semester=semester, code=code, capacity=capacity,
                      practice=practice, schedule=schedule, note=note, created_by=by,
                      class_key=key, delivery_form=delivery_form)
    section.full_clean(validate_unique=False, validate_constraints=False)
    with integrity_as_validation({SECTION_UNIQUE: exists, "section_code_unique": error(
            SECTION_CODE_TAKEN, code="section_code_taken", field="code", section=code)}):
        section.save()
        SectionClass.objects.bulk_create(
            [SectionClass(section=section, homeroom_class=c) for c in classes])
        check_section_unique_now()
    if classes:
        lists.add_class_learners(class_ids=[c.pk for c in classes], enrollment_ids=None,
                                 on=semester.starts_on, by=by, section_ids=[section.pk])
        lists.check_practice_classes(section_ids=[section.pk])
        timetable.check_clashes(kinds=("learner",), section_ids=[section.pk])
    return section


SECTION_EDITABLE_FIELDS = ("code", "capacity", "practice", "schedule", "delivery_form", "note")


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
    lists.check_practice_classes(section_ids=[section.pk])
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
        check_section_unique_now()
    lists.add_class_learners(class_ids=[homeroom_class.pk], enrollment_ids=None,
                             on=section.semester.starts_on, by=by,
                             section_ids=[section.pk])
    lists.check_practice_classes(section_ids=[section.pk])
    timetable.check_clashes(kinds=("learner",), section_ids=[section.pk])
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
