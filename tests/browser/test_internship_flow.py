"""Issue #16, "Done when" (the internship part): in a real browser the registrar places a
section's learners at an enterprise, the mentor evaluates through the one-time link, the
score appears in the teacher's gradebook for review, and the learner sees the placement and
the postings of their occupation."""

from datetime import date

import pgtrigger
import pytest

from enterprises.models import Agreement, Contact
from grading.models import Placement, Score
from grading.services import internships as service
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.enterprises.helpers import enterprise, posting
from tests.grading.factories import MODULES, section, staff_for, world
from training.models import Module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTERNSHIP = ("MĐ20", "Thực tập doanh nghiệp", 6, 0, 270, True, (1, 1))


def test_place_evaluate_review_and_see_postings(browser, live_server, teacher, registrar,
                                                 learner):
    seed = world(2, modules=[*MODULES, INTERNSHIP], users=[learner])
    with pgtrigger.ignore("training.Module:module_program_not_in_use"):
        Module.objects.filter(program=seed.program, code="MĐ20").update(kind="internship")
    sec = section(seed, "MĐ20", teacher=teacher)
    partner = enterprise(name="Công ty TNHH Cơ khí Đông Anh")
    Agreement.objects.create(enterprise=partner, number="01/2025/TTHT",
                             signed_on=date(2025, 1, 2), starts_on=date(2025, 1, 2),
                             ends_on=date(2027, 12, 31), internships=True)
    mentor = Contact.objects.create(enterprise=partner, full_name="Trần Thị Mai",
                                    email="mai@example.vn", is_mentor=True)
    supervisor = staff_for(teacher)
    posting(partner, title="Tuyển kỹ thuật viên cơ khí")

    # --- The registrar places the first learner of the section.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, registrar.username)
    page.goto(f"{live_server.url}/admin/grading/placement/place/{sec.pk}/")
    page.select_option("#id_form-0-enterprise", str(partner.pk))
    page.select_option("#id_form-0-mentor", str(mentor.pk))
    page.select_option("#id_form-0-supervisor", str(supervisor.pk))
    page.fill("#id_form-0-starts_on", "2025-10-01")
    page.fill("#id_form-0-ends_on", "2025-12-31")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/grading/placement/**")
    placed = Placement.objects.get()
    assert placed.agreement.number == "01/2025/TTHT"
    context.close()

    # --- The mentor evaluates through the one-time link (no account).
    issued = service.mentor_link_issue(placement=placed)
    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/mentor/{issued.token}/")
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= "
                         "document.documentElement.clientWidth")
    page.fill("#id_TX1", "8,5")
    page.fill("#id_DK1", "7")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Cảm ơn" in page.inner_text("h1")
    page.goto(f"{live_server.url}/mentor/{issued.token}/")  # used: a clear page, no form
    assert page.locator("#id_TX1").count() == 0
    assert "đã được sử dụng" in page.inner_text("main")
    context.close()
    assert Score.objects.get(section_learner=placed.section_learner, kind="continuous",
                             number=1).score == 8.5

    # --- The teacher sees the mentor's score in the gradebook, for review.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/teacher/sections/{sec.pk}/gradebook/")
    cell = page.locator(f'input.cell[data-learner="{placed.section_learner_id}"]'
                        '[data-column="TX1"]')
    assert cell.input_value() == "8,5"
    page.goto(f"{live_server.url}/teacher/interns/")
    assert "Công ty TNHH Cơ khí Đông Anh" in page.inner_text("main")
    context.close()

    # --- The learner sees the placement and the postings of their occupation.
    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800})
    page = context.new_page()
    log_in(page, live_server, learner.username)
    page.goto(f"{live_server.url}/student/internship/")
    text = page.inner_text("main")
    assert "Công ty TNHH Cơ khí Đông Anh" in text and "Tuyển kỹ thuật viên cơ khí" in text
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= "
                         "document.documentElement.clientWidth")
    context.close()
