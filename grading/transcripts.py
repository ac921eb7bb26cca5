"""A learner's transcript (bảng điểm) as one structure, read from the computed results.

The transcript page, its PDF, the class-wide PDFs and the API all render `transcript_of()`,
so the page and the PDF can only differ in layout, never in content. A few queries per
learner whatever the number of modules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import Enrollment, Learner
from grading.computation import CLASSIFICATION_DISCIPLINE, CLASSIFICATION_RETAKES
from grading.config import grading_rules
from grading.models import (
    Amendment,
    AmendmentStatus,
    Classification,
    LearnerRound,
    ModuleExemption,
    ModuleResult,
    ModuleStatus,
    TermSummary,
)
from grading.services.rulesets import rule_set_in_force
from grading.sheet import CellValue, Column
from training.models import EnrollmentProgram, Semester

STANDING_REASON_LABELS = {
    "MAX_DURATION": _("maximum study time exceeded"),
    "CONSECUTIVE_WARNINGS": _("warned in consecutive semesters"),
    "SEMESTER_GPA": _("semester GPA below the threshold"),
    "CUMULATIVE_GPA": _("cumulative GPA below the threshold"),
    "OUTSTANDING_F": _("too many failed modules outstanding"),
}

# Why a semester classification was lowered one level (§2.4 a, b).
CLASSIFICATION_REASON_LABELS = {
    CLASSIFICATION_DISCIPLINE: _("disciplined at warning or higher in the semester"),
    CLASSIFICATION_RETAKES: _("exams of modules had to be retaken in the semester"),
}


@dataclass
class ModuleLine:
    code: str
    name: str
    credits: int
    counts_in_gpa: bool
    score_10: Decimal | None
    letter: str
    score_4: Decimal | None
    attempts: int
    status: str
    status_label: str
    passed: bool
    had_to_retake: bool
    had_to_restudy: bool
    amended: bool = False


@dataclass
class TermBlock:
    semester: Semester
    summary: TermSummary
    modules: list[ModuleLine] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(STANDING_REASON_LABELS.get(code, code)) for code in self.summary.reasons]

    @property
    def classification_labels(self) -> list[str]:
        return [str(CLASSIFICATION_REASON_LABELS.get(code, code))
                for code in self.summary.classification_reasons]


@dataclass
class Correction:
    when: object
    module: str
    column: str
    old: str
    new: str
    reason: str
    approved_by: str


@dataclass
class EnrollmentTranscript:
    enrollment: Enrollment
    program: object | None
    terms: list[TermBlock]
    pending: list[ModuleLine]
    exempted: list[ModuleLine]
    corrections: list[Correction]

    @property
    def latest(self) -> TermSummary | None:
        return self.terms[-1].summary if self.terms else None

    @property
    def modules(self) -> list[ModuleLine]:
        return [m for term in self.terms for m in term.modules] + self.pending + self.exempted


@dataclass
class RulesInForce:
    """The footnote of the rules the transcript was computed with (REGULATIONS §11)."""

    since: object  # when the rule set was recorded (RuleSetChange); None: not recorded yet
    weights: str
    pass_mark: str
    letters: str
    classes: str
    graduation_min_gpa: str


def rules_in_force_note() -> RulesInForce:
    rules = grading_rules()
    record = rule_set_in_force()
    levels = dict(Classification.choices)
    return RulesInForce(
        since=record.at if record else None,
        weights=f"{rules.checks_weight:%} / {rules.exam_weight:%}",
        pass_mark=str(rules.pass_mark),
        letters=", ".join(f"{b.letter} ≥ {b.min_score}" for b in rules.letter_bands[:-1]),
        classes=", ".join(f"{levels.get(b.level, b.level)} ≥ {b.min_gpa}"
                          for b in rules.class_bands),
        graduation_min_gpa=str(rules.graduation_min_gpa),
    )


@dataclass
class Transcript:
    learner: Learner
    enrollments: list[EnrollmentTranscript]
    generated_at: object
    rules: RulesInForce | None = None


def _line(result: ModuleResult, amended: set[int]) -> ModuleLine:
    module = result.module
    return ModuleLine(
        module.code, module.name_vi, result.credits, result.counts_in_gpa, result.score_10,
        result.letter, result.score_4, result.attempts, result.status,
        str(ModuleStatus(result.status).label), result.passed, result.had_to_retake,
        result.had_to_restudy, module.pk in amended,
    )


def transcript_of(learner: Learner) -> Transcript:
    enrollments = list(Enrollment.objects.filter(learner=learner)
                       .select_related("occupation").order_by("-admission_year", "-pk"))
    ids = [e.pk for e in enrollments]
    programs = {link.enrollment_id: link.program for link in
                EnrollmentProgram.objects.filter(enrollment_id__in=ids)
                .select_related("program__occupation")}
    results = defaultdict(list)
    for result in (ModuleResult.objects.filter(enrollment_id__in=ids)
                   .select_related("module", "term__school_year")
                   .order_by("module__planned_semester", "module__order", "module__code")):
        results[result.enrollment_id].append(result)
    summaries = defaultdict(list)
    for summary in (TermSummary.objects.filter(enrollment_id__in=ids)
                    .select_related("semester__school_year")
                    .order_by("semester__school_year__start_year", "semester__number")):
        summaries[summary.enrollment_id].append(summary)
    amendments = list(Amendment.objects.filter(
        section_learner__enrollment_id__in=ids, status=AmendmentStatus.APPROVED)
        .select_related("gradebook__section__module", "decided_by", "section_learner")
        .order_by("decided_at"))
    amended = defaultdict(set)
    corrections = defaultdict(list)
    for amendment in amendments:
        enrollment_id = amendment.section_learner.enrollment_id
        module = amendment.gradebook.section.module
        amended[enrollment_id].add(module.pk)
        corrections[enrollment_id].append(Correction(
            amendment.decided_at, f"{module.code} {module.name_vi}",
            Column.of(amendment.kind, amendment.number).label,
            CellValue(amendment.old_score, amendment.old_mark).text or "—",
            CellValue(amendment.new_score, amendment.new_mark).text or "—",
            amendment.reason,
            amendment.decided_by.get_full_name() if amendment.decided_by else ""))
    # Modules studied in a term but not yet with a counted score are listed in that term.
    last_terms = {(enrollment_id, module_id): term_id for enrollment_id, module_id, term_id in
                  LearnerRound.objects.filter(enrollment_id__in=ids)
                  .order_by("semester__starts_on")
                  .values_list("enrollment_id", "module_id", "term_id")}
    exemptions = {(x.enrollment_id, x.module_id) for x in
                  ModuleExemption.objects.filter(enrollment_id__in=ids)}

    out = []
    for enrollment in enrollments:
        blocks = {s.semester_id: TermBlock(s.semester, s) for s in summaries[enrollment.pk]}
        pending, exempted = [], []
        for result in results[enrollment.pk]:
            line = _line(result, amended[enrollment.pk])
            if (enrollment.pk, result.module_id) in exemptions:
                exempted.append(line)
                continue
            term_id = result.term_id or last_terms.get((enrollment.pk, result.module_id))
            if term_id in blocks:
                blocks[term_id].modules.append(line)
            else:
                pending.append(line)
        out.append(EnrollmentTranscript(
            enrollment, programs.get(enrollment.pk), list(blocks.values()), pending, exempted,
            corrections[enrollment.pk]))
    return Transcript(learner, out, timezone.now(), rules_in_force_note())


def transcript_json(transcript: Transcript) -> dict:
    """The API's shape (GET /api/v1/learners/{id}/transcript/): decimals as strings."""

    def dec(value):
        return None if value is None else str(value)

    def module(line: ModuleLine, term: Semester | None) -> dict:
        return {
            "code": line.code, "name": line.name, "credits": line.credits,
            "counts_in_gpa": line.counts_in_gpa, "score_10": dec(line.score_10),
            "letter": line.letter or None, "score_4": dec(line.score_4),
            "attempts": line.attempts, "status": line.status, "passed": line.passed,
            "had_to_retake": line.had_to_retake, "had_to_restudy": line.had_to_restudy,
            "amended": line.amended, "semester": str(term) if term else None,
        }

    enrollments = []
    for item in transcript.enrollments:
        latest = item.latest
        enrollments.append({
            "enrollment": item.enrollment.pk,
            "occupation": {"code": item.enrollment.occupation.code,
                           "name": item.enrollment.occupation.name_vi},
            "level": item.enrollment.level,
            "admission_year": item.enrollment.admission_year,
            "status": item.enrollment.status,
            "program": (f"{item.program.name_vi} ({item.program.version_label})"
                        if item.program else None),
            "modules": [module(m, t.semester) for t in item.terms for m in t.modules]
            + [module(m, None) for m in item.pending + item.exempted],
            "semesters": [{
                "semester": str(t.semester),
                "school_year": t.semester.school_year.name,
                "number": t.semester.number,
                "semester_index": t.summary.semester_index,
                "gpa_4": dec(t.summary.gpa_4), "gpa_10": dec(t.summary.gpa_10),
                "credits_in_gpa": t.summary.credits_in_gpa,
                "credits_earned": t.summary.credits_earned,
                "cumulative_gpa_4": dec(t.summary.cumulative_gpa_4),
                "cumulative_gpa_10": dec(t.summary.cumulative_gpa_10),
                "cumulative_credits_earned": t.summary.cumulative_credits_earned,
                "standing": t.summary.standing, "standing_reasons": t.summary.reasons,
                "classification": t.summary.classification or None,
                "classification_lowered_because": t.summary.classification_reasons,
            } for t in item.terms],
            "cumulative_gpa_4": dec(latest.cumulative_gpa_4) if latest else None,
            "cumulative_gpa_10": dec(latest.cumulative_gpa_10) if latest else None,
            "credits_earned": latest.cumulative_credits_earned if latest else 0,
            "standing": latest.standing if latest else None,
            "corrections": [{"at": c.when.isoformat() if c.when else None, "module": c.module,
                             "column": c.column, "old": c.old, "new": c.new,
                             "reason": c.reason} for c in item.corrections],
        })
    return {
        "learner": {"id": transcript.learner.pk, "code": transcript.learner.code,
                    "full_name": transcript.learner.full_name,
                    "date_of_birth": transcript.learner.date_of_birth.isoformat()},
        "enrollments": enrollments,
    }
