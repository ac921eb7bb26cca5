"""Who may do what in grading, named in one place (STYLE #13): services, selectors, views,
the API and the admin all ask here.

* A teacher of a section enters and submits its scores and attendance.
* The training office (vetschool.accounts.roles.is_training_office) reads every gradebook,
  approves, returns and amends them, but writes no cell.
* The training office and the roles given the view permission (QA officers) read every
  transcript; a learner reads their own.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from training.models import TeachingAssignment
from vetschool.accounts.roles import is_training_office

__all__ = [
    "is_training_office", "teaches", "can_read_all_transcripts", "can_write_gradebook",
    "can_request_amendment", "require_teacher", "require_office", "require_editable",
    "require_may_request_amendment",
]

TRANSCRIPT_PERMISSION = "grading.view_moduleresult"

NOT_YOUR_SECTION = _("Only a teacher of the section can enter or submit its scores.")
OFFICE_ONLY = _("Only the training office can approve, return or amend a gradebook.")
NOT_EDITABLE = _("The gradebook is “%(status)s”: it cannot be changed now.")
AMENDMENT_NOT_ALLOWED = _("Only a teacher of the section or the training office can ask for "
                          "an amendment.")


# --- Questions ---------------------------------------------------------------------------------
def teaches(user, section_id: int) -> bool:
    """The user is assigned to teach the section (any teaching role)."""
    if not user.is_authenticated:
        return False
    return TeachingAssignment.objects.filter(section_id=section_id, staff__user=user).exists()


def can_read_all_transcripts(user) -> bool:
    """The training office and the roles given the view permission (QA officers)."""
    return user.is_authenticated and (is_training_office(user)
                                      or user.has_perm(TRANSCRIPT_PERMISSION))


def can_write_gradebook(user, gradebook) -> bool:
    return teaches(user, gradebook.section_id)


def can_request_amendment(user, gradebook) -> bool:
    return teaches(user, gradebook.section_id) or is_training_office(user)


# --- Refusals, as the services raise them -------------------------------------------------------
def require_teacher(user, gradebook) -> None:
    if not can_write_gradebook(user, gradebook):
        raise PermissionDenied(NOT_YOUR_SECTION)


def require_office(user) -> None:
    if not is_training_office(user):
        raise PermissionDenied(OFFICE_ONLY)


def require_may_request_amendment(user, gradebook) -> None:
    if not can_request_amendment(user, gradebook):
        raise PermissionDenied(AMENDMENT_NOT_ALLOWED)


def require_editable(gradebook) -> None:
    """Not a "who" but a "when": the state of the book allows writing its open session."""
    if not gradebook.is_editable:
        raise ValidationError(NOT_EDITABLE, code="not_editable",
                              params={"status": gradebook.get_status_display()})
