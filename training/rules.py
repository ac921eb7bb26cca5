"""Who may do what in training, named in one place (STYLE #13)."""

from __future__ import annotations

from vetschool.accounts import roles


def can_view_training(user) -> bool:
    """The training office and the QA office see every program, class and section."""
    return user.is_authenticated and (user.is_superuser
                                      or user.has_perm("training.view_section"))


def can_manage_training(user) -> bool:
    return user.is_authenticated and (user.is_superuser
                                      or user.has_perm("training.change_section"))


def is_teacher(user) -> bool:
    return user.is_authenticated and roles.has_role(user, roles.TEACHER)


def can_view_program_indicators(user) -> bool:
    return roles.is_training_office(user) or (user.is_authenticated
                                              and roles.has_role(user, roles.QA_OFFICER))


def can_read_programs(user) -> bool:
    """Programs and their modules are open to staff roles and teachers (not to learners
    through the API: they see their own program on their pages)."""
    return can_view_training(user) or is_teacher(user)
