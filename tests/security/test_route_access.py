"""Access control proven route by route (issue #18).

Every URL pattern of the project (walked from the root resolver: pages, the admin, every
API route and action) has a row in ACCESS naming the roles that may use it. Each route is
tried once by every other role, anonymous included; the answer must be a refusal — 401,
403, 404 or a redirect to a login page — never a 200 and never a 500. A route missing from
the table fails `test_every_route_has_a_rule`.

The admin's standard model pages (changelist, add, change, delete, history) need no row:
their roles follow from the permissions each role is granted in
`vetschool/accounts/roles.py` (the view permission for reading pages, add/delete for
those pages). Everything else — custom admin views included — is listed by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from degrees.models import Diploma
from tests.security import world as W
from tests.security.routes import STANDARD_ADMIN, Route, admin_model, all_routes, first_pk, url_of
from training.models import TeachingAssignment
from vetschool.accounts import roles as role_table

pytestmark = pytest.mark.django_db

ANON, LEARNER, TEACHER, QA, HR, REG, SU = W.ROLES
EVERYONE = frozenset(W.ROLES)
SIGNED_IN = EVERYONE - {ANON}
OFFICE = frozenset({REG, SU})
STAFF = frozenset({QA, HR, REG, SU})
NOBODY = frozenset()


def only(*roles: str) -> frozenset:
    return frozenset(roles)


READERS = frozenset({QA, REG, SU})  # read every training/grading/degree record
STAFF_READERS = frozenset({QA, HR, REG, SU})

# Route (URL name, or pattern when unnamed) → the roles that may use it. Every other role,
# anonymous included, must be refused.
ACCESS: dict[str, frozenset] = {
    # --- public ---
    "home": EVERYONE, "healthz": EVERYONE, "favicon": EVERYONE, "set_language": EVERYONE,
    "accounts:login": EVERYONE, "accounts:logout": EVERYONE,
    # single sign-on: 404 unless configured; the end-to-end flow is tests/accounts/test_sso.py
    "sso:login": EVERYONE, "sso:callback": EVERYONE,
    "api-token": EVERYONE,  # the token login itself
    "api-root": SIGNED_IN, "api-schema": EVERYONE, "api-docs": EVERYONE,
    "enrollment:admissions": EVERYONE, "enrollment:apply": EVERYONE,
    "enrollment:submitted": EVERYONE, "enrollment:lookup": EVERYONE,
    "enrollment:status": EVERYONE, "enrollment:respond": EVERYONE,
    "enrollment:lookup-end": EVERYONE,
    "degrees-verify": EVERYONE, "degrees-verify-token": EVERYONE,
    "degrees-verify-credential": EVERYONE, "degrees-status-list": EVERYONE,
    "degrees-jwks": EVERYONE, "degrees-did": EVERYONE,
    "degrees-request-new": EVERYONE, "degrees-request-status": EVERYONE,
    "diploma-verification-list": EVERYONE, "diploma-verification-detail": EVERYONE,
    "enterprises:postings": EVERYONE, "enterprises:posting-submit": EVERYONE,
    "enterprises:posting-submitted": EVERYONE,
    "grading:mentor-evaluate": EVERYONE,  # the one-time link is the mentor's only key
    "processing-purposes": EVERYONE,  # the record of processing purposes (vetschool/privacy.py)
    # --- any signed-in user ---
    "accounts:password_reset": EVERYONE, "accounts:password_reset_done": EVERYONE,
    "accounts:password_reset_confirm": EVERYONE, "accounts:password_reset_complete": EVERYONE,
    "accounts:password_change": SIGNED_IN, "accounts:password_change_done": SIGNED_IN,
    # own API tokens: another user's token id answers 404 (tests/accounts/test_api_tokens.py)
    "api-token-own-list": SIGNED_IN, "api-token-own-detail": SIGNED_IN,
    "accounts:no-role": SIGNED_IN,
    # the second factor of staff (tests/accounts/test_mfa.py): a learner has none (403)
    "accounts:mfa-verify": SIGNED_IN - {LEARNER}, "accounts:mfa-enrol": SIGNED_IN - {LEARNER},
    "accounts:mfa-recovery": SIGNED_IN - {LEARNER},
    # --- learner portal (own rows only: tests/security/test_other_scope.py) ---
    "enrollment:my-record": only(LEARNER), "grading:student-home": only(LEARNER),
    "enrollment:my-data-json": only(LEARNER), "enrollment:my-data-pdf": only(LEARNER),
    "enrollment:my-corrections": only(LEARNER),
    "grading:my-transcript": only(LEARNER), "grading:my-transcript-pdf": only(LEARNER),
    "grading:my-internship": only(LEARNER),
    "degrees-my-diplomas": only(LEARNER), "degrees-my-diploma-pdf": only(LEARNER),
    "degrees-my-credential": only(LEARNER), "degrees-my-graduation": only(LEARNER),
    # --- teacher portal (own sections only) ---
    "training:teacher-home": only(TEACHER), "training:teacher-section": only(TEACHER),
    "training:teacher-section-xlsx": only(TEACHER), "grading:teacher": only(TEACHER),
    "grading:grid": only(TEACHER), "grading:review": only(TEACHER),
    "grading:xlsx": only(TEACHER), "grading:import": only(TEACHER),
    "grading:attendance": only(TEACHER), "grading:attendance-save": only(TEACHER),
    "grading:my-interns": only(TEACHER),  # the interns they supervise
    "grading:amendment-new": only(TEACHER, REG),
    "staff:profile": only(TEACHER), "staff:my-trainings": only(TEACHER),
    "staff:my-courseware": only(TEACHER), "staff:courseware-create": only(TEACHER),
    "staff:courseware-edit": only(TEACHER), "staff:self-assessment": only(TEACHER),
    # teacher A's own certificate and courseware file; HR and the staff readers too
    "staff:certificate": only(TEACHER) | STAFF_READERS,
    "staff:courseware-file": only(TEACHER) | STAFF_READERS,
    # --- offices' pages ---
    "office-home": STAFF,  # the work queue of the office roles (vetschool.workqueue)
    "training:program-indicators": READERS,
    "training:program-pdf": READERS | {TEACHER},
    "grading:office": OFFICE, "grading:office-review": OFFICE, "grading:amendments": OFFICE,
    "grading:transcript": READERS, "grading:transcript-pdf": READERS,
    "grading:warnings": READERS, "grading:class-transcripts": OFFICE,
    "grading:batch": OFFICE, "grading:batch-download": OFFICE,
    "grading:standing-review": OFFICE, "grading:standing-review-job": OFFICE,
    "staff:indicators": STAFF_READERS,
    "quality:employment": READERS, "quality:employment-records": READERS,
    "quality:surveys": READERS, "quality:survey-results": READERS,
    "quality:survey-results-xlsx": READERS,
    "quality:my-surveys": SIGNED_IN,  # each sees only their own invitations
    "quality:my-survey-answer": SIGNED_IN,  # another's invitation is a 404
    "quality:survey-link": EVERYONE,  # the one-time link is the respondent's only key
    "quality:teacher-surveys": only(TEACHER),  # aggregates of their own sections only
    "quality:dashboard": READERS, "quality:dashboard-records": READERS,
    "quality:reports": READERS, "quality:report": READERS, "quality:report-xlsx": READERS,
    "quality:report-pdf": READERS,
    "quality:open-data-csv": EVERYONE, "quality:open-data-json": EVERYONE,  # aggregates
    "quality:open-data-catalog": EVERYONE,  # their DCAT-AP description
    # --- API: enrolment (learners read their own rows) ---
    "application-list": READERS, "application-detail": READERS,
    "application-admit": OFFICE, "application-enrol": OFFICE, "application-reject": OFFICE,
    "application-request-changes": OFFICE, "application-waitlist": OFFICE,
    "learner-list": READERS | {LEARNER}, "learner-detail": READERS | {LEARNER},
    "learner-history": READERS | {LEARNER},
    "learner-national-id": READERS | {LEARNER},  # a learner: their own number only
    "enrollment-list": READERS | {LEARNER}, "enrollment-detail": READERS | {LEARNER},
    "enrollment-status": READERS | {LEARNER},  # GET: the history; the change is a POST
    # --- API: staff (teachers read their own record) ---
    "staff-list": STAFF_READERS | {TEACHER}, "staff-detail": STAFF_READERS | {TEACHER},
    "staff-national-id": only(HR, SU),
    "staff-position": STAFF_READERS | {TEACHER},  # GET: the history (a teacher: their own)
    "staff-department-list": STAFF_READERS | {TEACHER},
    "staff-department-detail": STAFF_READERS | {TEACHER},
    "staff-training-list": STAFF_READERS | {TEACHER},
    "staff-training-detail": STAFF_READERS | {TEACHER},
    "staff-training-register-department": only(HR, SU),
    "staff-participation-list": STAFF_READERS | {TEACHER},
    "staff-participation-detail": STAFF_READERS | {TEACHER},
    "staff-participation-result": only(HR, SU),
    "staff-courseware-list": STAFF_READERS | {TEACHER},
    "staff-courseware-detail": STAFF_READERS | {TEACHER},
    "staff-indicators-list": STAFF_READERS,
    # --- API: training (teachers read what selectors give them) ---
    "semester-list": READERS | {TEACHER}, "semester-current": READERS | {TEACHER},
    "semester-detail": READERS | {TEACHER},
    "program-list": READERS | {TEACHER}, "program-detail": READERS | {TEACHER},
    "program-activate": OFFICE, "program-new-version": OFFICE, "program-retire": OFFICE,
    "module-list": READERS | {TEACHER}, "module-detail": READERS | {TEACHER},
    "class-list": READERS | {TEACHER}, "class-detail": READERS | {TEACHER},
    "class-members": READERS | {TEACHER}, "class-move": OFFICE, "class-place": OFFICE,
    "section-list": READERS | {TEACHER}, "section-generate": OFFICE,
    "section-detail": READERS | {TEACHER}, "section-add-learner": OFFICE,
    "section-learners": READERS | {TEACHER},
    "teaching-assignment-list": READERS | {TEACHER},
    "teaching-assignment-detail": READERS | {TEACHER},
    # --- API: grading ---
    "section-gradebook-gradebook": OFFICE | {TEACHER},  # the office reads, the teacher writes
    "section-gradebook-submit": only(TEACHER),
    "learner-transcript-transcript": READERS | {LEARNER},
    # --- API: degrees ---
    "graduation-review-list": OFFICE, "graduation-review-detail": OFFICE,
    "graduation-review-adjust": OFFICE,
    "graduation-decision-list": OFFICE, "graduation-decision-detail": OFFICE,
    "graduation-decision-issue": OFFICE,
    "diploma-list": SIGNED_IN,  # each sees their own diplomas; the office all
    "diploma-detail": OFFICE | {LEARNER},
    "diploma-copies": OFFICE | {LEARNER}, "diploma-replace": OFFICE, "diploma-revoke": OFFICE,
    # --- API: enterprises (the training office keeps them, QA reads) ---
    "enterprise-list": READERS, "enterprise-detail": READERS,
    "enterprise-agreement-list": READERS, "enterprise-agreement-detail": READERS,
    "job-posting-list": READERS, "job-posting-detail": READERS,
    "job-posting-approve": OFFICE, "job-posting-reject": OFFICE,
    "internship-placement-list": READERS, "internship-placement-detail": READERS,
    # --- API: quality (QA keeps graduate tracking, the office reads) ---
    "tracer-record-list": READERS, "tracer-record-detail": READERS,
    "employment-figure-list": READERS, "indicator-list": READERS,
    # the QA officer's own API: statistical reports, surveys (counts only), cycles
    "statistical-report-list": only(QA, SU), "statistical-report-detail": only(QA, SU),
    "survey-list": only(QA, SU), "survey-detail": only(QA, SU),
    "self-assessment-cycle-list": only(QA, SU), "self-assessment-cycle-detail": only(QA, SU),
    # --- the admin site itself ---
    "admin:index": STAFF, "admin:login": EVERYONE, "admin:logout": EVERYONE,
    "admin:auth_user_password_change": only(SU),  # another user's password
    "admin:password_change": STAFF, "admin:password_change_done": STAFF,
    "admin:autocomplete": STAFF, "admin:jsi18n": EVERYONE,
    "admin:view_on_site": EVERYONE,  # a redirect to the object's public page
    "admin:app_list": STAFF,  # degrees: the apps a role sees (an empty list is a 404)
    "admin/(?P<url>.*)$": EVERYONE,  # the catch-all: a 404 or the login page, no data
    # --- custom admin views ---
    "admin:reference_occupation_process_import": OFFICE,
    "admin:reference_occupation_import": OFFICE,
    "admin:reference_occupation_export": OFFICE | {QA, HR},
    # The registrar starts a push, a reconciliation, a retry (issue #14); QA and HR only look.
    "admin:sync_dashboard_sync_now": OFFICE, "admin:sync_dashboard_reconcile": OFFICE,
    "admin:sync_dashboard_retry": OFFICE,
    "admin:enrollment_application_decide": OFFICE, "admin:enrollment_application_enrol": OFFICE,
    "admin:enrollment_application_letters": OFFICE,
    # the asker's own job only (another's id is a 404: tests/enrollment/test_admin.py)
    "admin:enrollment_application_letters_job": OFFICE,
    "admin:enrollment_application_letters_download": OFFICE,
    "admin:enrollment_application_document": READERS,
    "admin:enrollment_enrollment_status": OFFICE, "admin:enrollment_enrollment_revert": OFFICE,
    "admin:enrollment_learner_import": OFFICE, "admin:enrollment_learner_import_status": OFFICE,
    "admin:staff_staffmember_national_id": only(HR, SU),
    # the reason form (GET) and the logged reveal (POST) of a learner's / applicant's ID
    "admin:enrollment_learner_national_id": READERS,
    "admin:enrollment_application_national_id": READERS,
    "admin:staff_staffmember_import": only(HR, SU),
    "admin:staff_staffmember_import_template": only(HR, SU),
    "admin:staff_staffmember_import_status": only(HR, SU),
    "admin:staff_trainingcourse_register_department": only(HR, SU),
    "admin:training_semester_generate": OFFICE, "admin:training_homeroomclass_open": OFFICE,
    "admin:training_homeroomclass_move": OFFICE, "admin:training_program_import": OFFICE,
    "admin:training_program_import_template": STAFF,  # a blank form
    "admin:training_program_activate": OFFICE, "admin:training_program_new_version": OFFICE,
    "admin:training_section_add_learner": OFFICE, "admin:training_section_remove_learner": OFFICE,
    "admin:quality_cycle_report": READERS,  # the self-assessment report PDF
    "admin:quality_cycle_report_docx": READERS,  # the same report as DOCX
    "admin:quality_evidenceitem_file": READERS,  # an evidence item's file
    "admin:degrees_diplomaprintjob_progress": READERS,
    "admin:degrees_diplomaprintjob_download": READERS,
    # a large register export (export permission); another's job is a 404
    # (tests/degrees/test_register_exports.py)
    "admin:degrees_diploma_register_job": OFFICE,
    "admin:degrees_diploma_register_download": OFFICE,
    "admin:degrees_diploma_pdf": READERS, "admin:degrees_diploma_replace": OFFICE,
    "admin:degrees_diploma_revoke": OFFICE, "admin:degrees_diploma_copy": OFFICE,
    "admin:degrees_graduationreview_xlsx": READERS,
    "admin:degrees_graduationreview_decide": OFFICE,
    "admin:degrees_graduationreview_adjust": OFFICE,
    "admin:degrees_graduationdecision_issue": OFFICE,
    "admin:degrees_graduationdecision_print": OFFICE,
    # discipline, graduation holds and certificates: the training office records them
    "admin:enrollment_disciplinerecord_revoke": OFFICE,
    "admin:enrollment_graduationhold_lift": OFFICE,
    "admin:training_learnercertificate_revoke": OFFICE,
    "admin:enterprises_enterprise_import": OFFICE,
    "admin:grading_placement_place": OFFICE,
    "admin:enterprises_enterprise_import_template": OFFICE,
}

# Writes of API routes that also answer GET (the table above judges those by their GET):
# (route, method) → the roles that may send it. Every other role is refused; every role
# named here gets past the permission check (a 2xx, or a 400/409 about the empty body).
# Object scope (a teacher's own courseware, own gradebook) is proven in test_other_scope.py.
HR_SU = only(HR, SU)
WRITES: dict[tuple[str, str], frozenset] = {
    ("api-token-own-detail", "delete"): NOBODY,  # token 1 is nobody's here: 404 for all
    ("enrollment-status", "post"): OFFICE,
    ("staff-list", "post"): HR_SU, ("staff-detail", "patch"): HR_SU,
    ("staff-position", "post"): HR_SU,
    ("staff-department-list", "post"): HR_SU,
    ("staff-department-detail", "put"): HR_SU, ("staff-department-detail", "patch"): HR_SU,
    ("staff-training-list", "post"): HR_SU,
    ("staff-training-detail", "put"): HR_SU, ("staff-training-detail", "patch"): HR_SU,
    ("staff-training-detail", "delete"): HR_SU,
    ("staff-participation-list", "post"): HR_SU,
    ("staff-participation-detail", "delete"): HR_SU,
    # a teacher writes their own courseware (A's item here); HR keeps everyone's
    ("staff-courseware-list", "post"): only(TEACHER, HR, SU),
    ("staff-courseware-detail", "put"): only(TEACHER, HR, SU),
    ("staff-courseware-detail", "patch"): only(TEACHER, HR, SU),
    ("staff-courseware-detail", "delete"): only(TEACHER, HR, SU),
    ("program-list", "post"): OFFICE, ("program-detail", "patch"): OFFICE,
    ("module-list", "post"): OFFICE, ("module-detail", "patch"): OFFICE,
    ("module-detail", "delete"): OFFICE,
    ("class-list", "post"): OFFICE, ("class-detail", "patch"): OFFICE,
    ("section-list", "post"): OFFICE, ("section-detail", "patch"): OFFICE,
    ("section-detail", "delete"): OFFICE,
    ("teaching-assignment-list", "post"): OFFICE,
    ("teaching-assignment-detail", "delete"): OFFICE,
    # the section's own teacher only: the office reads the gradebook, never writes a score
    ("section-gradebook-gradebook", "put"): only(TEACHER),
    ("section-gradebook-gradebook", "patch"): only(TEACHER),
    ("graduation-review-list", "post"): OFFICE,
    ("graduation-decision-list", "post"): OFFICE,
    ("enterprise-list", "post"): OFFICE, ("enterprise-detail", "patch"): OFFICE,
    ("enterprise-agreement-list", "post"): OFFICE,
    ("enterprise-agreement-detail", "patch"): OFFICE,
    ("job-posting-list", "post"): OFFICE, ("job-posting-detail", "patch"): OFFICE,
    # no PUT and no DELETE: partial updates only; agreements and postings are history
    ("enterprise-detail", "put"): NOBODY, ("enterprise-detail", "delete"): NOBODY,
    ("enterprise-agreement-detail", "put"): NOBODY,
    ("enterprise-agreement-detail", "delete"): NOBODY,
    ("job-posting-detail", "put"): NOBODY, ("job-posting-detail", "delete"): NOBODY,
    ("internship-placement-list", "post"): OFFICE,
    ("internship-placement-detail", "patch"): OFFICE,
    ("internship-placement-detail", "put"): NOBODY,
    ("internship-placement-detail", "delete"): NOBODY,
    ("tracer-record-list", "post"): only(QA, SU), ("tracer-record-detail", "patch"): only(QA, SU),
    ("tracer-record-detail", "put"): NOBODY, ("tracer-record-detail", "delete"): NOBODY,
    ("statistical-report-list", "post"): only(QA, SU),  # asks for a new frozen report
}

# Rows whose expectation is right but whose fix belongs to the "adminperm" part of issue #18
# (degrees admin custom views, import/export permissions): (route, role) pairs that still
# get in. Strict xfails: the lead removes each when the fix is merged.
ADMINPERM: set[tuple[str, str]] = set()  # all fixed; kept for the next cross-part row


def _granted(role: str, app: str, codename: str) -> bool:
    """Whether `roles.py` grants a role a permission (by declaration, not by database)."""
    if role == SU:
        return True
    name = {LEARNER: role_table.LEARNER, TEACHER: role_table.TEACHER, QA: role_table.QA_OFFICER,
            HR: role_table.HR_OFFICER, REG: role_table.REGISTRAR}.get(role)
    declared = role_table.ROLES.get(name) if name else None
    if declared is None or not declared.staff:
        return False
    return (app in declared.full_apps
            or (codename.startswith("view_") and app in declared.view_apps)
            or f"{app}.{codename}" in declared.extra)


def standard_admin_access(name: str) -> frozenset | None:
    match = STANDARD_ADMIN.match(name or "")
    if not match or admin_model(match["app"], match["model"]) is None:
        return None
    verb = {"changelist": "view", "change": "view", "history": "view",
            "add": "add", "delete": "delete"}[match["view"]]
    codename = f"{verb}_{match['model']}"
    return frozenset(role for role in W.ROLES
                     if _granted(role, match["app"], codename)
                     or (verb == "view" and _granted(role, match["app"],
                                                     f"change_{match['model']}")))


UNNAMED_ADMIN_REDIRECT = "admin/{app}/{model}/<path:object_id>/"


def access_of(route: Route) -> frozenset | None:
    if route.key in ACCESS:
        return ACCESS[route.key]
    derived = standard_admin_access(route.name)
    if derived is not None:
        return derived
    # Django's old-style admin object URL only redirects to the change page (tested above).
    if route.name is None and route.pattern.startswith("admin/") \
            and route.pattern.endswith("/<path:object_id>/"):
        return EVERYONE
    return None


ROUTES = all_routes()


# --- how to reach each route ----------------------------------------------------------------

API_PK = {
    "api-token-own": lambda w: 1,  # anonymous is refused before any look-up
    "application": lambda w: w.application.pk,
    "learner": lambda w: w.enrollment_a.learner_id,
    "enrollment": lambda w: w.enrollment_a.pk,
    "staff": lambda w: w.staff_a.pk,
    "staff-department": lambda w: w.staff_a.department_id,
    "staff-training": lambda w: w.participation_a.course_id,
    "staff-participation": lambda w: w.participation_a.pk,
    "staff-courseware": lambda w: w.courseware_a.pk,
    "semester": lambda w: w.section_a.semester_id,
    "program": lambda w: w.class_a.program_id,
    "module": lambda w: w.section_a.module_id,
    "class": lambda w: w.class_a.pk,
    "section": lambda w: w.section_a.pk,
    "teaching-assignment": lambda w: TeachingAssignment.objects.filter(section=w.section_a)
    .first().pk,
    "graduation-review": lambda w: w.review.pk,
    "graduation-decision": lambda w: w.decision.pk,
    "diploma": lambda w: w.diploma_a.pk,
    "diploma-verification": lambda w: w.diploma_a.token,
    "enterprise": lambda w: w.enterprise.pk,
    "enterprise-agreement": lambda w: w.agreement.pk,
    "job-posting": lambda w: w.posting.pk,
    "internship-placement": lambda w: _placement(w).pk,
    "tracer-record": lambda w: _tracer_record(w).pk,
    "statistical-report": lambda w: _statistical_report().pk,
    "survey": lambda w: _survey(w).pk,
    "self-assessment-cycle": lambda w: _cycle().pk,
}


def _statistical_report():
    from quality.models import StatisticalReport

    return StatisticalReport.objects.get_or_create(period_start=date(2026, 1, 1),
                                                   period_end=date(2026, 6, 30))[0]


def _placement(w):
    """A placement row for the access checks (written straight: its rules have own tests)."""
    from enterprises.models import Contact
    from grading.models import Placement

    entry = w.section_a.learners.order_by("pk").first()
    mentor, _ = Contact.objects.get_or_create(enterprise=w.enterprise, full_name="Người HD")
    return Placement.objects.get_or_create(section_learner=entry, defaults={
        "enterprise": w.enterprise, "agreement": w.agreement, "mentor": mentor,
        "supervisor": w.staff_a, "starts_on": date(2025, 10, 1),
        "ends_on": date(2025, 12, 1)})[0]


def _survey(w):
    """An open survey of section A's learners (its rules have their own tests)."""
    from quality.models import Question, Survey, SurveyInvitation

    survey, created = Survey.objects.get_or_create(
        title="Khảo sát kiểm tra quyền", defaults={"audience": "sections", "state": "open",
                                                    "closes_on": date(2027, 6, 30)})
    if created:
        Question.objects.create(survey=survey, kind="scale", text="Câu 1")
        entry = w.section_a.learners.order_by("pk").first()
        SurveyInvitation.objects.create(survey=survey, enrollment=entry.enrollment,
                                        section=w.section_a,
                                        user=entry.enrollment.learner.user)
    return survey


def _tracer_record(w):
    from quality.models import TracerRecord

    return TracerRecord.objects.get_or_create(
        enrollment=w.enrollment_a, checkpoint=6,
        defaults={"status": "not_employed", "source": "staff"})[0]

def _cycle():
    from quality.models import Cycle, Framework
    from quality.services_accreditation import cycle_create

    return Cycle.objects.first() or cycle_create(
        framework=Framework.objects.get(code="TT14/2024"), title="TĐG", assessment_year=2026)


def _standing_review_job(w):
    from grading.models import StandingReviewJob

    return StandingReviewJob.objects.filter(semester_id=w.section_a.semester_id).first() or (
        StandingReviewJob.objects.create(
            semester_id=w.section_a.semester_id, decision_number="90/QĐ-CĐSH",
            decision_date=date(2026, 1, 20), status="done", total=1, done=1,
            created_by=w.user(REG)))


def _evidence():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from quality.models import EvidenceItem, Standard
    from quality.services_accreditation import evidence_create
    from tests.files import PDF

    return EvidenceItem.objects.first() or evidence_create(
        standard=Standard.objects.order_by("pk").first(), title="Quyết định",
        upload=SimpleUploadedFile("qd.pdf", PDF))


PAGE_KWARGS = {
    "enrollment:apply": lambda w: {"round_id": w.round.pk},
    "training:program-pdf": lambda w: {"pk": w.class_a.program_id},
    "grading:office-review": lambda w: {"pk": w.section_a.gradebook.pk},
    "grading:transcript": lambda w: {"pk": w.enrollment_a.learner_id},
    "grading:transcript-pdf": lambda w: {"pk": w.enrollment_a.learner_id},
    "grading:class-transcripts": lambda w: {"pk": w.class_a.pk},
    "grading:standing-review": lambda w: {"semester_pk": w.section_a.semester_id},
    "staff:courseware-edit": lambda w: {"pk": w.courseware_a.pk},
    "staff:certificate": lambda w: {"pk": w.participation_a.pk},
    "staff:courseware-file": lambda w: {"pk": w.courseware_a.pk},
    "degrees-verify-token": lambda w: {"token": w.diploma_a.token},
    "degrees-verify-credential": lambda w: {"token": w.diploma_a.token},
    "degrees-my-diploma-pdf": lambda w: {"pk": w.diploma_a.pk},
    "degrees-my-credential": lambda w: {"pk": w.diploma_a.pk},
    "admin:degrees_diploma_pdf": lambda w: {"pk": w.diploma_a.pk},
    "admin:degrees_diploma_replace": lambda w: {"pk": w.diploma_a.pk},
    "admin:degrees_diploma_revoke": lambda w: {"pk": w.diploma_a.pk},
    "admin:degrees_diploma_copy": lambda w: {"pk": w.diploma_a.pk},
    "admin:degrees_graduationreview_xlsx": lambda w: {"pk": w.review.pk},
    "admin:degrees_graduationreview_decide": lambda w: {"pk": w.review.pk},
    "admin:degrees_graduationreview_adjust": lambda w: {"pk": w.review.lines.first().pk},
    "admin:degrees_graduationdecision_issue": lambda w: {"pk": w.decision.pk},
    "admin:degrees_graduationdecision_print": lambda w: {"pk": w.decision.pk},
    "admin:enrollment_application_decide": lambda w: {"action": "admit"},
    "admin:enrollment_application_document": lambda w: {"application_id": w.application.pk,
                                                        "document_id": 1},
    "admin:enrollment_enrollment_status": lambda w: {"pk": w.enrollment_a.pk},
    "admin:enrollment_enrollment_revert": lambda w: {"pk": w.enrollment_a.pk},
    "admin:staff_staffmember_national_id": lambda w: {"object_id": w.staff_a.pk},
    "admin:enrollment_learner_national_id": lambda w: {
        "object_id": w.enrollment_a.learner_id},
    "admin:enrollment_application_national_id": lambda w: {"object_id": w.application.pk},
    "admin:staff_trainingcourse_register_department":
        lambda w: {"object_id": w.participation_a.course_id},
    "admin:training_semester_generate": lambda w: {"pk": w.section_a.semester_id},
    "admin:training_homeroomclass_move": lambda w: {
        "membership_id": w.enrollment_a.class_memberships.first().pk},
    "admin:training_program_activate": lambda w: {"pk": w.class_a.program_id},
    "admin:training_program_new_version": lambda w: {"pk": w.class_a.program_id},
    "admin:training_section_add_learner": lambda w: {"pk": w.section_a.pk},
    "admin:training_section_remove_learner": lambda w: {
        "entry_id": w.section_a.learners.first().pk},
    "admin:app_list": lambda w: {"app_label": "degrees"},
    "admin:view_on_site": lambda w: {
        "content_type_id": ContentType.objects.get_for_model(Diploma).pk,
        "object_id": w.diploma_a.pk},
    "admin:quality_cycle_report": lambda w: {"pk": _cycle().pk},
    "admin:quality_cycle_report_docx": lambda w: {"pk": _cycle().pk},
    "admin:quality_evidenceitem_file": lambda w: {"pk": _evidence().pk},
    "admin:degrees_diplomaprintjob_progress": lambda w: {"pk": w.print_job.pk},
    "admin:degrees_diplomaprintjob_download": lambda w: {"pk": w.print_job.pk},
    "admin:enrollment_learner_import_status": lambda w: {"pk": 1},
    "admin:staff_staffmember_import_status": lambda w: {"pk": 1},
    "grading:batch": lambda w: {"pk": w.batch.pk},
    "grading:standing-review-job": lambda w: {"pk": _standing_review_job(w).pk},
    "quality:survey-results": lambda w: {"pk": _survey(w).pk},
    "quality:survey-results-xlsx": lambda w: {"pk": _survey(w).pk},
    "quality:my-survey-answer": lambda w: {"pk": _survey(w).invitations.first().pk},
    "quality:survey-link": lambda w: {"token": "not-a-link"},
    "grading:batch-download": lambda w: {"pk": w.batch.pk},
}

# Pages that take only POST (a GET would be refused as 405 whoever asks).
POST_ONLY = {"grading:attendance-save", "grading:standing-review", "enrollment:respond",
             "admin:reference_occupation_process_import", "admin:sync_dashboard_sync_now",
             "admin:sync_dashboard_reconcile", "admin:sync_dashboard_retry"}


def kwargs_for(route: Route, w) -> dict:
    if route.name in PAGE_KWARGS:
        return PAGE_KWARGS[route.name](w)
    kwargs = {}
    basename = route.name.rsplit("-", 1)[0] if route.api_actions and route.name else None
    for param in ("pk", "object_id", "section_id", "learner_id", "id", "code", "token"):
        if f"<{param}>" not in route.pattern and f":{param}>" not in route.pattern \
                and f"?P<{param}>" not in route.pattern:
            continue
        if param == "pk" and basename:
            kwargs["pk"] = _api_pk(route, w)
        elif param == "section_id":
            kwargs[param] = w.section_a.pk
        elif param == "learner_id":
            kwargs[param] = w.enrollment_a.learner_id
        elif param == "object_id" and route.name and (m := STANDARD_ADMIN.match(route.name)):
            model = admin_model(m["app"], m["model"])
            kwargs[param] = first_pk(model) if model else "1"
        elif param == "code":
            from degrees.models import CopyRequest

            request = CopyRequest.objects.first()
            kwargs[param] = request.code if request else "00000000-0000-0000-0000-000000000000"
        else:
            kwargs[param] = 1
    return kwargs


def _api_pk(route: Route, w):
    name = route.name
    for basename in sorted(API_PK, key=len, reverse=True):
        if name.startswith(basename + "-"):
            return API_PK[basename](w)
    raise LookupError(f"No object for API route {name}")


def method_of(route: Route) -> str:
    actions = route.api_actions
    if actions:
        return "get" if "get" in actions else next(iter(actions))
    return "post" if route.name in POST_ONLY else "get"


def request(client, route: Route, w):
    url = url_of(route, kwargs_for(route, w))
    method = method_of(route)
    if method == "get":
        return url, method, client.get(url)
    return url, method, getattr(client, method)(url, {}, content_type="application/json")


def is_refusal(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (301, 302):
        location = response.get("Location", "")
        # The login page, or the admin's "no such object" bounce to its index (Django's
        # history view answers a missing id so before it checks permissions): no data.
        return "/login/" in location or location == "/admin/"
    return False


def _refused_cases():
    for route in ROUTES:
        allowed = access_of(route)
        if allowed is None:
            continue  # test_every_route_has_a_rule fails
        for role in W.ROLES:
            if role in allowed:
                continue
            marks = ([pytest.mark.xfail(strict=True, reason="adminperm")]
                     if (route.key, role) in ADMINPERM else [])
            yield pytest.param(route, role, id=f"{route.key}|{role}", marks=marks)


def test_every_route_has_a_rule():
    missing = sorted({route.key for route in ROUTES if access_of(route) is None})
    assert not missing, (
        "These routes have no access rule. Add each to ACCESS in "
        "tests/security/test_route_access.py with the roles that may use it: "
        + ", ".join(missing))


def test_the_table_names_only_existing_routes():
    keys = {route.key for route in ROUTES}
    stale = sorted(set(ACCESS) - keys)
    assert not stale, f"ACCESS rows for routes that no longer exist: {stale}"
    assert {route for route, _role in ADMINPERM} <= keys


@pytest.mark.parametrize(("route", "role"), list(_refused_cases()))
def test_a_role_without_the_right_is_refused(world, media, route, role):
    url, method, response = request(world.clients[role], route, world)
    assert response.status_code < 500, f"{method.upper()} {url} as {role}: server error"
    assert is_refusal(response), (
        f"{method.upper()} {url} as {role} answered {response.status_code} "
        f"{response.get('Location', '')}: not a refusal")


WRITE_METHODS = ("post", "put", "patch", "delete")


def api_writes() -> list[tuple[Route, str]]:
    """The write methods of API routes that also answer GET (the others are tried above)."""
    return [(route, method) for route in ROUTES
            for method in dict(route.api_actions)  # DRF adds keys while it serves
            if method in WRITE_METHODS and "get" in route.api_actions]


def test_every_api_write_has_a_rule():
    missing = sorted(f"{route.key} {method}" for route, method in api_writes()
                     if (route.key, method) not in WRITES)
    assert not missing, ("These API writes have no rule; add each to WRITES in "
                         "tests/security/test_route_access.py: " + ", ".join(missing))
    stale = set(WRITES) - {(route.key, method) for route, method in api_writes()}
    assert not stale, f"WRITES rows for writes that no longer exist: {sorted(stale)}"


def send_write(client, route: Route, method: str, w):
    """The write with an empty body, rolled back: an allowed role's write may succeed."""
    url = url_of(route, kwargs_for(route, w))
    with transaction.atomic():
        response = getattr(client, method)(url, {}, content_type="application/json")
        transaction.set_rollback(True)
    return url, response


def _write_cases():
    for route, method in api_writes():
        for role in W.ROLES:
            yield pytest.param(route, method, role, id=f"{route.key}|{method}|{role}")


@pytest.mark.parametrize(("route", "method", "role"), list(_write_cases()))
def test_api_writes_follow_the_table(world, media, route, method, role):
    allowed = WRITES.get((route.key, method))
    if allowed is None:
        pytest.fail(f"{route.key} {method}: no rule (test_every_api_write_has_a_rule)")
    url, response = send_write(world.clients[role], route, method, world)
    assert response.status_code < 500, f"{method.upper()} {url} as {role}: server error"
    if role in allowed:
        assert response.status_code not in (401, 403, 404, 405), (
            f"{method.upper()} {url} as {role} answered {response.status_code}: the table "
            "says this role may write here")
    else:
        assert response.status_code in (401, 403, 404, 405), (
            f"{method.upper()} {url} as {role} answered {response.status_code}: not a refusal")


def test_matrix_dump(world, media):
    import os

    if not os.environ.get("MATRIX"):
        pytest.skip("MATRIX=1 prints the observed matrix")
    lines = []
    for route in all_routes():
        codes = []
        for role in W.ROLES:
            try:
                url, method, response = request(world.clients[role], route, world)
                code = response.status_code
                if code in (301, 302) and "/login/" in response.get("Location", ""):
                    code = "L"
            except Exception as exc:  # noqa: BLE001
                url, code = "?", f"E:{type(exc).__name__}:{exc}"[:60]
            codes.append(f"{role[:4]}={code}")
        lines.append(f"{route.key} | {url} | {' '.join(codes)}")
    Path(os.environ["MATRIX"]).write_text("\n".join(lines))
