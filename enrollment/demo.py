"""Demo enrolment data for `manage.py seed_demo`: two admission rounds, ~200 applications
in every status, ~300 learners across the demo occupations, and the demo user `learner`
linked to a learner record.

Idempotent: once the demo rounds exist nothing is added again. Fast: bulk inserts (the
history triggers still record every row). Deterministic: a fixed random seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from enrollment.models import (
    TRACKING_ALPHABET,
    AdmissionRound,
    Application,
    ApplicationLog,
    ApplicationStatus,
    ApplicationWish,
    EducationLevel,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    Learner,
    LearnerCodeCounter,
    RoundQuota,
    StatusSource,
    StudyMode,
)
from enrollment.services.codes import learner_code_prefix
from enrollment.services.learners import DEFAULT_PROGRAM_MONTHS
from vetschool.dates import add_months
from vetschool.reference.models import EthnicGroup, Level, Occupation, Province, ProvincialUnit

DEMO_MARK = "[demo]"
DEMO_LEARNER_USERNAME = "learner"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Mai", "Trịnh", "Lò"]
MIDDLE = {"male": ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Gia", "Xuân"],
          "female": ["Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim", "Thị Thu", "Phương", "Bảo"]}
GIVEN = {"male": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Nam",
                  "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Trung", "Tuấn", "Việt", "Đạt"],
         "female": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh",
                    "Mai", "Ngân", "Nhung", "Phương", "Quyên", "Thảo", "Trang", "Vy", "Yến"]}
ETHNIC_WEIGHTS = {"01": 80, "02": 5, "03": 5, "04": 4, "05": 2, "06": 2, "07": 2}
NEAR_PROVINCES = ["001", "022", "024", "026", "027", "030", "031", "033", "034", "035",
                  "036", "037", "038", "040"]

# Round 1 (closed) and round 2 (open): how many applications end in each status.
ROUND_ONE_STATUSES = {
    ApplicationStatus.ENROLLED: 60, ApplicationStatus.ADMITTED: 25,
    ApplicationStatus.REJECTED: 20, ApplicationStatus.WAITLISTED: 15,
    ApplicationStatus.CHANGES_REQUESTED: 10, ApplicationStatus.SUBMITTED: 10,
}
ROUND_TWO_STATUSES = {
    ApplicationStatus.SUBMITTED: 35, ApplicationStatus.CHANGES_REQUESTED: 10,
    ApplicationStatus.WAITLISTED: 5, ApplicationStatus.ADMITTED: 10,
}
HISTORICAL_LEARNERS = 239  # + 60 enrolled in round 1 + the demo learner = 300
HISTORICAL_STATUSES = [
    (EnrollmentStatus.STUDYING, 70), (EnrollmentStatus.RESERVED, 8),
    (EnrollmentStatus.SUSPENDED, 3), (EnrollmentStatus.DROPPED_OUT, 8),
    (EnrollmentStatus.TRANSFERRED, 3), (EnrollmentStatus.EXPELLED, 2),
    (EnrollmentStatus.DISMISSED, 3), (EnrollmentStatus.GRADUATED, 3),
]


class _People:
    """Deterministic fake people with valid personal IDs (REGULATIONS §6.1)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids: set[str] = set(Learner.objects.exclude(national_id=None).values_list(
            "national_id", flat=True))
        self.provinces = {p.id_code: p for p in Province.objects.select_related("successor")}
        self.ethnic = {g.code: g for g in EthnicGroup.objects.filter(code__in=ETHNIC_WEIGHTS)}

    def person(self, *, birth_year: int, gender: str | None = None) -> dict:
        rng = self.rng
        gender = gender or rng.choice(["male", "female"])
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
        dob = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
        province = self.provinces[rng.choice(NEAR_PROVINCES) if rng.random() < 0.8
                                  else rng.choice(list(self.provinces))]
        return {"full_name": name, "date_of_birth": dob, "gender": gender,
                "national_id": self.national_id(province.id_code, dob, gender),
                "ethnic_group": self.ethnic[rng.choices(list(ETHNIC_WEIGHTS),
                                                        list(ETHNIC_WEIGHTS.values()))[0]],
                "province": province.successor}

    def national_id(self, province: str, dob: date, gender: str) -> str:
        century = (dob.year // 100 - 19) * 2 + (1 if gender == "female" else 0)
        while True:
            number = f"{province}{century}{dob.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        return "09" + "".join(str(self.rng.randrange(10)) for _ in range(8))


def seed() -> None:
    if AdmissionRound.objects.filter(notes__contains=DEMO_MARK).exists():
        _link_demo_user()
        return
    rng = random.Random(2222)
    people = _People(rng)
    today = timezone.localdate()
    year = today.year
    occupations = list(Occupation.objects.filter(is_demo=True).order_by("code"))
    if not occupations:
        return
    registrar = get_user_model().objects.filter(username="registrar").first()

    first = AdmissionRound.objects.create(
        year=year, number=1, name=f"Tuyển sinh năm {year} — đợt 1",
        opens_on=today - timedelta(days=150), closes_on=today - timedelta(days=60),
        classes_start_on=date(year, 9, 5),
        notes=f"Xét tuyển học bạ, nhận hồ sơ trực tuyến. {DEMO_MARK}",
    )
    second = AdmissionRound.objects.create(
        year=year, number=2, name=f"Tuyển sinh năm {year} — đợt 2",
        opens_on=today - timedelta(days=20), closes_on=today + timedelta(days=40),
        classes_start_on=today + timedelta(days=60),
        notes=f"Đợt bổ sung cho các nghề còn chỉ tiêu. {DEMO_MARK}",
    )
    RoundQuota.objects.bulk_create(
        [RoundQuota(round=first, occupation=o, places=rng.choice([30, 40, 50, 60]))
         for o in occupations]
        + [RoundQuota(round=second, occupation=o, places=20) for o in occupations[::2]]
    )
    applications = (_applications(first, ROUND_ONE_STATUSES, occupations, people, registrar)
                    + _applications(second, ROUND_TWO_STATUSES, occupations[::2], people,
                                    registrar))
    enrolled = [a for a in applications if a.status == ApplicationStatus.ENROLLED]
    _learners_from_applications(enrolled, registrar, rng)
    _historical_learners(occupations, people, rng, year)
    _demo_learner(people, year, today)
    _sync_code_counters()
    _link_demo_user()


def _applications(round, statuses, occupations, people, registrar) -> list[Application]:
    rng = people.rng
    now = timezone.now()
    rows, wishes, logs = [], [], []
    for status, count in statuses.items():
        for _ in range(count):
            chosen = rng.sample(occupations, k=min(len(occupations), rng.choice([1, 2, 3])))
            level = chosen[0].level
            age = rng.choice([15, 16, 18]) if level == Level.INTERMEDIATE else rng.choice(
                [18, 19, 20, 23])
            person = people.person(birth_year=round.year - age)
            # Every wish must suit the applicant's age (REGULATIONS §10.1).
            if age < 17:
                chosen = [o for o in chosen if o.level == Level.INTERMEDIATE] or [
                    next(o for o in occupations if o.level == Level.INTERMEDIATE)]
            admitted = chosen[0] if status in (ApplicationStatus.ADMITTED,
                                               ApplicationStatus.ENROLLED) else None
            application = Application(
                round=round, status=status, admitted_occupation=admitted,
                tracking_code=f"{round.year}-" + "".join(
                    rng.choice(TRACKING_ALPHABET) for _ in range(8)),
                address=f"Số {rng.randrange(1, 200)}, {person['province'].name_vi}",
                phone=people.phone(), email="",
                education_level=(EducationLevel.LOWER_SECONDARY if age < 17
                                 else EducationLevel.UPPER_SECONDARY),
                school_name=rng.choice(["THPT Nguyễn Trãi", "THPT Chu Văn An", "THCS Lê Lợi",
                                        "THPT Trần Phú", "THCS Nguyễn Du"]),
                graduation_year=round.year - (0 if age < 17 else age - 17),
                decision_reason=_reason(status),
                changes_requested=("Ảnh chụp CCCD bị mờ, vui lòng tải lại bản rõ nét."
                                   if status == ApplicationStatus.CHANGES_REQUESTED else ""),
                decided_at=now if status != ApplicationStatus.SUBMITTED else None,
                decided_by=registrar if status != ApplicationStatus.SUBMITTED else None,
                **person,
            )
            application._wishes = chosen
            rows.append(application)
    Application.objects.bulk_create(rows)
    for application in rows:
        wishes += [ApplicationWish(application=application, rank=rank, occupation=o)
                   for rank, o in enumerate(application._wishes, start=1)]
        logs.append(ApplicationLog(application=application, action=ApplicationLog.SUBMITTED))
        action = {
            ApplicationStatus.CHANGES_REQUESTED: ApplicationLog.CHANGES_REQUESTED,
            ApplicationStatus.WAITLISTED: ApplicationLog.WAITLISTED,
            ApplicationStatus.REJECTED: ApplicationLog.REJECTED,
            ApplicationStatus.ADMITTED: ApplicationLog.ADMITTED,
            ApplicationStatus.ENROLLED: ApplicationLog.ADMITTED,
        }.get(application.status)
        if action:
            logs.append(ApplicationLog(application=application, action=action, by=registrar,
                                       message=application.changes_requested
                                       or application.decision_reason))
    ApplicationWish.objects.bulk_create(wishes)
    ApplicationLog.objects.bulk_create(logs)
    return rows


def _reason(status) -> str:
    return {
        ApplicationStatus.REJECTED: "Điểm xét tuyển thấp hơn điểm chuẩn của nghề.",
        ApplicationStatus.WAITLISTED: "Chờ thí sinh trúng tuyển xác nhận nhập học.",
    }.get(status, "")


def _learners_from_applications(applications, registrar, rng) -> None:
    learners, enrollments = [], []
    counters: dict[str, int] = {}
    for application in applications:
        occupation = application.admitted_occupation
        prefix = learner_code_prefix(admission_year=application.round.year,
                                     occupation=occupation)
        counters[prefix] = counters.get(prefix, 0) + 1
        learners.append(Learner(
            code=f"{prefix}{counters[prefix]:04d}", full_name=application.full_name,
            date_of_birth=application.date_of_birth, gender=application.gender,
            national_id=application.national_id, ethnic_group=application.ethnic_group,
            province=application.province, address=application.address,
            phone=application.phone,
        ))
    Learner.objects.bulk_create(learners)
    for learner, application in zip(learners, applications, strict=True):
        start = application.round.classes_start_on
        occupation = application.admitted_occupation
        enrollments.append(Enrollment(
            learner=learner, occupation=occupation, level=occupation.level,
            admission_year=application.round.year, mode=StudyMode.FULL_TIME,
            start_date=start,
            expected_end_date=add_months(start, DEFAULT_PROGRAM_MONTHS[occupation.level]),
            status=EnrollmentStatus.STUDYING, status_date=start, application=application,
        ))
    Enrollment.objects.bulk_create(enrollments)
    EnrollmentStatusChange.objects.bulk_create(
        EnrollmentStatusChange(
            enrollment=e, to_status=EnrollmentStatus.STUDYING, effective_date=e.start_date,
            decision_number=f"{rng.randrange(100, 400)}/QĐ-CĐSH",
            decision_date=e.start_date - timedelta(days=10),
            reason=f"Trúng tuyển {e.application.round.name}", source=StatusSource.ADMISSION,
            by=registrar)
        for e in enrollments
    )
    ApplicationLog.objects.bulk_create(
        ApplicationLog(application=a, action=ApplicationLog.ENROLLED, by=registrar,
                       message=learner.code)
        for a, learner in zip(applications, learners, strict=True)
    )


def _historical_learners(occupations, people, rng, year) -> None:
    """Learners of earlier years, as the import from the previous system leaves them."""
    rows = []
    for _ in range(HISTORICAL_LEARNERS):
        occupation = rng.choice(occupations)
        admission_year = year - rng.choice([1, 1, 2, 2, 3])
        age = 16 if occupation.level == Level.INTERMEDIATE else 18
        person = people.person(birth_year=admission_year - age)
        status = rng.choices([s for s, _w in HISTORICAL_STATUSES],
                             [w for _s, w in HISTORICAL_STATUSES])[0]
        if status == EnrollmentStatus.GRADUATED and admission_year > year - 2:
            status = EnrollmentStatus.STUDYING
        rows.append((occupation, admission_year, person, status))
    counters: dict[str, int] = {}
    learners = []
    for occupation, admission_year, person, _status in rows:
        prefix = learner_code_prefix(admission_year=admission_year, occupation=occupation)
        counters[prefix] = counters.get(prefix, 0) + 1
        learners.append(Learner(code=f"{prefix}{counters[prefix]:04d}",
                                phone=people.phone(), **person))
    Learner.objects.bulk_create(learners)
    enrollments, changes = [], []
    for learner, (occupation, admission_year, _person, status) in zip(learners, rows,
                                                                       strict=True):
        start = date(admission_year, 9, 5)
        status_date = (start if status == EnrollmentStatus.STUDYING
                       else start + timedelta(days=rng.randrange(120, 500)))
        status_date = min(status_date, timezone.localdate())
        enrollment = Enrollment(
            learner=learner, occupation=occupation, level=occupation.level,
            admission_year=admission_year,
            mode=rng.choices(list(StudyMode), [85, 10, 5])[0], start_date=start,
            expected_end_date=add_months(start, DEFAULT_PROGRAM_MONTHS[occupation.level]),
            status=status, status_date=status_date,
        )
        enrollments.append(enrollment)
        changes.append(EnrollmentStatusChange(
            enrollment=enrollment, to_status=EnrollmentStatus.STUDYING, effective_date=start,
            decision_number=f"{rng.randrange(100, 400)}/QĐ-CĐSH",
            decision_date=start - timedelta(days=10),
            reason="Nhập từ hệ thống quản lý cũ", source=StatusSource.IMPORT))
        if status != EnrollmentStatus.STUDYING:
            changes.append(EnrollmentStatusChange(
                enrollment=enrollment, from_status=EnrollmentStatus.STUDYING,
                to_status=status, effective_date=status_date,
                decision_number=f"{rng.randrange(400, 900)}/QĐ-CĐSH",
                decision_date=status_date, reason="Nhập từ hệ thống quản lý cũ",
                source=StatusSource.IMPORT))
    Enrollment.objects.bulk_create(enrollments)
    EnrollmentStatusChange.objects.bulk_create(changes)


def _demo_learner(people, year, today) -> Learner:
    occupation = Occupation.objects.get(code="6480201")
    dob = date(year - 19, 4, 12)
    admission_year = year - 1
    prefix = learner_code_prefix(admission_year=admission_year, occupation=occupation)
    taken = Learner.objects.filter(code__startswith=prefix).count()
    learner = Learner.objects.create(
        code=f"{prefix}{taken + 1:04d}", full_name="Trần Thị Ánh Dương", date_of_birth=dob,
        gender="female", national_id=people.national_id("001", dob, "female"),
        ethnic_group=EthnicGroup.objects.get(code="01"),
        province=ProvincialUnit.objects.get(code="01"),
        address="Số 7 ngõ 15 phố Chùa Bộc, Đống Đa, Hà Nội", phone="0987654321",
        email="learner@cdsonghong.edu.vn",
    )
    start = date(admission_year, 9, 5)
    enrollment = Enrollment.objects.create(
        learner=learner, occupation=occupation, level=occupation.level,
        admission_year=admission_year, mode=StudyMode.FULL_TIME, start_date=start,
        expected_end_date=add_months(start, 36), status=EnrollmentStatus.STUDYING,
        status_date=start,
    )
    history = [(EnrollmentStatus.STUDYING, start, "215/QĐ-CĐSH", "Trúng tuyển đợt 1")]
    reserved, back = start + timedelta(days=90), start + timedelta(days=150)
    if back < today:
        history += [(EnrollmentStatus.RESERVED, reserved, "402/QĐ-CĐSH",
                     "Bảo lưu kết quả học tập: điều trị dài ngày"),
                    (EnrollmentStatus.STUDYING, back, "455/QĐ-CĐSH",
                     "Tiếp tục học sau thời gian bảo lưu")]
    previous = ""
    for status, effective, number, reason in history:
        EnrollmentStatusChange.objects.create(
            enrollment=enrollment, from_status=previous, to_status=status,
            effective_date=effective, decision_number=number, decision_date=effective,
            reason=reason, source=StatusSource.IMPORT)
        previous = status
    enrollment.status_date = history[-1][1]
    enrollment.save(update_fields=["status_date"])
    return learner


def _sync_code_counters() -> None:
    """Counters continue after the codes the demo wrote directly."""
    last: dict[str, int] = {}
    for code in Learner.objects.values_list("code", flat=True):
        if len(code) == 10 and code.isdigit():
            last[code[:6]] = max(last.get(code[:6], 0), int(code[6:]))
    for prefix, value in last.items():
        LearnerCodeCounter.objects.update_or_create(prefix=prefix,
                                                    defaults={"last_value": value})


def _link_demo_user() -> None:
    user = get_user_model().objects.filter(username=DEMO_LEARNER_USERNAME).first()
    learner = Learner.objects.filter(full_name="Trần Thị Ánh Dương",
                                     email="learner@cdsonghong.edu.vn").first()
    if user is None or learner is None or learner.user_id == user.pk:
        return
    Learner.objects.filter(user=user).exclude(pk=learner.pk).update(user=None)
    learner.user = user
    learner.save(update_fields=["user"])
