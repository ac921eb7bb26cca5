"""The timetable: a section's weekly meetings, and the rule that nobody is in two places
at once (issue #14).

A room, a teacher or a learner is never booked twice in the same period of the same week
of a semester. Every write that can create such a double booking — a meeting added or
moved, a teacher assigned, a learner put on a list (by hand, with a class, by a move or by
the semester's generation) — calls `check_clashes` for what it touched, in its own
transaction, and is rolled back with a message naming the other section. The database
also refuses a room booked twice (`meeting_room_not_booked_twice`); teachers and learners
reach a meeting through assignments and lists, which no single constraint spans, so a
transaction-level advisory lock serializes the checks instead.
"""

# SQL is assembled from table-name constants; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from training.models import (
    Section,
    SectionLearner,
    SectionMeeting,
    TeachingAssignment,
    slot_label,
)
from training.models.timetable import ROOM_CLASH
from training.services.common import error, integrity_as_validation

ROOM_TAKEN = _("Timetable clash: room %(room)s is already booked for section %(other)s "
               "(%(module)s) on %(when)s.")
TEACHER_BUSY = _("Timetable clash: %(who)s teaches section %(other)s (%(module)s) on "
                 "%(when)s, the same time as section %(section)s.")
LEARNER_BUSY = _("Timetable clash: %(who)s studies in section %(other)s (%(module)s) on "
                 "%(when)s, the same time as section %(section)s.")
WEEK_BEYOND_SEMESTER = _("The semester has %(weeks)s weeks; week %(week)s is beyond it.")

M = SectionMeeting._meta.db_table
S = Section._meta.db_table
SL = SectionLearner._meta.db_table
TA = TeachingAssignment._meta.db_table
LOCK_KEY = 1_414_001  # pg_advisory_xact_lock key of timetable writes

OVERLAP = """
    m2.semester_id = m1.semester_id AND m2.weekday = m1.weekday
    AND m2.section_id <> m1.section_id
    AND int4range(m1.first_period, m1.last_period, '[]')
        && int4range(m2.first_period, m2.last_period, '[]')
    AND int4range(m1.first_week, m1.last_week, '[]')
        && int4range(m2.first_week, m2.last_week, '[]')
"""


@dataclass(frozen=True)
class Clash:
    """Two sections meeting at once that share a room, a teacher or a learner."""

    kind: str  # "room" | "teacher" | "learner"
    who: str  # the room, the teacher's name, or the learner's code and name
    semester_id: int
    section: str
    module: str
    other: str
    other_module: str
    weekday: int
    first_period: int
    last_period: int
    first_week: int
    last_week: int

    @property
    def when(self) -> str:
        """The shared slot: the overlap of the two meetings."""
        return slot_label(self.weekday, self.first_period, self.last_period,
                          self.first_week, self.last_week)

    def message(self):
        template = {"room": ROOM_TAKEN, "teacher": TEACHER_BUSY,
                    "learner": LEARNER_BUSY}[self.kind]
        return error(template, code=f"{self.kind}_clash", room=self.who, who=self.who,
                     section=self.section, other=self.other, module=self.other_module,
                     when=self.when)


_SELECT = """
    SELECT '{kind}', {who}, m1.semester_id,
           s1.code, mod1.code || ' ' || mod1.name_vi, s2.code, mod2.code || ' ' || mod2.name_vi,
           m1.weekday, GREATEST(m1.first_period, m2.first_period),
           LEAST(m1.last_period, m2.last_period), GREATEST(m1.first_week, m2.first_week),
           LEAST(m1.last_week, m2.last_week)
    FROM {M} m1 JOIN {M} m2 ON {overlap}
    {joins}
    JOIN {S} s1 ON s1.id = m1.section_id JOIN training_module mod1 ON mod1.id = s1.module_id
    JOIN {S} s2 ON s2.id = m2.section_id JOIN training_module mod2 ON mod2.id = s2.module_id
    WHERE {where}
"""

_KINDS = {
    "room": {"who": "m1.room",
                 "joins": "", "where": "m1.room <> '' AND m2.room = m1.room"},
    "teacher": {
        "who": "st.full_name",
        "joins": f"""JOIN {TA} a1 ON a1.section_id = m1.section_id
                  JOIN {TA} a2 ON a2.section_id = m2.section_id AND a2.staff_id = a1.staff_id
                  JOIN staff_staffmember st ON st.id = a1.staff_id""",
        "where": "TRUE"},
    "learner": {
        "who": "l.code || ' ' || l.full_name",
        "joins": f"""JOIN {SL} sl1 ON sl1.section_id = m1.section_id AND sl1.removed_at IS NULL
                  JOIN {SL} sl2 ON sl2.section_id = m2.section_id AND sl2.removed_at IS NULL
                                AND sl2.enrollment_id = sl1.enrollment_id
                  JOIN enrollment_enrollment e ON e.id = sl1.enrollment_id
                  JOIN enrollment_learner l ON l.id = e.learner_id""",
        "where": "TRUE"},
}


KINDS = ("room", "teacher", "learner")


def find_clashes(*, kinds: Sequence[str] = KINDS, meeting_ids: Sequence[int] | None = None,
                 section_ids: Sequence[int] | None = None,
                 enrollment_ids: Sequence[int] | None = None,
                 staff_ids: Sequence[int] | None = None,
                 semester_ids: Sequence[int] | None = None,
                 limit: int | None = None) -> list[Clash]:
    """Double bookings of these kinds where the first meeting is among `meeting_ids`, of
    `section_ids`, the learner among `enrollment_ids` (learner clashes only), the teacher
    among `staff_ids` (teacher clashes only) — every given filter holds. With none of the
    first four, every double booking once (e.g. old ones carried by an upgrade)."""
    if enrollment_ids is not None:
        kinds = [k for k in kinds if k == "learner"]
    if staff_ids is not None:
        kinds = [k for k in kinds if k == "teacher"]
    scoped = any(x is not None for x in (meeting_ids, section_ids, enrollment_ids, staff_ids))
    params = {"meetings": list(meeting_ids or ()), "sections": list(section_ids or ()),
              "enrollments": list(enrollment_ids or ()), "staff": list(staff_ids or ()),
              "semesters": list(semester_ids or ())}
    queries = []
    for kind in kinds:
        parts = _KINDS[kind]
        conditions = [parts["where"]]
        if semester_ids is not None:
            conditions.append("m1.semester_id = ANY(%(semesters)s)")
        if meeting_ids is not None:
            conditions.append("m1.id = ANY(%(meetings)s)")
        if section_ids is not None:
            conditions.append("m1.section_id = ANY(%(sections)s)")
        if enrollment_ids is not None:
            conditions.append("sl1.enrollment_id = ANY(%(enrollments)s)")
        if staff_ids is not None:
            conditions.append("a1.staff_id = ANY(%(staff)s)")
        if not scoped:
            conditions.append("m1.section_id < m2.section_id")
        queries.append(_SELECT.format(kind=kind, M=M, S=S, overlap=OVERLAP,
                                      who=parts["who"], joins=parts["joins"],
                                      where=" AND ".join(conditions)))
    if not queries:
        return []
    sql = " UNION ALL ".join(f"({q})" for q in queries) + " ORDER BY 3, 4, 6, 8, 9"
    if limit:
        sql += f" LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Clash(*row) for row in cursor.fetchall()]


def lock_timetable() -> None:
    """Two transactions checking at once would each miss the other's write: one at a time
    (until the end of the caller's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def check_clashes(*, kinds: Sequence[str] = KINDS, meeting_ids: Sequence[int] | None = None,
                  section_ids: Sequence[int] | None = None,
                  enrollment_ids: Sequence[int] | None = None,
                  staff_ids: Sequence[int] | None = None) -> None:
    """Refuse (roll back the caller's transaction) if what was just written books a room,
    a teacher or a learner twice. Call inside the writing transaction, after the write;
    the filters are those of `find_clashes` (at least one)."""
    if all(x is None for x in (meeting_ids, section_ids, enrollment_ids, staff_ids)):
        raise TypeError("check_clashes() needs a scope")
    lock_timetable()
    clashes = find_clashes(kinds=kinds, meeting_ids=meeting_ids, section_ids=section_ids,
                           enrollment_ids=enrollment_ids, staff_ids=staff_ids, limit=1)
    if clashes:
        raise clashes[0].message()


MEETING_FIELDS = ("weekday", "first_period", "last_period", "first_week", "last_week", "room")


def _save_meeting(meeting: SectionMeeting) -> SectionMeeting:
    lock_timetable()
    meeting.full_clean(exclude=["section", "semester"], validate_unique=False,
                       validate_constraints=False)
    weeks = meeting.semester.weeks
    if meeting.last_week > weeks:
        raise error(WEEK_BEYOND_SEMESTER, code="week_beyond_semester", field="last_week",
                    weeks=weeks, week=meeting.last_week)
    # The room first, in words; then the database's own refusal if a race slipped through.
    if meeting.room:
        taken = (SectionMeeting.objects.filter(
            semester=meeting.semester, room=meeting.room, weekday=meeting.weekday,
            first_period__lte=meeting.last_period, last_period__gte=meeting.first_period,
            first_week__lte=meeting.last_week, last_week__gte=meeting.first_week)
            .exclude(pk=meeting.pk).select_related("section__module").first())
        if taken is not None:
            raise _room_taken(meeting, taken)
    with integrity_as_validation({ROOM_CLASH: error(
            ROOM_TAKEN, code="room_clash", room=meeting.room, other="?", module="?",
            when=meeting.when())}):
        meeting.save()
    check_clashes(meeting_ids=[meeting.pk])
    return meeting


def _room_taken(meeting: SectionMeeting, taken: SectionMeeting):
    return error(ROOM_TAKEN, code="room_clash", field="room", room=meeting.room,
                 other=taken.section.code,
                 module=f"{taken.section.module.code} {taken.section.module.name_vi}",
                 when=slot_label(meeting.weekday,
                                 max(meeting.first_period, taken.first_period),
                                 min(meeting.last_period, taken.last_period),
                                 max(meeting.first_week, taken.first_week),
                                 min(meeting.last_week, taken.last_week)))


@transaction.atomic
def meeting_add(*, section: Section, weekday: int, first_period: int, last_period: int,
                first_week: int = 1, last_week: int | None = None, room: str = "",
                by=None) -> SectionMeeting:
    """A weekly slot of `section` (by default every week of its semester)."""
    section = Section.objects.select_for_update().select_related("semester").get(pk=section.pk)
    meeting = SectionMeeting(section=section, semester=section.semester, weekday=weekday,
                             first_period=first_period, last_period=last_period,
                             first_week=first_week,
                             last_week=last_week or section.semester.weeks, room=room or "")
    return _save_meeting(meeting)


@transaction.atomic
def meeting_update(*, meeting: SectionMeeting, by=None, **fields) -> SectionMeeting:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update() cannot change {sorted(unknown)}")
    meeting = (SectionMeeting.objects.select_for_update().select_related("semester")
               .get(pk=meeting.pk))
    for name, value in fields.items():
        setattr(meeting, name, value if value is not None or name != "room" else "")
    return _save_meeting(meeting)


@transaction.atomic
def meeting_remove(*, meeting: SectionMeeting, by=None) -> None:
    SectionMeeting.objects.filter(pk=meeting.pk).delete()
