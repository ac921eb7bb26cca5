"""Diploma register number and serial number formats — REGULATIONS §5.4.

Formatting only. Allocating the sequences (gapless, per-(year, level) and per-year counter rows
locked in the issuing transaction) is the issuing service's job.
"""

from __future__ import annotations

INTERMEDIATE = "intermediate"
COLLEGE = "college"
LEVEL_CODES = {INTERMEDIATE: "TC", COLLEGE: "CD"}

# §5.4: the sequences start at 1; their widths (5 and 6 digits) bound them.
REGISTER_SEQUENCE_MAX = 99_999
SERIAL_SEQUENCE_MAX = 999_999

# The formats print the year as is; four digits keeps every number the same width.
FIRST_YEAR = 1000
LAST_YEAR = 9999


class SequenceOutOfRangeError(ValueError):
    """A sequence outside 1..maximum: the yearly book is full, or the counter is broken."""

    code = "sequence_out_of_range"

    def __init__(self, sequence: int, maximum: int) -> None:
        super().__init__(f"sequence {sequence} is outside 1..{maximum}")
        self.sequence = sequence
        self.maximum = maximum


def register_number(year: int, level: str, sequence: int) -> str:
    """Original-register number (số vào sổ gốc), e.g. `2026/CD/00042` (§5.4).

    `sequence` restarts at 1 each year for each level.
    """
    _require_year(year)
    _require_sequence_in_range(sequence, REGISTER_SEQUENCE_MAX)
    return f"{year}/{level_code(level)}/{sequence:05d}"


def serial_number(year: int, sequence: int, institution_code: str) -> str:
    """Diploma serial number (số hiệu), e.g. `CDKT-2026-000001` (§5.4).

    `sequence` restarts at 1 each year and is shared by both levels.
    """
    _require_year(year)
    _require_sequence_in_range(sequence, SERIAL_SEQUENCE_MAX)
    _require_institution_code(institution_code)
    return f"{institution_code}-{year}-{sequence:06d}"


def level_code(level: str) -> str:
    try:
        return LEVEL_CODES[level]
    except KeyError:
        raise ValueError(f"level must be one of {tuple(LEVEL_CODES)}, not {level!r}") from None


def _require_sequence_in_range(sequence: int, maximum: int) -> None:
    if isinstance(sequence, bool) or not isinstance(sequence, int):
        raise TypeError(f"sequence must be an int, not {sequence!r}")
    if not 1 <= sequence <= maximum:
        raise SequenceOutOfRangeError(sequence, maximum)


def _require_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year must be a four-digit int, not {year!r}")


def _require_institution_code(institution_code: str) -> None:
    is_clean = isinstance(institution_code, str) and institution_code == institution_code.strip()
    if not is_clean or not institution_code:
        raise ValueError(f"institution_code must be a non-empty code, not {institution_code!r}")
