"""Factories and helpers of the enrolment tests: valid people, open rounds, documents."""

import itertools
from datetime import date, timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enrollment import services
from enrollment.models import (
    AdmissionRound,
    Application,
    ApplicationStatus,
    ApplicationWish,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    Learner,
    RoundQuota,
    StatusSource,
)
from tests.files import JPEG, PDF, PNG  # noqa: F401  (re-exported to the tests)
from vetschool.reference.models import EthnicGroup, Level, Occupation, ProvincialUnit

_serials = itertools.count(1)


def national_id_for(date_of_birth: date, gender: str, province: str = "001",
                    serial: int | None = None) -> str:
    """A valid 12-digit personal ID for the person (REGULATIONS §6.1)."""
    century = (date_of_birth.year // 100 - 19) * 2 + (1 if gender == "female" else 0)
    serial = next(_serials) if serial is None else serial
    return f"{province}{century}{date_of_birth.year % 100:02d}{serial:06d}"


def pdf(name="cccd.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="anh.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def occupation(code="6480201", name="Công nghệ thông tin", level=None):
    level = level or (Level.COLLEGE if code.startswith("6") else Level.INTERMEDIATE)
    return Occupation.objects.get_or_create(
        code=code, defaults={"name_vi": name, "name_en": name, "level": level}
    )[0]


def open_round(*, year=None, number=1, quotas=None, **extra) -> AdmissionRound:
    today = timezone.localdate()
    year = year or today.year
    round_ = AdmissionRound.objects.create(
        year=year, number=number, name=f"Tuyển sinh năm {year} đợt {number}",
        opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=20),
        classes_start_on=date(year, 9, 5), **extra,
    )
    for occ, places in (quotas or {}).items():
        RoundQuota.objects.create(round=round_, occupation=occ, places=places)
    return round_


def person(**overrides) -> dict:
    year = timezone.localdate().year
    dob = overrides.pop("date_of_birth", date(year - 18, 3, 14))
    gender = overrides.pop("gender", "female")
    data = {
        "full_name": "Nguyễn Thị Mai",
        "date_of_birth": dob,
        "gender": gender,
        "national_id": national_id_for(dob, gender),
        "ethnic_group": EthnicGroup.objects.get(code="01"),
        "province": ProvincialUnit.objects.get(code="01"),
        "address": "Số 5 ngõ 12 phố Huế, Hà Nội",
        "phone": "0912345678",
        "email": "mai@example.vn",
        "education_level": "upper_secondary",
        "school_name": "THPT Việt Đức",
        "graduation_year": year - 1,
    }
    data.update(overrides)
    return data


def submit(round_, wishes, *, documents=None, **overrides) -> Application:
    documents = documents if documents is not None else [
        ("id_card", pdf()), ("certificate", pdf("hoc-ba.pdf")),
    ]
    return services.application_submit(
        round=round_, wishes=wishes, documents=documents,
        **{"consent": True, **person(**overrides)},
    )


def application(round_, wishes, *, status=ApplicationStatus.SUBMITTED, admitted=None,
                **overrides) -> Application:
    """An application written directly (no files), for decision and list tests."""
    data = person(**overrides)
    app = Application.objects.create(
        round=round_, tracking_code=f"{round_.year}-T{next(_serials):07d}", status=status,
        admitted_occupation=admitted, **data,
    )
    for rank, occ in enumerate(wishes, start=1):
        ApplicationWish.objects.create(application=app, rank=rank, occupation=occ)
    return app


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    code = factory.Sequence(lambda n: f"25648{n:05d}")
    full_name = "Trần Văn Bình"
    date_of_birth = date(2006, 5, 1)
    gender = "male"
    national_id = factory.LazyAttribute(lambda o: national_id_for(o.date_of_birth, o.gender))
    ethnic_group = factory.LazyFunction(lambda: EthnicGroup.objects.get(code="01"))
    province = factory.LazyFunction(lambda: ProvincialUnit.objects.get(code="01"))
    nationality = "VN"


def enrol(learner=None, occ=None, *, year=2025, status=EnrollmentStatus.STUDYING,
          start=None) -> Enrollment:
    learner = learner or LearnerFactory()
    occ = occ or occupation()
    start = start or date(year, 9, 5)
    enrollment = Enrollment.objects.create(
        learner=learner, occupation=occ, level=occ.level, admission_year=year,
        start_date=start, expected_end_date=start + timedelta(days=3 * 365),
        status=status, status_date=start,
    )
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment, to_status=status, effective_date=start,
        decision_number="12/QĐ-CĐSH", decision_date=start, source=StatusSource.IMPORT,
    )
    return enrollment
