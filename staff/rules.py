"""Who may do what with staff records: declared here, by name, in one place (STYLE #13).

* The HR office (role hr_officer) and superusers keep the records: they may write.
* QA officers and the registrar read them (admin views, indicators, API reads).
* A teacher reads only their own records and writes only their self-assessment and
  their own courseware; a learner sees nothing here.
* Full personal ID numbers are shown to the HR office only, and every read is logged.
"""

from vetschool.accounts import roles

READER_ROLES = (roles.HR_OFFICER, roles.QA_OFFICER, roles.REGISTRAR)


def can_manage_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or roles.has_role(user, roles.HR_OFFICER))


def can_read_all_staff(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or any(roles.has_role(user, role) for role in READER_ROLES)
    )


def can_view_indicators(user) -> bool:
    return can_read_all_staff(user)


def can_reveal_national_id(user) -> bool:
    return can_manage_staff(user)


def is_teacher(user) -> bool:
    return user.is_authenticated and roles.has_role(user, roles.TEACHER)


def own_staff_member(user):
    """The staff record linked to `user`, or None."""
    if not user.is_authenticated:
        return None
    from staff.models import StaffMember

    cached = getattr(user, "_own_staff_member", False)
    if cached is False:
        cached = StaffMember.objects.select_related("department").filter(user=user).first()
        user._own_staff_member = cached
    return cached
