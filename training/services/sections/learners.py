"""Individual additions to (and removals from) a section's list: re-study, improvement,
electives.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from enrollment.models import Enrollment, EnrollmentStatus
from training.models import EnrollmentProgram, Section, SectionLearner, SectionLearnerSource
from training.services import lists, timetable
from training.services.common import error
from training.services.sections.common import (
    ALREADY_IN_MODULE,
    ALREADY_ON_LIST,
    CLASS_SOURCE_ONLY_FROM_CLASS,
    MODULE_NOT_IN_PROGRAM,
    NO_PROGRAM,
    NOT_ON_LIST,
    NOT_STUDYING,
    REASON_REQUIRED,
    REMOVAL_REASON_REQUIRED,
    SECTION_FULL,
    learner_label,
    same_module,
)


@transaction.atomic
def section_learner_add(*, section: Section, enrollment: Enrollment, source: str, reason: str,
                        by=None) -> SectionLearner:
    """Add one learner to a section for a re-study, an improvement or an elective."""
    section = (Section.objects.select_for_update().select_related("module", "semester__school_year")
               .get(pk=section.pk))
    enrollment = (Enrollment.objects.select_for_update().select_related("learner")
                  .get(pk=enrollment.pk))
    learner = learner_label(enrollment)
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
            same_module(module.code, module.name_vi, m.code, m.name_vi)
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
        lists.check_practice_classes(section_ids=[section.pk])
        timetable.check_clashes(section_ids=[section.pk], enrollment_ids=[enrollment.pk])
        return existing
    entry = SectionLearner(section=section, enrollment=enrollment, module=section.module,
                           semester=section.semester, source=source, reason=reason[:300],
                           added_by=by, added_at=timezone.now())
    entry.full_clean(validate_unique=False, validate_constraints=False)
    entry.save()
    # §3.5: a practice class refuses the learner beyond its size (the whole write rolls back).
    lists.check_practice_classes(section_ids=[section.pk])
    timetable.check_clashes(section_ids=[section.pk], enrollment_ids=[enrollment.pk])
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
