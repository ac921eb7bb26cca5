"""The demo's quality history: the self-assessment finished under Circular 15/2017 in 2022
(approved, so frozen) and the periodic statistical reports of past years, produced in the
system on time, so the dashboard's d5 trend and the accreditation pages have a past."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

from enterprises.models import Enterprise
from quality import reports, surveys
from quality.models import (
    Audience,
    CouncilMember,
    Cycle,
    CycleState,
    Framework,
    Question,
    StandardAssessment,
    StatisticalReport,
    Survey,
    SurveyInvitation,
    WorkingGroup,
)
from quality.services_accreditation import cycle_advance, cycle_create, evidence_create, rate
from vetschool.demo import demo_user

FINISHED_TITLE = "Tự đánh giá chất lượng trường năm 2022 (Thông tư 15/2017)"
NOT_MET = {(2, 3), (5, 4), (7, 2)}  # (criterion, standard) the council found not met
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


EMPLOYER_SURVEY = "Ý kiến doanh nghiệp về người học thực tập và tốt nghiệp"


def seed() -> None:
    _finished_cycle()
    _past_reports(timezone.localdate())
    _employer_survey(timezone.localdate())


def _finished_cycle() -> None:
    framework = Framework.objects.filter(code="TT15/2017").first()
    if framework is None or Cycle.objects.filter(title=FINISHED_TITLE).exists():
        return
    cycle = cycle_create(framework=framework, title=FINISHED_TITLE, assessment_year=2022,
                         starts_on=date(2022, 3, 1), report_due=date(2022, 10, 31),
                         ends_on=date(2022, 11, 30))
    _council(cycle)
    for assessment in (StandardAssessment.objects.filter(cycle=cycle)
                       .select_related("standard__criterion")
                       .order_by("standard__criterion__number", "standard__number")):
        _assess(assessment)
    cycle_advance(cycle, to=CycleState.REVIEW)
    # Approved on its historical date: the same change cycle_advance makes, dated 2022 (the
    # database freezes the cycle from this statement on).
    Cycle.objects.filter(pk=cycle.pk, state=CycleState.REVIEW).update(
        state=CycleState.APPROVED,
        approved_at=datetime.combine(date(2022, 11, 25), time(9), tzinfo=HANOI))


def _council(cycle: Cycle) -> None:
    partners = list(Enterprise.objects.order_by("pk")[:2])
    members = [("TS. Vũ Quang Minh", "chair", None), ("ThS. Trần Thị Hạnh", "secretary", None),
               ("ThS. Lê Văn Toàn", "member", None)]
    members += [(f"Đại diện {p.name}", "member", p) for p in partners]
    for name, role, enterprise in members:
        CouncilMember.objects.create(cycle=cycle, name=name, role=role, enterprise=enterprise,
                                     enterprise_representative=enterprise is not None)
    WorkingGroup.objects.create(cycle=cycle, name="Nhóm công tác 1 (tiêu chí 1–4)",
                                leader="ThS. Trần Thị Hạnh")
    WorkingGroup.objects.create(cycle=cycle, name="Nhóm công tác 2 (tiêu chí 5–9)",
                                leader="ThS. Lê Văn Toàn")


def _assess(assessment: StandardAssessment) -> None:
    criterion, number = assessment.standard.criterion.number, assessment.standard.number
    met = (criterion, number) not in NOT_MET
    assessment.current_state = (
        f"Tiêu chuẩn {criterion}.{number}: nhà trường đã ban hành và thực hiện các văn bản, "
        f"kế hoạch liên quan trong các năm {', '.join(map(str, assessment.cycle.years))}.")
    assessment.strengths = "Có văn bản, số liệu và minh chứng đầy đủ." if met else ""
    assessment.weaknesses = "" if met else "Chưa có đủ minh chứng cho cả ba năm."
    assessment.improvement_plan = "" if met else "Bổ sung quy trình và lưu trữ minh chứng số."
    assessment.save()
    for year in assessment.cycle.years:
        rate(assessment, year=year, met=met)
    if number == 1:  # one evidence item per criterion keeps the demo small
        item = evidence_create(standard=assessment.standard,
                               title=f"Báo cáo tổng kết năm học — tiêu chí {criterion}",
                               issuer="Trường Cao đẳng Kỹ thuật Công nghệ Sông Hồng",
                               issued_on=date(2022, 6, 30))
        assessment.evidence.add(item)


def _past_reports(today: date) -> None:
    """The half-year and annual reports of the two previous years, each produced on the
    10th of the month after its period ended (what the college did on paper, had it run
    this system then)."""
    qa = demo_user("qa")
    for year in (today.year - 2, today.year - 1):
        for end in (date(year, 6, 30), date(year, 12, 31)):
            start = date(year, 1, 1)
            if StatisticalReport.objects.filter(period_start=start, period_end=end).exists():
                continue
            report = reports.report_make_now(start=start, end=end, by=qa)
            produced = date(end.year + (end.month == 12), end.month % 12 + 1, 10)
            StatisticalReport.objects.filter(pk=report.pk).update(
                created_at=datetime.combine(produced, time(8), tzinfo=HANOI))


def _employer_survey(today: date) -> None:
    """A named survey of the partner enterprises, open, answered by two in three so far
    (each answered by its one-time link; here through the same service)."""
    if Survey.objects.filter(title=EMPLOYER_SURVEY).exists():
        return
    survey = Survey.objects.create(title=EMPLOYER_SURVEY, audience=Audience.EMPLOYERS,
                                   anonymous=False, closes_on=date(today.year + 1, 1, 31))
    skills = Question.objects.create(survey=survey, position=1, kind="scale",
                                     text="Kỹ năng nghề của người học, người tốt nghiệp")
    attitude = Question.objects.create(survey=survey, position=2, kind="scale",
                                       text="Tác phong, ý thức kỷ luật lao động")
    hire = Question.objects.create(survey=survey, position=3, kind="single",
                                   text="Doanh nghiệp sẽ tiếp tục tuyển người tốt nghiệp",
                                   options="Có\nCân nhắc\nKhông")
    note = Question.objects.create(survey=survey, position=4, kind="text", required=False,
                                   text="Góp ý cho chương trình đào tạo")
    surveys.survey_open(survey=survey)
    for index, invitation in enumerate(SurveyInvitation.objects.filter(survey=survey)
                                       .order_by("pk")):
        if index % 3 == 2:
            continue
        surveys.submit(invitation_id=invitation.pk, raw={
            str(skills.pk): str(3 + index % 3), str(attitude.pk): str(4 + index % 2),
            str(hire.pk): "Có" if index % 4 else "Cân nhắc",
            str(note.pk): "Tăng thời lượng thực hành trên thiết bị mới." if index == 0 else ""})
