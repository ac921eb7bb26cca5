"""Graduation review of a class (REGULATIONS §4): facts read set-based from the computed
results, the pure rules of `degrees.graduation` applied, one line per learner with every
reason and the proposed classification. Adjustments change a line's verdict with a reason;
nothing is decided until a decision is recorded (degrees.services.decisions)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from degrees import graduation
from degrees.models import (
    GraduationApplication,
    GraduationReview,
    ReviewAdjustment,
    ReviewLine,
    ReviewStatus,
)
from enrollment.models import Enrollment, EnrollmentStatus
from enrollment.selectors import conduct_facts
from grading.config import grading_rules, rules_as_settings
from grading.models import ModuleExemption, ModuleResult, TermSummary
from training.models import (
    CertificateKind,
    ClassMembership,
    EnrollmentProgram,
    HomeroomClass,
    LearnerCertificate,
    Module,
    Program,
    ProgramRequirement,
)

NO_LEARNER = _("The class has no learner still studying to review.")
REVIEW_DECIDED = _("This review has been decided; run a new review for a change.")
REASON_REQUIRED = _("Give the reason of the adjustment.")
CLASSIFICATION_REQUIRED = _("A recognised learner needs a classification.")
# An enrolment finishing this far from its expected end is "off schedule" (§4.1 e).
SCHEDULE_TOLERANCE = timedelta(days=183)
# Statuses still reviewed: a suspended learner is listed with the reason DISCIPLINE.
REVIEWED_STATUSES = (EnrollmentStatus.STUDYING, EnrollmentStatus.SUSPENDED,
                     EnrollmentStatus.EXPELLED)


@dataclass
class LearnerFacts:
    enrollment: Enrollment
    required_credits: int
    earned_credits: int
    missing_modules: list[str]
    cumulative_gpa_4: object
    retaken_modules: int
    restudied_credits: int
    under_suspension: bool
    off_schedule: bool
    physical_education_done: bool = False
    defence_security_done: bool = False
    missing_requirements: list[str] = field(default_factory=list)
    prosecuted: bool = False
    discipline_pending: bool = False
    discipline_during_study: str = graduation.NO_DISCIPLINE
    applied: bool = False


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


def class_facts(homeroom_class: HomeroomClass, on: date) -> list[LearnerFacts]:
    """The §4 inputs of every learner of the class, in a fixed number of queries."""
    ids = list(ClassMembership.objects.filter(homeroom_class=homeroom_class, to_date__isnull=True,
                                              enrollment__status__in=REVIEWED_STATUSES)
               .values_list("enrollment_id", flat=True))
    enrollments = {e.pk: e for e in Enrollment.objects.filter(pk__in=ids)
                   .select_related("learner", "occupation")}
    programs = dict(EnrollmentProgram.objects.filter(enrollment_id__in=ids)
                    .values_list("enrollment_id", "program_id"))
    program_ids = set(programs.values()) | {homeroom_class.program_id}
    modules = defaultdict(list)
    for module in Module.objects.filter(program_id__in=program_ids).order_by("order", "code"):
        modules[module.program_id].append(module)
    durations = dict(Program.objects.filter(pk__in=program_ids)
                     .values_list("pk", "duration_months"))
    results = defaultdict(dict)
    for result in ModuleResult.objects.filter(enrollment_id__in=ids):
        results[result.enrollment_id][result.module_id] = result
    exempted = defaultdict(set)
    for enrollment_id, module_id in ModuleExemption.objects.filter(
            enrollment_id__in=ids).values_list("enrollment_id", "module_id"):
        exempted[enrollment_id].add(module_id)
    requirements = defaultdict(list)
    for requirement in ProgramRequirement.objects.filter(program_id__in=program_ids):
        requirements[requirement.program_id].append(requirement)
    certificates = defaultdict(set)  # kinds, and requirement ids, with a valid certificate
    for enrollment_id, kind, requirement_id in LearnerCertificate.objects.filter(
            enrollment_id__in=ids, issued_on__lte=on, revoked_on__isnull=True).values_list(
            "enrollment_id", "kind", "requirement_id"):
        certificates[enrollment_id].add(requirement_id or kind)
    conduct = conduct_facts(ids, on)
    applied = set(GraduationApplication.objects.filter(enrollment_id__in=ids)
                  .values_list("enrollment_id", flat=True))
    gpa = {}
    for enrollment_id, value in (TermSummary.objects.filter(enrollment_id__in=ids)
                                 .order_by("semester__starts_on")
                                 .values_list("enrollment_id", "cumulative_gpa_4")):
        gpa[enrollment_id] = value  # the latest semester's wins
    out = []
    for pk in ids:
        enrollment = enrollments[pk]
        program_id = programs.get(pk, homeroom_class.program_id)
        plan = modules[program_id]
        mine, free = results[pk], exempted[pk]
        done = [m for m in plan if m.pk in free or (m.pk in mine and mine[m.pk].passed)]
        done_ids = {m.pk for m in done}
        counted = [mine[m.pk] for m in plan if m.pk in mine and m.pk not in free]
        expected_end = enrollment.expected_end_date or _add_months(
            enrollment.start_date, durations[program_id])
        out.append(LearnerFacts(
            enrollment=enrollment,
            required_credits=sum(m.credits for m in plan),
            earned_credits=sum(m.credits for m in done),
            missing_modules=[m.code for m in plan if m.pk not in done_ids],
            cumulative_gpa_4=gpa.get(pk),
            retaken_modules=sum(1 for r in counted if r.had_to_retake and r.counts_in_gpa),
            restudied_credits=sum(r.credits for r in counted if r.had_to_restudy),
            under_suspension=(enrollment.status != EnrollmentStatus.STUDYING
                              or conduct[pk].under_suspension_or_higher),
            off_schedule=abs(on - expected_end) > SCHEDULE_TOLERANCE,
            physical_education_done=CertificateKind.PHYSICAL_EDUCATION in certificates[pk],
            defence_security_done=CertificateKind.DEFENCE_SECURITY in certificates[pk],
            missing_requirements=[r.code for r in requirements[program_id]
                                  if r.pk not in certificates[pk]],
            prosecuted=conduct[pk].prosecuted,
            discipline_pending=conduct[pk].discipline_pending,
            discipline_during_study=graduation.highest_discipline(
                conduct[pk].discipline_levels),
            applied=pk in applied,
        ))
    return out


def _line_values(facts: LearnerFacts, rules: graduation.GraduationRules) -> dict:
    eligibility = graduation.check_graduation_eligibility(
        required_credits=facts.required_credits, earned_credits=facts.earned_credits,
        missing_required_modules=facts.missing_modules,
        cumulative_gpa=facts.cumulative_gpa_4,
        physical_education_done=facts.physical_education_done,
        defence_security_done=facts.defence_security_done,
        other_requirements_missing=facts.missing_requirements,
        # §4.1 d: a disciplinary matter pending is reviewed first, so it holds the learner.
        under_suspension_or_higher=facts.under_suspension or facts.discipline_pending,
        criminally_prosecuted=facts.prosecuted, off_schedule=facts.off_schedule,
        applied=facts.applied, rules=rules)
    classification = None
    downgraded = False
    downgrade_reasons: tuple[str, ...] = ()
    if facts.required_credits:
        result = graduation.classify_graduation(
            cumulative_gpa_4=facts.cumulative_gpa_4, retaken_modules=facts.retaken_modules,
            restudied_credits=facts.restudied_credits, program_credits=facts.required_credits,
            discipline_during_study=facts.discipline_during_study, rules=rules)
        classification, downgraded = result.classification, result.downgraded
        downgrade_reasons = result.reasons
    return {
        "enrollment": facts.enrollment, "eligible": eligibility.eligible,
        "reasons": list(eligibility.reasons), "cumulative_gpa_4": facts.cumulative_gpa_4,
        "earned_credits": facts.earned_credits, "required_credits": facts.required_credits,
        "retaken_modules": facts.retaken_modules, "restudied_credits": facts.restudied_credits,
        "proposed_classification": classification or "", "downgraded": downgraded,
        "downgrade_reasons": list(downgrade_reasons),
        "discipline_level": facts.discipline_during_study,
        "missing_requirements": facts.missing_requirements,
        "final_eligible": eligibility.eligible and classification is not None,
        "final_classification": classification or "",
    }


def review_run(*, homeroom_class: HomeroomClass, by, review_date: date | None = None,
               note: str = "") -> GraduationReview:
    """Review every learner of the class still studying; a proposal, not a decision."""
    review_date = review_date or timezone.localdate()
    # The rule set in force now; the review keeps a copy, so a later change of
    # GRADING_RULES applies to later reviews only (its lines are fixed anyway).
    in_force = grading_rules()
    rules = graduation.GraduationRules.of(in_force)
    with transaction.atomic():
        facts = class_facts(homeroom_class, review_date)
        if not facts:
            raise ValidationError(NO_LEARNER, code="empty")
        review = GraduationReview.objects.create(homeroom_class=homeroom_class,
                                                 review_date=review_date, note=note,
                                                 created_by=by,
                                                 rules=rules_as_settings(in_force))
        ReviewLine.objects.bulk_create([ReviewLine(review=review, **_line_values(item, rules))
                                        for item in facts])
    return review


def review_adjust(*, line: ReviewLine, eligible: bool, classification: str, reason: str,
                  by) -> ReviewAdjustment:
    """Change a line's verdict, with the reason on record (e.g. an application received, a
    certificate handed in, a disciplinary decision the system does not hold)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    if eligible and not classification:
        raise ValidationError({"classification": ValidationError(CLASSIFICATION_REQUIRED,
                                                                 code="required")})
    if not eligible:
        classification = ""
    with transaction.atomic():
        line = ReviewLine.objects.select_for_update().select_related("review").get(pk=line.pk)
        if line.review.status != ReviewStatus.OPEN:
            raise ValidationError(REVIEW_DECIDED, code="decided")
        adjustment = ReviewAdjustment.objects.create(line=line, eligible=eligible,
                                                     classification=classification,
                                                     reason=reason, by=by)
        line.final_eligible = eligible
        line.final_classification = classification
        line.save(update_fields=["final_eligible", "final_classification"])
    return adjustment
