"""Improvement sittings (REGULATIONS §1.7): a learner who passed sits the exam again in the
section, with the principal's approval."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from grading.models import GradebookStatus, ImprovementSitting
from grading.models.assessment import MAX_SITTINGS
from grading.rules import require_office
from grading.services.common import lock_gradebook
from grading.services.gradebook.workflow import open_next_sitting
from grading.sheet import load_sheet
from training.models import SectionLearner
from vetschool.decisions import DECISION_REQUIRED

IMPROVEMENT_NOT_PASSED = _("%(learner)s has not passed this module in this section: a retake or "
                           "re-study applies, not an improvement.")
IMPROVEMENT_NO_SESSION = _("No exam session is left in this gradebook for an improvement.")
IMPROVEMENT_EXISTS = _("%(learner)s already may sit the exam of session %(sitting)s.")


def improvement_sitting_grant(*, section_learner: SectionLearner, by, decision_number: str,
                              reason: str = "") -> ImprovementSitting:
    """Let a learner who passed sit the exam again in this section to improve (REGULATIONS
    §1.7, with the principal's approval): at the open session if it is a later one, else at
    the next session, opened now if the gradebook was complete."""
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ValidationError({"decision_number": ValidationError(DECISION_REQUIRED,
                                                                  code="required")})
    with transaction.atomic():
        book = lock_gradebook(section_learner.section.gradebook)
        require_office(by)
        sheet = load_sheet(book, final_only=True)
        row = sheet.row(section_learner.pk)
        name = section_learner.enrollment.learner.full_name
        if row is None or row.preview is None or not row.preview.passed:
            raise ValidationError(IMPROVEMENT_NOT_PASSED, code="not_passed",
                                  params={"learner": name})
        opened_now = book.status == GradebookStatus.APPROVED
        sitting = book.sitting + 1 if opened_now or book.sitting == 1 else book.sitting
        if sitting > MAX_SITTINGS:
            raise ValidationError(IMPROVEMENT_NO_SESSION, code="no_session")
        if ImprovementSitting.objects.filter(section_learner=section_learner,
                                             sitting=sitting).exists():
            raise ValidationError(IMPROVEMENT_EXISTS, code="exists",
                                  params={"learner": name, "sitting": sitting})
        grant = ImprovementSitting.objects.create(
            section_learner=section_learner, sitting=sitting, decision_number=decision_number,
            reason=(reason or "").strip(), granted_by=by)
        if opened_now:
            open_next_sitting(book, by=by)
        else:
            book.version += 1
            book.save(update_fields=["version", "updated_at"])
    return grant
