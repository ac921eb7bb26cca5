"""Builders of the degrees tests: a class whose learners finished their program, with module
results and semester summaries written straight to the tables (grading has its own tests),
and the steps review → decision → diplomas through the real services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from degrees.services.decisions import decision_record
from degrees.services.register import decision_issue_all
from degrees.services.review import review_run
from enrollment.models import Enrollment
from grading.models import ModuleResult, TermSummary
from tests.factories import UserFactory
from tests.grading.factories import semester, world
from training.models import CertificateKind, LearnerCertificate
from vetschool.reference.models import Institution, Level, ProvincialUnit

REVIEW_DATE = date(2026, 7, 1)
DECISION_DATE = date(2026, 7, 10)
ISSUE_DATE = date(2026, 7, 20)
NAMES = ["Nguyễn Thị Ánh", "Trần Văn Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Võ Minh Đức",
         "Đặng Thị Giang", "Bùi Quốc Huy", "Hồ Ngọc Khánh", "Đỗ Thanh Lâm", "Ngô Bảo Ngọc"]


def institution() -> Institution:
    institution, _ = Institution.objects.update_or_create(pk=1, defaults={
        "name_vi": "Trường Cao đẳng Kỹ thuật Công nghệ Sông Hồng",
        "name_en": "Song Hong College of Technology", "ministry_code": "CDSH01",
        "level": Level.COLLEGE, "province": ProvincialUnit.objects.get(code="01"),
        "rector_name": "TS. Vũ Quang Minh"})
    return institution


CERTIFICATE_DATE = date(2026, 6, 15)


def certify(enrollment, *kinds, requirement=None, number=None):
    """Certificates on record for `enrollment` (by default both condition certificates)."""
    recorder = UserFactory(username="certificate-office")
    kinds = kinds or ((CertificateKind.REQUIREMENT,) if requirement else
                      (CertificateKind.PHYSICAL_EDUCATION, CertificateKind.DEFENCE_SECURITY))
    return [LearnerCertificate.objects.create(
        enrollment=enrollment, kind=kind, requirement=requirement,
        number=number or f"{kind[:2].upper()}-{enrollment.pk:05d}", issued_on=CERTIFICATE_DATE,
        recorded_by=recorder) for kind in kinds]


def finished_class(size: int = 4, *, gpas=None, failed=None, retaken=None, users=None,
                   names=None, certificates=True, occ=None):
    """A class whose learners have every module passed (except `failed`: index → module
    codes), GPA `gpas[i]` (default 3.20), `retaken[i]` modules that needed a retake; those
    who passed their condition modules hold both condition certificates (`certificates`)."""
    institution()
    w = world(size, users=users, names=names or NAMES, occ=occ)
    sem = semester(2025, 1)
    modules = list(w.program.modules.all())
    gpas = gpas or {}
    failed = failed or {}
    retaken = retaken or {}
    results = []
    for index, enrollment in enumerate(w.enrollments):
        retakes = retaken.get(index, 0)
        for module in modules:
            passed = module.code not in failed.get(index, ())
            results.append(ModuleResult(
                enrollment=enrollment, module=module,
                score_10=Decimal("8.0") if passed else Decimal("3.0"),
                letter="B" if passed else "F", score_4=Decimal("3.0") if passed else 0,
                passed=passed, attempts=2 if retakes else 1, had_to_retake=retakes > 0,
                status="passed" if passed else "must_restudy", credits=module.credits,
                counts_in_gpa=module.counts_in_gpa, term=sem, last_term=sem))
            if module.counts_in_gpa and retakes:
                retakes -= 1
        gpa = Decimal(gpas.get(index, "3.20"))
        TermSummary.objects.create(
            enrollment=enrollment, semester=sem, semester_index=1, gpa_4=gpa,
            gpa_10=Decimal("8.00"), cumulative_gpa_4=gpa, cumulative_gpa_10=Decimal("8.00"),
            cumulative_credits_earned=sum(m.credits for m in modules), standing="normal")
    ModuleResult.objects.bulk_create(results)
    condition_codes = {m.code for m in modules if not m.counts_in_gpa}
    for index, enrollment in enumerate(w.enrollments):
        if certificates and not condition_codes & set(failed.get(index, ())):
            certify(enrollment)
    Enrollment.objects.filter(pk__in=[e.pk for e in w.enrollments]).update(
        expected_end_date=REVIEW_DATE)
    return w


def reviewed(w, registrar):
    return review_run(homeroom_class=w.homeroom_class, by=registrar, review_date=REVIEW_DATE)


def decided(w, registrar, number: str = "245/QĐ-CĐSH"):
    review = reviewed(w, registrar)
    return decision_record(review=review, number=number, date_=DECISION_DATE,
                           signer_name="TS. Vũ Quang Minh", signer_title="Hiệu trưởng",
                           by=registrar)


def issued(w, registrar, number: str = "245/QĐ-CĐSH"):
    decision = decided(w, registrar, number)
    return decision, decision_issue_all(decision=decision, by=registrar, issue_date=ISSUE_DATE)
