"""Who may do what with enrolment records, named in one place (STYLE #13).

* Staff read a kind of record with its view permission (the registrar writes, QA reads).
* A learner reads only their own learner and enrolment records, where a view allows it.
* Writes need the permissions a view names for its action.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from vetschool.accounts import roles


def can_view(user, model: str) -> bool:
    """Staff who may read every record of `model` (application, learner, enrollment…)."""
    return user.is_authenticated and user.has_perm(f"enrollment.view_{model}")


def is_learner(user) -> bool:
    """A learner, who reads their own records only."""
    return user.is_authenticated and roles.has_role(user, roles.LEARNER)


def can_write(user, permissions) -> bool:
    """All of the named permissions; none named means the action is not open to writes."""
    return bool(permissions) and all(user.has_perm(p) for p in permissions)


CONDUCT_OFFICE_ONLY = _("Only the training office records disciplinary decisions and holds.")


def can_record_conduct(user) -> bool:
    """Disciplinary decisions and graduation holds are the training office's (registrar)."""
    return roles.is_training_office(user)


def require_conduct_office(user) -> None:
    if not can_record_conduct(user):
        raise PermissionDenied(CONDUCT_OFFICE_ONLY)
