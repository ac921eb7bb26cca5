"""Score entry and the gradebook workflow (REGULATIONS §1; docs/grading.md).

draft ─save cells─▶ draft ─submit─▶ submitted ─approve─▶ approved (locked)
                                        └──return──▶ returned ─save/submit─▶ …

Each use case is one transaction. Writes lock the gradebook row (SELECT … FOR UPDATE) and
raise its version; a cell written at a version newer than the one the writer loaded is a
conflict (GradebookConflict → HTTP 409) unless it already holds the same value, so two tabs
never silently overwrite each other, while edits of different cells merge.

Approval locks the session's rows (the database refuses any later change), computes the
study rounds and every affected result in the same transaction, and opens the retake
session when some learner needs one.
"""

from __future__ import annotations

from grading.services.gradebook.changes import (
    CONFLICT,
    CellChange,
    CellInput,
    GradebookConflict,
    cell_change,
    changes_since,
)
from grading.services.gradebook.entry import (
    CELL_FINAL,
    COLUMN_CLOSED,
    EXAM_NOT_NEEDED,
    NOT_ON_LIST,
    UNKNOWN_COLUMN,
    SaveResult,
    gradebook_cells_save,
    gradebook_for_section,
)
from grading.services.gradebook.improvements import (
    IMPROVEMENT_EXISTS,
    IMPROVEMENT_NO_SESSION,
    IMPROVEMENT_NOT_PASSED,
    improvement_sitting_grant,
)
from grading.services.gradebook.workflow import (
    INELIGIBLE_WITH_EXAM,
    MISSING_CHECK,
    MISSING_EXAM,
    NO_COUNTED_CHECK,
    NO_LEARNERS,
    NOT_SUBMITTED,
    RETURN_REASON_REQUIRED,
    STALE_SUBMIT,
    SUBMISSION_PROBLEMS,
    Problem,
    gradebook_approve,
    gradebook_return,
    gradebook_submit,
    open_next_sitting,
    session_columns,
    submission_problems,
    summary,
)

__all__ = [
    "CELL_FINAL", "COLUMN_CLOSED", "CONFLICT", "EXAM_NOT_NEEDED", "IMPROVEMENT_EXISTS",
    "IMPROVEMENT_NOT_PASSED", "IMPROVEMENT_NO_SESSION", "INELIGIBLE_WITH_EXAM", "MISSING_CHECK",
    "MISSING_EXAM", "NOT_ON_LIST", "NOT_SUBMITTED", "NO_COUNTED_CHECK", "NO_LEARNERS",
    "RETURN_REASON_REQUIRED", "STALE_SUBMIT", "SUBMISSION_PROBLEMS", "UNKNOWN_COLUMN",
    "CellChange", "CellInput", "GradebookConflict", "Problem", "SaveResult", "cell_change",
    "changes_since", "gradebook_approve", "gradebook_cells_save", "gradebook_for_section",
    "gradebook_return", "gradebook_submit", "improvement_sitting_grant", "open_next_sitting",
    "session_columns", "submission_problems", "summary",
]
