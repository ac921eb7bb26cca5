"""Helpers shared by the training services."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


def error(message, *, code: str, field: str | None = None, **params) -> ValidationError:
    """A ValidationError with a stable code (tests assert on it) and optional field."""
    exc = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: exc}) if field else exc


@contextmanager
def integrity_as_validation(mapping: dict[str, ValidationError]):
    """Turn the database's refusal of a named constraint into the matching clear message.

    Services check first; this catches the race where two requests pass the check together.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        text = str(exc)
        for constraint, validation_error in mapping.items():
            if constraint in text:
                raise validation_error from exc
        raise
