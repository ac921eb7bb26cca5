"""Graduation requirements of a program version and the certificates learners hand in
(REGULATIONS §4.1 c and the physical-education / defence-security evidence), one
transaction each, by the training office."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training.models import (
    CertificateKind,
    EnrollmentProgram,
    LearnerCertificate,
    Program,
    ProgramRequirement,
)
from training.services.programs.common import program_editable
from vetschool.accounts.roles import is_training_office

OFFICE_ONLY = _("Only the training office records certificates.")
NUMBER_REQUIRED = _("Give the certificate number.")
DATE_IN_FUTURE = _("This date cannot be in the future.")
REQUIREMENT_NEEDED = _("Choose the requirement this certificate meets.")
REQUIREMENT_NOT_OURS = _("This requirement is not one of the learner's program version.")
NOT_A_REQUIREMENT = _("A physical-education or defence-security certificate names no "
                      "requirement.")
ALREADY_REVOKED = _("This certificate has already been revoked.")
REASON_REQUIRED = _("Give the reason.")
CODE_TAKEN = _("The program version already has a requirement %(code)s.")


def requirement_save(*, program: Program, code: str, kind: str, name_vi: str,
                     name_en: str = "", order: int | None = None,
                     requirement: ProgramRequirement | None = None) -> ProgramRequirement:
    """Add or change an other requirement of a draft version (a version in use is frozen)."""
    with transaction.atomic():
        program = program_editable(program)
        code = (code or "").strip().upper()
        taken = program.requirements.filter(code=code)
        if requirement is not None:
            taken = taken.exclude(pk=requirement.pk)
        if taken.exists():
            raise ValidationError({"code": ValidationError(CODE_TAKEN, code="taken",
                                                           params={"code": code})})
        item = requirement or ProgramRequirement(program=program)
        if order is None:
            order = item.order if requirement else (
                program.requirements.aggregate(top=Max("order"))["top"] or 0) + 1
        item.code, item.kind, item.order = code, kind, order
        item.name_vi, item.name_en = (name_vi or "").strip(), (name_en or "").strip()
        item.full_clean(exclude=["program"], validate_unique=False)
        item.save()
    return item


def _program_id(enrollment) -> int | None:
    return (EnrollmentProgram.objects.filter(enrollment=enrollment)
            .values_list("program_id", flat=True).first())


def certificate_record(*, enrollment, kind: str, number: str, issued_on: date, by,
                       requirement: ProgramRequirement | None = None,
                       issuer: str = "") -> LearnerCertificate:
    """Record a learner's certificate as the evidence of a graduation condition."""
    if not is_training_office(by):
        raise PermissionDenied(OFFICE_ONLY)
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = ValidationError(NUMBER_REQUIRED, code="required")
    if issued_on and issued_on > timezone.localdate():
        errors["issued_on"] = ValidationError(DATE_IN_FUTURE, code="future")
    if kind == CertificateKind.REQUIREMENT:
        if requirement is None:
            errors["requirement"] = ValidationError(REQUIREMENT_NEEDED, code="required")
        else:
            program_id = _program_id(enrollment)
            if program_id is not None and requirement.program_id != program_id:
                errors["requirement"] = ValidationError(REQUIREMENT_NOT_OURS, code="other")
    elif requirement is not None:
        errors["requirement"] = ValidationError(NOT_A_REQUIREMENT, code="not_requirement")
    if errors:
        raise ValidationError(errors)
    certificate = LearnerCertificate(enrollment=enrollment, kind=kind, requirement=requirement,
                                     number=number, issued_on=issued_on,
                                     issuer=(issuer or "").strip(), recorded_by=by)
    certificate.full_clean(exclude=["recorded_by", "enrollment"])
    certificate.save()
    return certificate


def certificate_revoke(*, certificate: LearnerCertificate, reason: str, by,
                       revoked_on: date | None = None) -> LearnerCertificate:
    if not is_training_office(by):
        raise PermissionDenied(OFFICE_ONLY)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    with transaction.atomic():
        certificate = LearnerCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_on is not None:
            raise ValidationError(ALREADY_REVOKED, code="revoked")
        certificate.revoked_on = revoked_on or timezone.localdate()
        certificate.revocation_reason, certificate.revoked_by = reason, by
        certificate.save(update_fields=["revoked_on", "revocation_reason", "revoked_by"])
    return certificate
