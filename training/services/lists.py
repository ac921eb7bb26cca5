"""Set-based upkeep of section lists when classes gain or lose learners.

One INSERT … SELECT / UPDATE per call, whatever the number of learners: a learner's
section list follows their class, for every semester that has not ended on the given day.
"""

# SQL is assembled from table-name constants; every value is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import Enrollment, EnrollmentStatus
from training.models import (
    ClassMembership,
    Section,
    SectionClass,
    SectionLearner,
    SectionLearnerSource,
    Semester,
)
from training.services.common import error
from vetschool.regulation.config import rules_in_force

PRACTICE_CLASS_FULL = _("%(section)s is a practice class: at most %(limit)s learners "
                        "(REGULATIONS §3.5), it would have %(count)s.")
PRACTICE_CLASS_FULL_HAZARDOUS = _("%(section)s is a practice class of a heavy or hazardous "
                                  "occupation: at most %(limit)s learners (REGULATIONS §3.5), "
                                  "it would have %(count)s.")

SL = SectionLearner._meta.db_table
S = Section._meta.db_table
SC = SectionClass._meta.db_table
SEM = Semester._meta.db_table


def add_class_learners(*, class_ids: Sequence[int], enrollment_ids: Sequence[int] | None,
                       on: date, by=None, section_ids: Sequence[int] | None = None,
                       studying_only: bool = True) -> int:
    """Put the class's learners on the lists of the class's sections of semesters not
    ended on `on` (source `class`). Returns how many entries were added or reactivated.

    `enrollment_ids` None means every open member of those classes. Learners already on
    an active list of the same module in that semester are left where they are.
    """
    params: dict = {
        "class_ids": list(class_ids), "on": on, "now": timezone.now(),
        "by": getattr(by, "pk", None), "source": SectionLearnerSource.CLASS,
        "studying": EnrollmentStatus.STUDYING,
    }
    candidates = _candidates_sql(params, enrollment_ids, section_ids, studying_only)
    with connection.cursor() as cursor:
        # Entries removed earlier (e.g. the learner left and came back) come back.
        cursor.execute(f"""
            UPDATE {SL} sl SET removed_at = NULL, removed_reason = '', removed_by_id = NULL,
                               source = %(source)s, reason = '', added_at = %(now)s,
                               added_by_id = %(by)s
            FROM ({candidates}) c
            WHERE sl.section_id = c.section_id AND sl.enrollment_id = c.enrollment_id
              AND sl.removed_at IS NOT NULL
              AND NOT EXISTS (
                  SELECT 1 FROM {SL} other
                  WHERE other.enrollment_id = c.enrollment_id AND other.module_id = c.module_id
                    AND other.semester_id = c.semester_id AND other.removed_at IS NULL)
        """, params)
        reactivated = cursor.rowcount
        cursor.execute(f"""
            INSERT INTO {SL} (section_id, enrollment_id, module_id, semester_id, source, reason,
                              added_at, added_by_id, removed_reason)
            SELECT c.section_id, c.enrollment_id, c.module_id, c.semester_id, %(source)s, '',
                   %(now)s, %(by)s, ''
            FROM ({candidates}) c
            ON CONFLICT DO NOTHING
        """, params)
        return reactivated + cursor.rowcount


def _candidates_sql(params: dict, enrollment_ids: Sequence[int] | None,
                    section_ids: Sequence[int] | None, studying_only: bool) -> str:
    """The (section, enrollment) pairs the classes' open members should be on, as a SELECT;
    adds the id lists it joins to `params`."""
    membership = ClassMembership._meta.db_table
    enrollment = Enrollment._meta.db_table
    # Id lists are joined as unnest() tables (hash joins), never tested with = ANY() row by
    # row: the generation passes thousands of sections.
    joins, filters = "", ""
    if enrollment_ids is not None:
        joins += " JOIN unnest(%(enrollment_ids)s::bigint[]) AS wanted_e(id) " \
                 "ON wanted_e.id = m.enrollment_id"
        params["enrollment_ids"] = list(enrollment_ids)
    if section_ids is not None:
        joins += " JOIN unnest(%(section_ids)s::bigint[]) AS wanted_s(id) " \
                 "ON wanted_s.id = s.id"
        params["section_ids"] = list(section_ids)
    if studying_only:
        filters += " AND e.status = %(studying)s"
    return f"""
        SELECT DISTINCT s.id AS section_id, m.enrollment_id, s.module_id, s.semester_id
        FROM {S} s
        JOIN {SEM} sem ON sem.id = s.semester_id AND sem.ends_on >= %(on)s
        JOIN {SC} sc ON sc.section_id = s.id
        JOIN unnest(%(class_ids)s::bigint[]) AS wanted_c(id) ON wanted_c.id = sc.homeroom_class_id
        JOIN {membership} m ON m.homeroom_class_id = sc.homeroom_class_id
                            AND m.to_date IS NULL
        JOIN {enrollment} e ON e.id = m.enrollment_id
        {joins}
        WHERE TRUE {filters}
    """


def remove_class_learners(*, class_id: int, enrollment_ids: Sequence[int], on: date, reason: str,
                          by=None, keep_class_ids: Sequence[int] = ()) -> int:
    """Take learners who left a class off its sections of semesters not ended on `on`.

    Only entries that came from the class are removed (individual additions stay), and not
    those of sections the learner keeps through `keep_class_ids` (e.g. the new class).
    """
    params = {
        "class_id": class_id, "enrollment_ids": list(enrollment_ids), "on": on,
        "now": timezone.now(), "by": getattr(by, "pk", None), "reason": reason[:300],
        "keep": list(keep_class_ids), "source": SectionLearnerSource.CLASS,
    }
    with connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE {SL} sl SET removed_at = %(now)s, removed_reason = %(reason)s,
                               removed_by_id = %(by)s
            FROM {S} s, {SEM} sem
            WHERE s.id = sl.section_id AND sem.id = s.semester_id AND sem.ends_on >= %(on)s
              AND sl.enrollment_id = ANY(%(enrollment_ids)s) AND sl.removed_at IS NULL
              AND sl.source = %(source)s
              AND EXISTS (SELECT 1 FROM {SC} sc WHERE sc.section_id = s.id
                                                  AND sc.homeroom_class_id = %(class_id)s)
              AND NOT EXISTS (SELECT 1 FROM {SC} sc WHERE sc.section_id = s.id
                                                      AND sc.homeroom_class_id = ANY(%(keep)s))
        """, params)
        return cursor.rowcount


def check_practice_classes(*, section_ids: Sequence[int] = (), class_ids: Sequence[int] = ()
                           ) -> None:
    """Refuse (roll back) when a practice class among these sections, or the sections of
    these classes, has more active learners than §3.5 allows. One query."""
    rules = rules_in_force()
    wanted = Q(pk__in=list(section_ids)) | Q(class_links__homeroom_class_id__in=list(class_ids))
    sections = (Section.objects.filter(wanted, practice=True).distinct()
                .values("pk", "code", "module__program__occupation__hazardous")
                .annotate(active=Count("learners", filter=Q(learners__removed_at__isnull=True),
                                       distinct=True)))
    for row in sections:
        hazardous = row["module__program__occupation__hazardous"]
        limit = rules.practice_class_max(hazardous=hazardous)
        if row["active"] > limit:
            raise error(PRACTICE_CLASS_FULL_HAZARDOUS if hazardous else PRACTICE_CLASS_FULL,
                        code="practice_class_too_large", section=row["code"], limit=limit,
                        count=row["active"])
