"""Issue 7, "Done when": in a real browser a teacher types and pastes the scores of a section
into the grid and submits it, the training office approves it, and the learner sees the
right module score and GPA on the transcript page and in its PDF (text extracted)."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from grading.models import GradebookStatus, ModuleResult, Score
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.grading.factories import section, world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def paste(page, selector: str, text: str) -> None:
    """A paste as the browser delivers it from Excel: a ClipboardEvent with text/plain."""
    page.locator(selector).focus()
    page.evaluate(
        """([selector, text]) => {
            const target = document.querySelector(selector);
            const data = new DataTransfer();
            data.setData("text/plain", text);
            target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data,
                                                              bubbles: true, cancelable: true}));
        }""",
        [selector, text],
    )


def wait_saved(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('input.cell.dirty') && "
        "!document.querySelector('.save-status.warn')", timeout=15_000)


def cell(rows, index, column):
    return f'input.cell[data-learner="{rows[index]}"][data-column="{column}"]'


def test_teacher_enters_office_approves_learner_reads_transcript(browser, live_server, teacher,
                                                                  registrar, learner):
    seed = world(3, users=[learner])
    sec = section(seed, "MH08", teacher=teacher)  # TX1, ĐK1, exam; 3 credits
    rows = list(sec.learners.order_by("pk").values_list("pk", flat=True))  # Ánh, Bình, Cường

    # --- The teacher types one column, pastes another, fixes an invalid cell, submits.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/teacher/sections/{sec.pk}/gradebook/")
    assert serious_accessibility_violations(page) == []
    page.locator(cell(rows, 0, "TX1")).click()
    page.keyboard.type("8.5")
    page.keyboard.press("Enter")
    page.keyboard.type("7")
    page.keyboard.press("ArrowDown")
    page.keyboard.type("6,5")
    page.keyboard.press("Enter")
    wait_saved(page)
    paste(page, cell(rows, 0, "DK1"), "8\t9\r\n7\t6\r\n6\t5\r\n")  # ĐK1 and the exam
    wait_saved(page)
    page.locator(cell(rows, 2, "THI1")).fill("11")
    assert "invalid" in page.locator(cell(rows, 2, "THI1")).get_attribute("class")
    page.locator(cell(rows, 2, "THI1")).fill("5")
    page.keyboard.press("Tab")
    wait_saved(page)
    # Derived values follow each save: Ánh's checks average (8.5 + 2 × 8) / 3 = 8.2.
    first = page.locator(f'tr[data-learner="{rows[0]}"]')
    assert first.locator('[data-derived="checks_average"]').inner_text() == "8,2"
    assert first.locator('[data-derived="module_score"]').inner_text() == "8,7"
    assert Score.objects.filter(gradebook=sec.gradebook).count() == 9

    page.goto(f"{live_server.url}/teacher/sections/{sec.pk}/gradebook/review/")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(f"**/teacher/sections/{sec.pk}/gradebook/")
    sec.gradebook.refresh_from_db()
    assert sec.gradebook.status == GradebookStatus.SUBMITTED
    context.close()

    # --- The training office approves.
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server, registrar.username)
    page.goto(f"{live_server.url}/office/gradebooks/")
    page.get_by_role("link", name=sec.code).click()
    assert serious_accessibility_violations(page) == []
    page.locator("button[name=approve]").click()
    page.wait_for_url("**/office/gradebooks/**")
    sec.gradebook.refresh_from_db()
    assert sec.gradebook.status == GradebookStatus.APPROVED
    context.close()

    # --- The learner sees 8.7 A and a GPA of 4.00 (10-point 8.70), on the page and in the PDF.
    result = ModuleResult.objects.get(enrollment=seed.enrollments[0])
    assert (str(result.score_10), result.letter) == ("8.7", "A")
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server, learner.username)
    page.goto(f"{live_server.url}/student/transcript/")
    transcript = page.locator(".transcript")
    text = " ".join(transcript.inner_text().split())
    assert "MH08" in text and "8,7" in text and " A " in text
    assert "4,00" in text and "8,70" in text
    assert serious_accessibility_violations(page) == []
    pdf = page.request.get(f"{live_server.url}/student/transcript.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(BytesIO(pdf.body()))
    pdf_words = " ".join(" ".join(p.extract_text() for p in reader.pages).split()).split()
    missing = [word for word in text.split() if word not in pdf_words]
    assert missing == []
    context.close()
