"""Amendments: the only way an approved score changes (REGULATIONS: legal records are never
edited in place; docs/grading.md, "Amendments").

A teacher of the section (or the training office) asks for a correction of one approved cell
with a reason; the training office approves or rejects it. Approval writes nothing over
the approved Score row (the database would refuse): the Amendment row carries the old and
the new value, the learner's study round and results are recomputed in the same
transaction, and both values stay on record.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import EnrollmentStatus
from grading.models import Amendment, AmendmentStatus, Gradebook, GradebookLog, GradebookStatus
from grading.rules import require_may_request_amendment, require_office
from grading.services.common import lock_gradebook, log_action
from grading.services.gradebook import open_next_sitting
from grading.services.results import results_recompute, rounds_refresh
from grading.sheet import Column, InvalidCell, Sheet, load_sheet, parse_cell
from training.models import SectionLearner

NOT_AMENDABLE = _("%(column)s has not been approved yet: change it in the gradebook.")
SAME_VALUE = _("The new value is the one already on record.")
REASON_REQUIRED = _("Give the reason of the amendment.")
OPEN_REQUEST = _("A request to amend this score is already waiting for a decision.")
NOT_REQUESTED = _("This amendment has already been decided.")
CHANGED_SINCE = _("The score changed since the request (now %(value)s): ask again.")
ONLY_REQUESTER = _("Only who asked can withdraw the request.")
NO_CHECK_LEFT = _("After this change %(learner)s would have no check taken.")
WOULD_BE_INELIGIBLE = _("After this change %(learner)s would not be eligible for the exam "
                        "(%(reasons)s) but has exam results; amend the exam results first.")
EXAM_NOT_NEEDED = _("%(learner)s did not need the exam of session %(sitting)s.")
NOT_ON_LIST = _("This learner is not on the list of the section.")
GRADUATED = _("%(learner)s has graduated: the results the graduation decision relied on are "
              "frozen and cannot be amended.")


def _amendable(book: Gradebook, column: Column) -> bool:
    return column.sitting < book.sitting or (
        column.sitting == book.sitting and book.status == GradebookStatus.APPROVED)


def amendment_request(*, gradebook: Gradebook, section_learner: SectionLearner, column: str,
                      value, reason: str, by, evidence: str = "") -> Amendment:
    """Ask for a correction of an approved cell (teacher of the section or training office)."""
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = ValidationError(REASON_REQUIRED, code="required")
    try:
        column_ = Column.from_code(column)
    except KeyError as exc:
        raise ValidationError({"column": str(exc.args[0])}) from exc
    try:
        new = parse_cell(value)
    except InvalidCell as exc:
        errors["value"] = ValidationError(str(exc), code="invalid_score")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        book = lock_gradebook(gradebook)
        require_may_request_amendment(by, book)
        if section_learner.section_id != book.section_id:
            raise ValidationError(NOT_ON_LIST, code="not_on_list")
        if not _amendable(book, column_):
            raise ValidationError({"column": ValidationError(
                NOT_AMENDABLE, code="not_amendable", params={"column": column_.label})})
        _refuse_if_graduated(section_learner.pk)
        sheet = load_sheet(book, final_only=True)
        row = sheet.row(section_learner.pk)
        if row is None:
            raise ValidationError(NOT_ON_LIST, code="not_on_list")
        old = row.value(column_.code)
        if old == new:
            raise ValidationError({"value": ValidationError(SAME_VALUE, code="same")})
        if (column_.is_exam and column_.number > 1 and old.is_empty
                and not row.needs_sitting(column_.number)):
            raise ValidationError(EXAM_NOT_NEEDED, code="exam_not_needed", params={
                "learner": row.learner.full_name, "sitting": column_.number})
        try:
            with transaction.atomic():
                amendment = Amendment.objects.create(
                    gradebook=book, section_learner=section_learner, kind=column_.kind,
                    number=column_.number, old_score=old.score, old_mark=old.mark,
                    new_score=new.score, new_mark=new.mark, reason=reason, evidence=evidence,
                    requested_by=by, requested_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise ValidationError(OPEN_REQUEST, code="open_request") from exc
        log_action(book, GradebookLog.AMENDMENT_REQUESTED, by,
             f"{row.learner.full_name} {column_.label}: {old.text or '∅'} → {new.text or '∅'}")
    return amendment


def amendment_approve(*, amendment: Amendment, by, note: str = "") -> Amendment:
    """Approve a requested amendment; the learner's round and results follow at once."""
    with transaction.atomic():
        book = lock_gradebook(amendment.gradebook)
        require_office(by)
        amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if amendment.status != AmendmentStatus.REQUESTED:
            raise ValidationError(NOT_REQUESTED, code="decided")
        _refuse_if_graduated(amendment.section_learner_id)
        column = Column.of(amendment.kind, amendment.number)
        before = load_sheet(book, final_only=True).row(amendment.section_learner_id)
        current = before.value(column.code) if before else None
        if current is None or (current.score, current.mark) != (amendment.old_score,
                                                                amendment.old_mark):
            raise ValidationError(CHANGED_SINCE, code="changed",
                                  params={"value": current.text if current else "∅"})
        amendment.status = AmendmentStatus.APPROVED
        amendment.decided_by = by
        amendment.decided_at = timezone.now()
        amendment.decision_note = note
        amendment.save()
        sheet = _validate_learner(book, amendment.section_learner_id)
        log_action(book, GradebookLog.AMENDMENT_APPROVED, by,
             f"{before.learner.full_name} {column.label}: {amendment.old or '∅'} → "
             f"{amendment.new or '∅'}. {amendment.reason}")
        book.version += 1
        book.save(update_fields=["version", "updated_at"])
        enrollment_ids = rounds_refresh(gradebook=book, sheet=sheet)
        results_recompute(enrollment_ids=enrollment_ids, by=by)
        open_next_sitting(book, by=by, sheet=sheet)
    return amendment


def _refuse_if_graduated(section_learner_id: int) -> None:
    """A graduation decision froze the learner's results (degrees; the database refuses too)."""
    section_learner = (SectionLearner.objects.select_related("enrollment__learner")
                       .get(pk=section_learner_id))
    if section_learner.enrollment.status == EnrollmentStatus.GRADUATED:
        raise ValidationError(GRADUATED, code="graduated",
                              params={"learner": section_learner.enrollment.learner.full_name})


def _validate_learner(book: Gradebook, section_learner_id: int) -> Sheet:
    """The learner's approved values, amendment applied, must still make a valid round.
    Returns the approved-values sheet, for the rounds and the next session to reuse."""
    sheet = load_sheet(book, final_only=True, extra_sittings=1)
    row = sheet.row(section_learner_id)
    name = row.learner.full_name
    if row.checks_average is None and row.cells and any(
            not row.value(c.code).is_empty for c in row.cells.values() if not c.column.is_exam):
        raise ValidationError(NO_CHECK_LEFT, code="no_check", params={"learner": name})
    if row.eligible is False and row.sittings:
        raise ValidationError(WOULD_BE_INELIGIBLE, code="ineligible",
                              params={"learner": name, "reasons": ", ".join(row.reason_labels)})
    return sheet


def amendment_reject(*, amendment: Amendment, by, note: str) -> Amendment:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ValidationError(REASON_REQUIRED, code="required")})
    return _close(amendment, by, AmendmentStatus.REJECTED, note, GradebookLog.AMENDMENT_REJECTED,
                  office=True)


def amendment_withdraw(*, amendment: Amendment, by) -> Amendment:
    if amendment.requested_by_id != by.pk:
        raise PermissionDenied(ONLY_REQUESTER)
    return _close(amendment, by, AmendmentStatus.WITHDRAWN, "", GradebookLog.AMENDMENT_WITHDRAWN,
                  office=False)


def _close(amendment, by, status, note, action, *, office: bool) -> Amendment:
    with transaction.atomic():
        book = lock_gradebook(amendment.gradebook)
        if office:
            require_office(by)
        amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if amendment.status != AmendmentStatus.REQUESTED:
            raise ValidationError(NOT_REQUESTED, code="decided")
        amendment.status = status
        amendment.decided_by = by
        amendment.decided_at = timezone.now()
        amendment.decision_note = note
        amendment.save()
        log_action(book, action, by, note)
    return amendment


def amendment_record(*, gradebook: Gradebook, section_learner: SectionLearner, column: str,
                     value, reason: str, by, evidence: str = "", note: str = "") -> Amendment:
    """The training office records and approves an amendment in one step."""
    with transaction.atomic():
        amendment = amendment_request(gradebook=gradebook, section_learner=section_learner,
                                      column=column, value=value, reason=reason, by=by,
                                      evidence=evidence)
        return amendment_approve(amendment=amendment, by=by, note=note)
