"""The QA office's admin of the self-assessment and the report PDF (read back with pypdf)."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from quality import services_accreditation as services
from quality.models import CouncilMember, Cycle, CycleState, EvidenceItem, Framework, Standard
from quality.report_accreditation import cycle_report_pdf
from quality.report_accreditation_docx import cycle_report_docx
from tests.files import PDF

pytestmark = pytest.mark.django_db


def small_cycle():
    cycle = services.cycle_create(framework=Framework.objects.get(code="TT14/2024"),
                                  title="Tự đánh giá năm 2026", assessment_year=2026)
    CouncilMember.objects.create(cycle=cycle, name="Nguyễn Văn An", role="chair")
    first = cycle.assessments.select_related("standard__criterion").first()
    first.strengths = "Quy chế tuyển sinh được công khai đầy đủ"
    first.save()
    for year in cycle.years:
        services.rate(first, year=year, met=True)
    item = services.evidence_create(standard=first.standard, title="Quyết định thành lập",
                                    issuer="UBND tỉnh")
    services.evidence_link(first, item)
    return cycle


def test_report_pdf_reads_in_vietnamese(django_assert_max_num_queries):
    cycle = small_cycle()
    with django_assert_max_num_queries(12):
        pdf = cycle_report_pdf(cycle)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Tự đánh giá năm 2026" in text
    assert "Nguyễn Văn An" in text
    assert "Quy chế tuyển sinh được công khai đầy đủ" in text
    assert "[1.01.01] Quyết định thành lập" in text
    assert "ít hơn hai đại diện doanh nghiệp" in text   # council warning
    assert "Chưa xác định" in text                      # 14/2024 thresholds unknown


def test_report_docx_reads_back_with_the_pdfs_content(django_assert_max_num_queries):
    cycle = small_cycle()
    standard = cycle.assessments.select_related("standard").first().standard
    # the 14/2024 texts are data a QA officer fills in
    standard.text = "Sứ mạng của trường được xác định rõ và công bố công khai"
    standard.save()
    with django_assert_max_num_queries(12):
        docx = cycle_report_docx(cycle)
    document = Document(BytesIO(docx))
    headings = [p.text for p in document.paragraphs
                if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:3] == ["BÁO CÁO TỰ ĐÁNH GIÁ", "Hội đồng tự đánh giá", "tổng điểm"]
    assert "tiêu chí 1. Sứ mạng, mục tiêu, tổ chức và quản lý" in headings[3]
    assert "tiêu chuẩn 1.1" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Sứ mạng của trường được xác định rõ và công bố công khai" in text
    assert "điểm mạnh: Quy chế tuyển sinh được công khai đầy đủ" in text
    assert "minh chứng: [1.01.01] Quyết định thành lập" in text
    assert "Hội đồng có ít hơn hai đại diện doanh nghiệp." in text
    assert "Chưa xác định" in text
    council, totals = document.tables
    assert [c.text for c in council.rows[1].cells] == ["Nguyễn Văn An", "Chủ tịch", ""]
    last = [c.text for c in totals.rows[-1].cells]
    maximum = 2 * cycle.assessments.count()
    assert last[:2] == ["tổng số", f"2.0 / {maximum}.0"] and last[3] == "?"
    assert len(totals.rows) == 1 + 8 + 1   # header, the 8 criteria of 14/2024, total


def test_qa_officer_works_the_cycle_in_the_admin(client, qa_officer, django_assert_max_num_queries):
    client.force_login(qa_officer)
    response = client.post(reverse("admin:quality_cycle_add"), {
        "framework": Framework.objects.get(code="TT15/2017").pk, "title": "TĐG 2026",
        "level": "college", "assessment_year": 2026,
        **{f"{p}-{k}": v for p in ("council", "working_groups")
           for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()}})
    assert response.status_code == 302, response.content.decode()[:2000]
    cycle = Cycle.objects.get(title="TĐG 2026")
    assert cycle.assessments.count() == 100 and cycle.window_years == 1
    with django_assert_max_num_queries(40):
        page = client.get(reverse("admin:quality_cycle_change", args=[cycle.pk]))
    assert "ít hơn hai đại diện doanh nghiệp" in page.content.decode()
    report = client.get(reverse("admin:quality_cycle_report", kwargs={"pk": cycle.pk}))
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"
    docx_url = reverse("admin:quality_cycle_report_docx", kwargs={"pk": cycle.pk})
    assert docx_url in page.content.decode()
    docx = client.get(docx_url)
    assert docx.status_code == 200 and "tu-danh-gia-2026" in docx["Content-Disposition"]
    assert Document(BytesIO(docx.content)).tables[1].rows[-1].cells[1].text == "0.0 / 100.0"

    standard = Standard.objects.get(criterion__framework=cycle.framework, criterion__number=4,
                                    number=2)
    from django.core.files.uploadedfile import SimpleUploadedFile
    response = client.post(reverse("admin:quality_evidenceitem_add"), {
        "first_standard": standard.pk, "title": "Chương trình đào tạo",
        "file": SimpleUploadedFile("ctdt.pdf", PDF)})
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.code == "4.02.01"
    download = client.get(reverse("admin:quality_evidenceitem_file", kwargs={"pk": item.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "minh-chung-4.02.01.pdf" in download["Content-Disposition"]
    bad = client.post(reverse("admin:quality_evidenceitem_add"), {
        "first_standard": standard.pk, "title": "Giả", "file": SimpleUploadedFile(
            "x.pdf", b"<html>")})
    assert bad.status_code == 200 and EvidenceItem.objects.count() == 1

    for action in ("submit", "approve"):
        client.post(reverse("admin:quality_cycle_changelist"),
                    {"action": action, "_selected_action": [cycle.pk]})
    cycle.refresh_from_db()
    assert cycle.state == CycleState.APPROVED
    page = client.get(reverse("admin:quality_cycle_change", args=[cycle.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assessment = cycle.assessments.first()
    refused = client.post(reverse("admin:quality_standardassessment_change",
                                  args=[assessment.pk]), {"strengths": "Sửa"})
    assert refused.status_code == 403


def test_one_click_files_a_frozen_report_or_the_dashboard_as_evidence(client, qa_officer):
    from datetime import date

    from quality.models import StatisticalReport
    from quality.reports import report_make_now

    client.force_login(qa_officer)
    report = report_make_now(start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert StatisticalReport.objects.get(pk=report.pk).status == "done"
    standard = Standard.objects.get(criterion__framework__code="TT15/2017", criterion__number=1,
                                    number=2)
    response = client.post(reverse("admin:quality_evidenceitem_add"), {
        "first_standard": standard.pk, "title": "Báo cáo thống kê năm 2025",
        "statistical_report": report.pk})
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    with item.file.open("rb") as copy, report.file.open("rb") as original:
        assert copy.read() == original.read()  # a frozen copy: the report's own XLSX
    response = client.post(reverse("admin:quality_evidenceitem_add"), {
        "first_standard": standard.pk, "title": "Chỉ tiêu 2222",
        "dashboard_as_of": "2026-12-01"})
    assert response.status_code == 302
    assert EvidenceItem.objects.get(title="Chỉ tiêu 2222").file.name.endswith(".xlsx")
