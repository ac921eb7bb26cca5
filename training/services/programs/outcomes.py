"""A version's learning outcomes."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from training.models import LearningOutcome, Program
from training.services.common import error
from training.services.programs.common import OUTCOME_CODE_TAKEN, program_editable


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
