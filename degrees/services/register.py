"""The diploma register (sổ gốc, REGULATIONS §5.3–§5.4): issuing, replacing, revoking and
certified copies.

Numbers come from counter rows locked `SELECT ... FOR UPDATE` in the issuing transaction
(serial per year, register number per year and level, credential status index overall), so
they are unique, in issue order and gapless: a rolled-back issue rolls its counter back too.
Counters are always locked in the same order (serial, register, status) so concurrent issues
queue instead of deadlocking. The facts printed on the diploma are copied at issue and frozen
by a database trigger.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from degrees import credentials, numbering
from degrees.models import (
    CertifiedCopy,
    CounterKind,
    DecisionLine,
    Diploma,
    DiplomaCounter,
    DiplomaStatus,
    GraduationDecision,
)
from grading.models import ModuleExemption, ModuleResult, TermSummary
from vetschool.documents.services import documents_queue
from vetschool.reference.models import Institution

NO_INSTITUTION_CODE = _("The institution has no ministry code: set it in the institution "
                        "profile before issuing diplomas (it starts every serial number).")
ALREADY_ISSUED = _("%(learner)s already holds a valid diploma of this decision.")
NOT_VALID = _("Only a valid diploma can be replaced or revoked (this one is %(status)s).")
REASON_REQUIRED = _("Give the reason.")
REVOCATION_DECISION_REQUIRED = _("Give the number and the date of the revocation decision.")
REVOKED_GRADUATION = _("The diploma of this graduation was revoked: it is not issued again.")
REQUESTER_REQUIRED = _("Give the name of who asks for the copy.")
ISSUED_BEFORE_DECISION = _("The issue date cannot be before the graduation decision "
                           "(%(date)s).")
LOST_IS_A_COPY = _("A lost or damaged diploma is never issued again: issue a certified copy "
                   "from the register instead (REGULATIONS §5.3).")


# The diploma's stored documents (degrees/documents.py declares how they are rendered).
DIPLOMA, DIPLOMA_COPY = "diploma", "diploma-copy"


def diplomas_queue(diploma_ids) -> None:
    """Render ahead the original and the copy of these diplomas once this commits."""
    ids = list(diploma_ids)
    documents_queue(DIPLOMA, ids)
    documents_queue(DIPLOMA_COPY, ids)


def verify_url(token) -> str:
    return credentials.public_url() + reverse("degrees-verify-token", kwargs={"token": token})


def _next_number(kind: str, year: int, level: str = "") -> int:
    """Lock the counter row (created on first use) and take its next number."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO degrees_diplomacounter (kind, year, level, last) VALUES (%s, %s, %s, 0) "
            "ON CONFLICT (kind, year, level) DO NOTHING", [kind, year, level])
    counter = DiplomaCounter.objects.select_for_update().get(kind=kind, year=year, level=level)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def annex_of(enrollment_id: int) -> dict:
    """The transcript annex as printed (frozen with the diploma): every module with its
    counted result, the credits and the whole-course GPA."""

    def text(value):
        return None if value is None else str(value)

    exempted = set(ModuleExemption.objects.filter(enrollment_id=enrollment_id)
                   .values_list("module_id", flat=True))
    modules = []
    for result in (ModuleResult.objects.filter(enrollment_id=enrollment_id)
                   .select_related("module")
                   .order_by("module__planned_semester", "module__order", "module__code")):
        modules.append({
            "code": result.module.code, "name": result.module.name_vi,
            "credits": result.credits, "score_10": text(result.score_10),
            "letter": result.letter, "score_4": text(result.score_4),
            "counts_in_gpa": result.counts_in_gpa,
            "exempted": result.module_id in exempted,
        })
    latest = (TermSummary.objects.filter(enrollment_id=enrollment_id)
              .order_by("-semester__starts_on").first())
    return {
        "modules": modules,
        "credits": sum(m["credits"] for m in modules),
        "cumulative_gpa_4": text(latest.cumulative_gpa_4) if latest else None,
        "cumulative_gpa_10": text(latest.cumulative_gpa_10) if latest else None,
    }


def _sign(diploma: Diploma) -> None:
    facts = credentials.CredentialFacts(
        credential_id=diploma.credential_id, serial_number=diploma.serial_number,
        register_number=diploma.register_number, holder_name=diploma.holder_name,
        date_of_birth=diploma.date_of_birth, occupation_code=diploma.occupation_code,
        occupation_name=diploma.occupation_name_vi, level=diploma.level,
        classification=diploma.classification, graduation_year=diploma.graduation_year,
        issued_on=diploma.issue_date, verify_url=verify_url(diploma.token),
        status_index=diploma.status_index)
    diploma.credential = credentials.issue_credential(facts)


def _issue(line: DecisionLine, *, by, issue_date: date, institution: Institution,
           replaces: Diploma | None = None, replacement_reason: str = "") -> Diploma:
    """Inside the caller's transaction: allocate numbers, copy the facts, sign, insert."""
    code = (institution.ministry_code or "").strip() if institution else ""
    if not code:
        raise ValidationError(NO_INSTITUTION_CODE, code="no_institution_code")
    enrollment = line.enrollment
    learner, occupation = enrollment.learner, enrollment.occupation
    decision = line.decision
    if issue_date < decision.date:  # a typo'd year would reach the register (and its numbers)
        raise ValidationError({"issue_date": ValidationError(
            ISSUED_BEFORE_DECISION, code="before_decision",
            params={"date": decision.date.strftime("%d/%m/%Y")})})
    year = issue_date.year
    serial_sequence = _next_number(CounterKind.SERIAL, year)
    register_sequence = _next_number(CounterKind.REGISTER, year, enrollment.level)
    status_index = _next_number(CounterKind.STATUS, 0)
    place = (institution.province.name_vi if institution.province else "") or "—"
    diploma = Diploma(
        decision_line=line, enrollment=enrollment, replaces=replaces,
        replacement_reason=replacement_reason,
        serial_number=numbering.serial_number(year, serial_sequence, code),
        register_number=numbering.register_number(year, enrollment.level, register_sequence),
        year=year, serial_sequence=serial_sequence, register_sequence=register_sequence,
        status_index=status_index, credential_id=f"urn:uuid:{uuid.uuid4()}",
        holder_name=learner.full_name, date_of_birth=learner.date_of_birth,
        national_id=learner.national_id or "", gender=learner.gender,
        occupation_code=occupation.code, occupation_name_vi=occupation.name_vi,
        occupation_name_en=occupation.name_en, level=enrollment.level,
        classification=line.classification, graduation_year=decision.date.year,
        decision_number=decision.number, decision_date=decision.date, issue_date=issue_date,
        issue_place=place, signer_name=decision.signer_name, signer_title=decision.signer_title,
        institution_name_vi=institution.name_vi, institution_name_en=institution.name_en,
        annex=annex_of(enrollment.pk), issued_by=by)
    _sign(diploma)
    diploma.save(force_insert=True)
    diplomas_queue([diploma.pk])
    return diploma


def _line(pk: int) -> DecisionLine:
    return (DecisionLine.objects.select_related(
        "decision", "enrollment__learner", "enrollment__occupation").get(pk=pk))


def diploma_issue(*, line: DecisionLine, by, issue_date: date | None = None) -> Diploma:
    """Issue the diploma of one learner recognised by a decision (one transaction)."""
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        line = _line(line.pk)
        existing = Diploma.objects.filter(decision_line=line).values_list("status", flat=True)
        if DiplomaStatus.ISSUED in existing:
            raise ValidationError(ALREADY_ISSUED, code="issued",
                                  params={"learner": line.enrollment.learner.full_name})
        if DiplomaStatus.REVOKED in existing:
            raise ValidationError(REVOKED_GRADUATION, code="revoked")
        if DiplomaStatus.REPLACED in existing:
            raise ValidationError(LOST_IS_A_COPY, code="reissue")
        return _issue(line, by=by, issue_date=issue_date, institution=Institution.current())


def decision_issue_all(*, decision: GraduationDecision, by,
                       issue_date: date | None = None) -> list[Diploma]:
    """Issue every diploma of a decision not issued yet, each in its own short transaction
    (the counters stay locked for one diploma at a time)."""
    pending = (DecisionLine.objects.filter(decision=decision, diplomas__isnull=True)
               .order_by("enrollment__learner__full_name", "pk"))
    return [diploma_issue(line=line, by=by, issue_date=issue_date) for line in pending]


def diploma_replace(*, diploma: Diploma, reason: str, by,
                    issue_date: date | None = None) -> Diploma:
    """Correct an error: a new diploma with new numbers and the facts as they are now (the
    learner's record corrected first), the old one marked `replaced`, the reason kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        old = _end_validity(diploma, status=DiplomaStatus.REPLACED, by=by)
        return _issue(_line(old.decision_line_id), by=by, issue_date=issue_date,
                      institution=Institution.current(), replaces=old,
                      replacement_reason=reason)


def diploma_revoke(*, diploma: Diploma, reason: str, decision_number: str,
                   decision_date: date | None, by) -> Diploma:
    """Revoke (thu hồi) by a decision, with its reason; the register keeps the diploma."""
    reason, decision_number = (reason or "").strip(), (decision_number or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = ValidationError(REASON_REQUIRED, code="required")
    if not decision_number or not decision_date:
        errors["decision_number"] = ValidationError(REVOCATION_DECISION_REQUIRED,
                                                    code="required")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _end_validity(diploma, status=DiplomaStatus.REVOKED, by=by,
                             revocation_reason=reason,
                             revocation_decision_number=decision_number,
                             revocation_decision_date=decision_date)


def _end_validity(diploma: Diploma, *, status: str, by, **facts) -> Diploma:
    """Lock a valid diploma and end its validity (replaced, revoked) with the facts of why;
    a diploma that is not valid any more is refused. Call inside a transaction."""
    locked = Diploma.objects.select_for_update().get(pk=diploma.pk)
    if locked.status != DiplomaStatus.ISSUED:
        raise ValidationError(NOT_VALID, code="not_valid",
                              params={"status": locked.get_status_display().lower()})
    for name, value in facts.items():
        setattr(locked, name, value)
    locked.status, locked.status_changed_by, locked.status_changed_at = status, by, timezone.now()
    locked.save(update_fields=["status", *facts, "status_changed_by", "status_changed_at"])
    diplomas_queue([locked.pk])  # its original and copy now show the new status
    return locked


def certified_copy_issue(*, diploma: Diploma, requester_name: str, by, note: str = "",
                         issued_on: date | None = None) -> CertifiedCopy:
    """A certified copy from the register, numbered per diploma."""
    requester_name = (requester_name or "").strip()
    if not requester_name:
        raise ValidationError({"requester_name": ValidationError(REQUESTER_REQUIRED,
                                                                 code="required")})
    with transaction.atomic():
        diploma = Diploma.objects.select_for_update().get(pk=diploma.pk)
        last = diploma.copies.aggregate(last=Max("number"))["last"] or 0
        return CertifiedCopy.objects.create(
            diploma=diploma, number=last + 1, issued_on=issued_on or timezone.localdate(),
            requester_name=requester_name, note=(note or "").strip(), issued_by=by)
