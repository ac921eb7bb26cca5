"""Demo quality assurance (seed_demo): a self-assessment cycle under Circular 14/2024 in
progress — council with two representatives of demo partner enterprises, working groups,
a few standards described, rated and backed by evidence —, a closed anonymous module
evaluation with its ballots, and a frozen statistical report of last year.

Each part is made through the services (so their rules hold) and only when it is missing:
running seed_demo again adds nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from quality import demo_history, demo_tracking, reports, surveys
from quality import services_accreditation as accreditation
from quality.models import (
    CouncilMember,
    Framework,
    Question,
    StatisticalReport,
    Survey,
    WorkingGroup,
)

CYCLE_TITLE = "Tự đánh giá chất lượng cơ sở giáo dục nghề nghiệp"
SURVEY_TITLE = "Đánh giá mô-đun và giảng viên (khảo sát ẩn danh)"

# (criterion, standard) → current state, strengths, weaknesses, improvement plan, evidence
STANDARDS = {
    (1, 1): ("Sứ mạng, tầm nhìn của trường được xác định trong Chiến lược phát triển giai "
             "đoạn 2021–2030, công bố trên trang thông tin điện tử.",
             "Sứ mạng gắn với nhu cầu nhân lực kỹ thuật của vùng đồng bằng sông Hồng.",
             "Chưa lấy ý kiến doanh nghiệp khi rà soát sứ mạng năm 2024.",
             "Năm 2026 tổ chức hội thảo rà soát sứ mạng có đại diện doanh nghiệp tham gia.",
             [("Quyết định ban hành Chiến lược phát triển trường 2021–2030", "Hiệu trưởng")]),
    (2, 6): ("Trường dùng hệ thống quản lý đào tạo trực tuyến cho kế hoạch, thời khóa biểu, "
             "điểm và hồ sơ người học; các lớp học kết hợp có học liệu số.",
             "Kết quả học tập được số hóa và đồng bộ với cơ sở dữ liệu quốc gia.",
             "Tỷ lệ mô-đun có học liệu số còn dưới mục tiêu của Quyết định 2222.",
             "Mỗi khoa số hóa thêm ít nhất ba mô-đun trong năm học tới.",
             [("Báo cáo ứng dụng công nghệ thông tin trong đào tạo", "Phòng Đào tạo")]),
    (2, 1): ("Trường xác định chỉ tiêu tuyển sinh theo năng lực đào tạo và công bố công "
             "khai; tuyển sinh trực tuyến qua cổng của trường.",
             "100% hồ sơ tuyển sinh được tiếp nhận và xử lý trực tuyến.",
             "Tỷ lệ nhập học so với chỉ tiêu của một số nghề còn thấp.",
             "Phối hợp doanh nghiệp đối tác tư vấn tuyển sinh tại các trường THCS, THPT.",
             [("Thông báo tuyển sinh năm học 2025–2026", "Phòng Đào tạo")]),
}


def seed() -> None:
    seed_cycle()
    seed_closed_survey()
    seed_frozen_report()
    demo_history.seed()  # a finished 15/2017 cycle, the past years' periodic reports
    demo_tracking.seed()  # graduate tracking at the checkpoints open today


def seed_cycle() -> None:
    from enterprises.models import Agreement, Enterprise

    framework = Framework.objects.filter(code="TT14/2024").first()
    if framework is None or framework.cycles.filter(title=CYCLE_TITLE).exists():
        return
    year = timezone.localdate().year
    cycle = accreditation.cycle_create(
        framework=framework, title=CYCLE_TITLE, assessment_year=year,
        starts_on=date(year, 3, 1), report_due=date(year, 11, 30), ends_on=date(year, 12, 31))
    _council(cycle, list(Enterprise.objects.order_by("pk")[:2]))
    assessments = {(a.standard.criterion.number, a.standard.number): a
                   for a in cycle.assessments.select_related("standard__criterion")}
    for key, (state, strengths, weaknesses, plan, evidence) in STANDARDS.items():
        assessment = assessments.get(key)
        if assessment is None:
            continue
        _describe(cycle, assessment, state, strengths, weaknesses, plan, evidence)
    agreement = Agreement.objects.order_by("pk").first()
    if agreement and (1, 1) in assessments:
        item = accreditation.evidence_from_agreement(
            agreement=agreement, standard=assessments[(1, 1)].standard)
        accreditation.evidence_link(assessments[(1, 1)], item)
        if (2, 1) in assessments:  # reused: keeps its first code, cross-referenced
            accreditation.evidence_link(assessments[(2, 1)], item)
    groups = [("Nhóm công tác 1 (tiêu chí 1)", "Nguyễn Thị Hương", 1),
              ("Nhóm công tác 2 (tiêu chí 2)", "Trần Văn Quang", 2)]
    for name, leader, criterion in groups:
        group = WorkingGroup.objects.create(cycle=cycle, name=name, leader=leader)
        group.standards.set([a.standard for k, a in assessments.items() if k[0] == criterion])


def _council(cycle, enterprises) -> None:
    members = [("TS. Vũ Quang Minh", "chair"), ("ThS. Lê Minh Châu", "secretary"),
               ("ThS. Phạm Thị Thu Hà", "vice_chair"), ("ThS. Nguyễn Văn Hùng", "member")]
    for name, role in members:
        CouncilMember.objects.create(cycle=cycle, name=name, role=role)
    for enterprise in enterprises:
        contact = enterprise.contacts.order_by("pk").first()
        CouncilMember.objects.create(
            cycle=cycle, name=contact.full_name if contact else str(enterprise), role="member",
            enterprise_representative=True, enterprise=enterprise)


def _describe(cycle, assessment, state, strengths, weaknesses, plan, evidence) -> None:
    assessment.current_state, assessment.strengths = state, strengths
    assessment.weaknesses, assessment.improvement_plan = weaknesses, plan
    assessment.save()
    for year in cycle.years:
        accreditation.rate(assessment, year=year, met=True)
    for title, issuer in evidence:
        item = accreditation.evidence_create(
            standard=assessment.standard, title=title, issuer=issuer,
            issued_on=date(cycle.assessment_year - 1, 9, 5))
        accreditation.evidence_link(assessment, item)


def seed_closed_survey() -> None:
    """An anonymous module evaluation of the demo's three largest sections, answered by all
    but one learner of each (so each section keeps a batch of at least five ballots), then
    closed (the ballots are written in shuffled batches)."""
    from training.models import Section

    if Survey.objects.filter(title=SURVEY_TITLE).exists():
        return
    sections = list(Section.objects.annotate(n=Count("learners")).filter(n__gte=6)
                    .order_by("-n", "pk")[:3])
    if not sections:
        return
    survey = Survey.objects.create(title=SURVEY_TITLE, audience="sections", anonymous=True,
                                   closes_on=timezone.localdate() - timedelta(days=1))
    survey.sections.set(sections)
    scale = Question.objects.create(survey=survey, position=1, kind="scale",
                                    text="Giảng viên truyền đạt dễ hiểu")
    material = Question.objects.create(survey=survey, position=2, kind="single",
                                       text="Tài liệu học tập", options="Đủ\nThiếu")
    Question.objects.create(survey=survey, position=3, kind="text", text="Góp ý",
                            required=False)
    surveys.survey_open(survey=survey)
    skipped = {}  # one learner per section does not answer
    for invitation in survey.invitations.order_by("-pk"):
        skipped.setdefault(invitation.section_id, invitation.pk)
    answering = survey.invitations.exclude(pk__in=skipped.values()).order_by("pk")
    for index, invitation in enumerate(answering):
        surveys.submit(invitation_id=invitation.pk, raw={
            str(scale.pk): str(3 + index % 3), str(material.pk): "Thiếu" if index % 4 else "Đủ"})
    surveys.survey_close(survey=survey)


def seed_frozen_report() -> None:
    """Last calendar year's statistical report, computed now and frozen."""
    year = timezone.localdate().year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    if StatisticalReport.objects.filter(period_start=start, period_end=end).exists():
        return
    reports.report_make_now(start=start, end=end)
