"""The learners' logins: created at enrolment, one-time passwords reset by the office."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from enrollment.models import Learner
from enrollment.services.learners.common import (
    NO_LOGIN,
    PASSWORD_ALPHABET,
    PASSWORD_LENGTH,
    USERNAME_TAKEN,
)
from vetschool.accounts import roles


def new_one_time_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def create_login(learner: Learner) -> str:
    User = get_user_model()
    if User.objects.filter(username__iexact=learner.code).exists():
        raise ValidationError(USERNAME_TAKEN, code="username_taken",
                              params={"username": learner.code})
    password = new_one_time_password()
    user = User(username=learner.code, full_name=learner.full_name, email=learner.email,
                is_staff=False, must_change_password=True)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=roles.LEARNER))
    learner.user = user
    learner.save(update_fields=["user"])
    return password


def learner_login_create(*, learner: Learner, by) -> tuple[str, str]:
    """Give a learner a login (username = learner code); returns (username, password)."""
    with transaction.atomic():
        learner = Learner.objects.select_for_update().get(pk=learner.pk)
        if learner.user_id is not None:
            return learner.user.username, learner_password_reset(learner=learner, by=by)
        password = create_login(learner)
        return learner.user.username, password


def learner_password_reset(*, learner: Learner, by) -> str:
    """A new one-time password for a learner who lost theirs; shown once to the registrar."""
    with transaction.atomic():
        if learner.user_id is None:
            raise ValidationError(NO_LOGIN, code="no_login", params={"learner": learner})
        user = learner.user
        password = new_one_time_password()
        user.set_password(password)
        user.is_active = True
        user.must_change_password = True
        user.save(update_fields=["password", "is_active", "must_change_password"])
    return password
