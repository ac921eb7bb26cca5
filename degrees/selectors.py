"""Reads of degrees, scoped to who asks: the registrar reads everything, a learner only their
own diplomas (someone else's is "not found"), the public only the minimum facts of one
diploma found by its token or by serial number + date of birth."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404

from degrees.models import (
    CopyRequest,
    Diploma,
    DiplomaStatus,
    GraduationReview,
    RequestStatus,
    ReviewStatus,
)
from enrollment.models import Enrollment, Learner
from training.models import LearnerCertificate
from vetschool import ratelimit

PUBLIC_FIELDS = ("token", "serial_number", "holder_name", "occupation_code",
                 "occupation_name_vi", "occupation_name_en", "level", "classification",
                 "graduation_year", "issue_date", "status", "revocation_decision_number",
                 "revocation_decision_date", "credential")


def own_learner(user) -> Learner | None:
    return Learner.objects.filter(user=user).first() if user.is_authenticated else None


def own_diplomas(user):
    learner = own_learner(user)
    if learner is None:
        return Diploma.objects.none()
    return (Diploma.objects.filter(enrollment__learner=learner)
            .select_related("replaces").order_by("-issue_date", "-pk"))


def own_diploma(user, pk) -> Diploma:
    diploma = own_diplomas(user).filter(pk=pk).first()
    if diploma is None:
        raise Http404
    return diploma


def verify_by_serial(serial_number: str, date_of_birth: date) -> Diploma | None:
    """A diploma only when both match: a wrong date of birth and an unknown serial give the
    same answer (None), so a guess says nothing about other people's diplomas."""
    serial_number = (serial_number or "").strip().upper()
    return (Diploma.objects.only(*PUBLIC_FIELDS)
            .filter(serial_number=serial_number, date_of_birth=date_of_birth).first())


def verify_by_token(token) -> Diploma | None:
    return Diploma.objects.only(*PUBLIC_FIELDS).filter(token=token).first()


def revoked_or_replaced_indexes() -> list[int]:
    return list(Diploma.objects.exclude(status=DiplomaStatus.ISSUED)
                .values_list("status_index", flat=True).order_by("status_index"))


def verification_allowed(client: str) -> bool:
    """Count a public look-up of `client` and say whether it is within the rate
    (DEGREES_VERIFY_RATE per DEGREES_VERIFY_WINDOW_SECONDS, atomically in the shared cache)."""
    count = ratelimit.hit(f"degrees.verify:{client}", settings.DEGREES_VERIFY_WINDOW_SECONDS)
    return count <= settings.DEGREES_VERIFY_RATE


def client_address(request) -> str:
    return ratelimit.client_address(request)


def own_enrollments(user):
    """The asking learner's enrolments (none for anyone else)."""
    learner = own_learner(user)
    if learner is None:
        return Enrollment.objects.none()
    return (Enrollment.objects.filter(learner=learner).select_related("occupation")
            .order_by("-admission_year", "pk"))


def own_graduation_page(user) -> dict:
    """What the learner's graduation page shows: their enrolments with the certificates on
    record and the applications they made — their own only."""
    enrollments = list(own_enrollments(user).prefetch_related(
        Prefetch("certificates", queryset=LearnerCertificate.objects.filter(
            revoked_on__isnull=True).select_related("requirement")),
        "graduation_applications"))
    return {"enrollments": enrollments}


# --- Work queues (vetschool.workqueue, registered in degrees/queues.py) ------------------------
def open_review_count() -> int:
    return GraduationReview.objects.filter(status=ReviewStatus.OPEN).count()


def copy_requests_received_count() -> int:
    """Requests for a certified copy or a transcript copy not yet made ready."""
    return CopyRequest.objects.filter(status=RequestStatus.RECEIVED).count()
