"""Attendance of a section's class sessions, feeding exam eligibility (REGULATIONS §1.6).

Cell codes of the attendance grid (docs/grading.md): empty = present, `V` = absent with
permission, `VB` = absent with permission and made up (học bù), `KP` = absent without
permission; a number after the code gives the hours missed when not the whole session
(`KP2`, `V1.5`). Attendance is recorded during exam session 1 and locked with its approval.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grading.models import (
    AttendanceKind,
    AttendanceMark,
    AttendanceSession,
    AttendanceStatus,
    Gradebook,
)
from grading.rules import require_editable, require_teacher
from grading.services.common import lock_gradebook
from grading.services.gradebook import CellChange, CellInput, GradebookConflict

INVALID_CODE = _("“%(value)s” is not an attendance code: leave empty (present), V (absent with "
                 "permission), VB (absent with permission, made up) or KP (absent without "
                 "permission), optionally followed by the hours missed (KP2).")
TOO_MANY_HOURS = _("%(hours)s hours missed is more than the %(session)s hours of the session.")
CLOSED = _("Attendance is recorded during the main exam session only; it is locked now.")
DATE_OUTSIDE = _("The date is outside the semester (%(start)s – %(end)s).")
HOURS_RANGE = _("A session lasts more than 0 and at most 12 hours.")
DAY_FULL = _("There are already 4 sessions on that day.")
UNKNOWN_SESSION = _("Unknown session “%(code)s”.")
NOT_ON_LIST = _("Learner #%(id)s is not on the list of this section.")

_CODE = re.compile(r"^(VB|V|KP)\s*([0-9]+([.,][0-9])?)?$", re.IGNORECASE)
STATUS_CODE = {AttendanceStatus.EXCUSED: "V", AttendanceStatus.UNEXCUSED: "KP"}


@dataclass(frozen=True)
class Presence:
    status: str = AttendanceStatus.PRESENT
    hours: Decimal = Decimal(0)
    made_up: bool = False

    @property
    def text(self) -> str:
        if self.status == AttendanceStatus.PRESENT:
            return ""
        code = "VB" if self.made_up else STATUS_CODE[self.status]
        return code

    def text_for(self, session_hours: Decimal) -> str:
        if self.status == AttendanceStatus.PRESENT:
            return ""
        return self.text + ("" if self.hours == session_hours else f"{self.hours.normalize()}")


PRESENT = Presence()


def parse_presence(text, session_hours: Decimal) -> Presence:
    raw = ("" if text is None else str(text)).strip()
    if not raw:
        return PRESENT
    match = _CODE.match(raw)
    if not match:
        raise ValidationError(INVALID_CODE, code="invalid", params={"value": raw})
    code = match.group(1).upper()
    try:
        hours = (Decimal(match.group(2).replace(",", ".")) if match.group(2)
                 else Decimal(session_hours))
    except InvalidOperation as exc:
        raise ValidationError(INVALID_CODE, code="invalid", params={"value": raw}) from exc
    if hours <= 0 or hours > session_hours:
        raise ValidationError(TOO_MANY_HOURS, code="hours",
                              params={"hours": hours, "session": session_hours})
    status = AttendanceStatus.UNEXCUSED if code == "KP" else AttendanceStatus.EXCUSED
    return Presence(status, hours, code == "VB")


def session_code(session: AttendanceSession) -> str:
    return f"S{session.pk}"


def _require_open(book: Gradebook) -> None:
    require_editable(book)
    if book.sitting != 1:
        raise ValidationError(CLOSED, code="closed")


def attendance_session_create(*, gradebook: Gradebook, by, day: date, kind: str,
                              hours, topic: str = "") -> AttendanceSession:
    """Add a class session (date, theory or practice, hours) to the section's register."""
    try:
        hours = Decimal(str(hours).replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError({"hours": ValidationError(HOURS_RANGE)}) from exc
    errors = {}
    if not Decimal(0) < hours <= Decimal(12):
        errors["hours"] = ValidationError(HOURS_RANGE, code="range")
    if kind not in AttendanceKind.values:
        errors["kind"] = ValidationError(_("Choose theory or practice."), code="invalid")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        book = lock_gradebook(gradebook)
        require_teacher(by, book)
        _require_open(book)
        semester = book.section.semester
        if not semester.starts_on <= day <= semester.ends_on:
            raise ValidationError({"day": ValidationError(DATE_OUTSIDE, code="outside", params={
                "start": f"{semester.starts_on:%d/%m/%Y}", "end": f"{semester.ends_on:%d/%m/%Y}"})})
        used = set(AttendanceSession.objects.filter(gradebook=book, date=day)
                   .values_list("ordinal", flat=True))
        ordinal = next((n for n in range(1, 5) if n not in used), None)
        if ordinal is None:
            raise ValidationError({"day": ValidationError(DAY_FULL, code="full")})
        book.version += 1
        book.save(update_fields=["version", "updated_at"])
        session = AttendanceSession.objects.create(
            gradebook=book, date=day, ordinal=ordinal, kind=kind, hours=hours,
            topic=(topic or "").strip()[:200], version=book.version, created_by=by)
    return session


def attendance_session_delete(*, session: AttendanceSession, by) -> None:
    """Remove a session entered by mistake, with its absences (before approval only)."""
    with transaction.atomic():
        book = lock_gradebook(session.gradebook)
        require_teacher(by, book)
        _require_open(book)
        AttendanceMark.objects.filter(session=session).delete()
        session.delete()
        book.version += 1
        book.save(update_fields=["version", "updated_at"])


def attendance_marks_save(*, gradebook: Gradebook, by, base_version: int,
                          marks: Sequence[CellInput]) -> tuple[int, list[CellChange]]:
    """Save attendance cells (column = session code "S<id>") in one transaction, with the
    same conflict rule as scores. Returns the new version and the changes made."""
    with transaction.atomic():
        book = lock_gradebook(gradebook)
        require_teacher(by, book)
        _require_open(book)
        writes, conflicts = _sort_marks(_read_marks(book), marks, base_version)
        if conflicts:
            raise GradebookConflict(version=book.version, changes=conflicts)
        if not writes:
            return book.version, []
        changes = _write_marks(book, by, writes)
    return book.version, changes


@dataclass
class _MarksState:
    """The book's sessions by code, its learners by id and its stored marks."""

    sessions: dict
    learners: dict
    existing: dict


def _read_marks(book: Gradebook) -> _MarksState:
    return _MarksState(
        sessions={session_code(s): s for s in AttendanceSession.objects.filter(gradebook=book)},
        learners={sl.pk: sl for sl in book.section.learners.filter(removed_at__isnull=True)
                  .select_related("enrollment__learner")},
        existing={(m.session_id, m.section_learner_id): m
                  for m in AttendanceMark.objects.filter(session__gradebook=book)
                  .select_related("updated_by")},
    )


def _sort_marks(state: _MarksState, marks: Sequence[CellInput], base_version: int):
    """(writes, conflicts) of the cells that change something; ValidationError, cell by
    cell, when any of them names an unknown session or learner or holds an invalid code."""
    errors, writes, conflicts = {}, [], []
    for cell in marks:
        try:
            session, learner, presence = _parse_mark(state, cell)
        except ValidationError as exc:
            errors.setdefault(f"{cell.learner}:{cell.column}", []).extend(exc.error_list)
            continue
        current = state.existing.get((session.pk, learner.pk))
        stored = (Presence(current.status, current.absent_hours, current.made_up)
                  if current else PRESENT)
        if stored == presence:
            continue
        if current and current.version > base_version:
            conflicts.append(CellChange(
                learner.pk, learner.enrollment.learner.full_name, session_code(session),
                f"{session.date:%d/%m}", stored.text_for(session.hours),
                current.updated_by.get_full_name() if current.updated_by else "",
                current.updated_at, current.version))
            continue
        writes.append((session, learner, presence))
    if errors:
        raise ValidationError(errors)
    return writes, conflicts


def _parse_mark(state: _MarksState, cell: CellInput):
    session = state.sessions.get(str(cell.column))
    try:
        learner = state.learners.get(int(cell.learner))
    except (TypeError, ValueError):
        learner = None
    if session is None:
        raise ValidationError(UNKNOWN_SESSION, params={"code": cell.column})
    if learner is None:
        raise ValidationError(NOT_ON_LIST, params={"id": cell.learner})
    return session, learner, parse_presence(cell.value, session.hours)


def _write_marks(book: Gradebook, by, writes) -> list[CellChange]:
    book.version += 1
    now = timezone.now()
    AttendanceMark.objects.bulk_create(
        [AttendanceMark(session=session, section_learner=learner, status=presence.status,
                        absent_hours=presence.hours, made_up=presence.made_up,
                        version=book.version, updated_by=by, updated_at=now)
         for session, learner, presence in writes],
        update_conflicts=True, unique_fields=["session", "section_learner"],
        update_fields=["status", "absent_hours", "made_up", "version", "updated_by",
                       "updated_at"],
    )
    book.save(update_fields=["version", "updated_at"])
    name = by.get_full_name()
    return [CellChange(learner.pk, learner.enrollment.learner.full_name,
                       session_code(session), f"{session.date:%d/%m}",
                       presence.text_for(session.hours), name, now, book.version)
            for session, learner, presence in writes]
