"""Learner codes: `YY L OOO SSSS` (10 digits), collision-free under concurrency.

- `YY`   last two digits of the admission year,
- `L`    level digit, the first digit of the occupation code (5 intermediate, 6 college),
- `OOO`  last three digits of the occupation code,
- `SSSS` sequence 0001-9999 per prefix `YYLOOO`.

The sequence comes from a counter row per prefix, locked with SELECT ... FOR UPDATE in
the enrolling transaction: two enrolments at the same moment wait for each other, and a
rolled-back enrolment gives its number back with the rollback. Codes kept from the
previous system (imports) may fall in the same space; a code already taken is skipped.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from enrollment.models import Learner, LearnerCodeCounter
from vetschool.reference.models import Occupation

SEQUENCE_DIGITS = 4
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1

CODE_SEQUENCE_EXHAUSTED = _(
    "No learner code is left for prefix %(prefix)s (the 4-digit sequence is used up)."
)


def learner_code_prefix(*, admission_year: int, occupation: Occupation) -> str:
    return f"{admission_year % 100:02d}{occupation.code[0]}{occupation.code[-3:]}"


def learner_code_allocate(*, admission_year: int, occupation: Occupation) -> str:
    """Take the next free code of the prefix. Runs inside the caller's transaction."""
    prefix = learner_code_prefix(admission_year=admission_year, occupation=occupation)
    with transaction.atomic():
        # Create the counter row if missing without racing another creator.
        LearnerCodeCounter.objects.bulk_create(
            [LearnerCodeCounter(prefix=prefix)], ignore_conflicts=True
        )
        counter = LearnerCodeCounter.objects.select_for_update().get(prefix=prefix)
        value = counter.last_value
        while True:
            value += 1
            if value > MAX_SEQUENCE:
                raise ValidationError(CODE_SEQUENCE_EXHAUSTED, code="code_exhausted",
                                      params={"prefix": prefix})
            code = f"{prefix}{value:0{SEQUENCE_DIGITS}d}"
            if not Learner.objects.filter(code=code).exists():
                break
        counter.last_value = value
        counter.save(update_fields=["last_value"])
    return code
