"""A learner's personal data: changes and the checks every source (form, import) runs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enrollment.models import Learner
from enrollment.services.common import (
    clean_date_of_birth,
    clean_full_name,
    clean_national_id,
    normalize_name,
)
from enrollment.services.learners.common import NATIONAL_ID_REQUIRED, NATIONAL_ID_TAKEN
from vetschool.validators import clean_personal_id_typed, clean_phone

LEARNER_EDITABLE = ("full_name", "date_of_birth", "gender", "national_id", "ethnic_group",
                    "nationality", "province", "address", "phone", "email")


def learner_update(*, learner: Learner, by, **changes) -> Learner:
    """Correct a learner's personal data; validated like an application. pghistory keeps
    every previous version."""
    unknown = set(changes) - set(LEARNER_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        learner = Learner.objects.select_for_update().get(pk=learner.pk)
        for name, value in changes.items():
            setattr(learner, name, value)
        learner_clean(learner)
        learner.save()
        if learner.user_id and learner.user.full_name != learner.full_name:
            learner.user.full_name = learner.full_name
            learner.user.save(update_fields=["full_name"])
    return learner


def learner_clean(learner: Learner, *, codes: frozenset[str] | None = None,
                  national_id_owner=None, trusted_relations: bool = False,
                  one_word_name_confirmed: bool = True) -> None:
    """Normalize and validate a learner's personal data in place; raise by field.

    Bulk callers (the import) pass what they preloaded: `codes` (province ID codes),
    `national_id_owner(number) -> code or None` (instead of a query per learner) and
    `trusted_relations` when the ethnic group and province came from preloaded rows (the
    foreign keys and check constraints are then left to the database). A form that asks
    for the confirmation of a one-word name passes `one_word_name_confirmed`.
    """
    errors: dict[str, list] = {}
    try:
        learner.full_name = clean_full_name(learner.full_name,
                                            one_word_confirmed=one_word_name_confirmed)
    except ValidationError as exc:
        errors.setdefault("full_name", []).append(exc)
    if learner.date_of_birth:
        try:
            clean_date_of_birth(learner.date_of_birth, today=timezone.localdate())
        except ValidationError as exc:
            errors.setdefault("date_of_birth", []).append(exc)
    learner.nationality = (learner.nationality or "").strip().upper()
    learner.national_id = clean_personal_id_typed(learner.national_id) or None
    learner.address = normalize_name(learner.address)
    try:
        learner.phone = clean_phone(learner.phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).append(exc)
    learner.email = (learner.email or "").strip()
    if learner.national_id:
        try:
            clean_national_id(learner.national_id, date_of_birth=learner.date_of_birth,
                              gender=learner.gender or None, codes=codes)
        except ValidationError as exc:
            errors.setdefault("national_id", []).append(exc)
        if national_id_owner is not None:
            other_code = national_id_owner(learner.national_id)
        else:
            other = Learner.objects.filter(national_id=learner.national_id).exclude(
                pk=learner.pk)
            other_code = other.values_list("code", flat=True).first()
        if other_code and other_code != learner.code:
            errors.setdefault("national_id", []).append(
                ValidationError(NATIONAL_ID_TAKEN, code="taken", params={"code": other_code})
            )
    elif learner.nationality == "VN":
        errors.setdefault("national_id", []).append(
            ValidationError(NATIONAL_ID_REQUIRED, code="required")
        )
    exclude = [*errors, "user", "national_id"]
    if trusted_relations:
        exclude += ["ethnic_group", "province"]
    try:
        learner.full_clean(exclude=exclude, validate_unique=False,
                           validate_constraints=not trusted_relations)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
