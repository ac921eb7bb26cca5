"""Who may do what in quality assurance (STYLE #13).

* The QA officer and superusers keep graduate tracking records.
* The QA officer, the registrar and superusers read the employment figures and records.
* The QA officer's own API (cycles, surveys, statistical reports) is theirs and superusers'.
"""

from vetschool.accounts import roles


def can_keep_tracking(user) -> bool:
    return user.is_authenticated and (user.is_superuser
                                      or roles.has_role(user, roles.QA_OFFICER))


def can_read_quality(user) -> bool:
    return can_keep_tracking(user) or (user.is_authenticated
                                       and roles.has_role(user, roles.REGISTRAR))


def can_assure_quality(user) -> bool:
    """The QA officer's own API (self-assessment cycles, surveys, statistical reports):
    the QA officer and superusers only."""
    return can_keep_tracking(user)
