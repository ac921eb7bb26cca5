"""What every gradebook write does first and last: lock the book's row, log the action.
Shared by the gradebook, attendance and amendment services."""

from __future__ import annotations

from grading.models import Gradebook, GradebookLog


def lock_gradebook(gradebook: Gradebook) -> Gradebook:
    """The gradebook row locked FOR UPDATE until the end of the transaction."""
    return Gradebook.objects.select_for_update().get(pk=gradebook.pk)


def log_action(book: Gradebook, action: str, by, note: str = "") -> None:
    GradebookLog.objects.create(gradebook=book, action=action, sitting=book.sitting, by=by,
                                note=note)
