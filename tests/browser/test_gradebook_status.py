"""Issue #14: the gradebook's status line tells unsaved invalid cells apart from saved ones
("2 ô chưa lưu vì không hợp lệ", never "Đã lưu mọi thay đổi" while one is left), and a
decimal reads with a comma while editing as on display (5,0), typed with a comma or a dot."""

import pytest

from grading.models import Score
from grading.sheet import load_sheet
from tests.browser.conftest import log_in
from tests.grading.factories import section, world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def cell(row, column):
    return f'input.cell[data-learner="{row}"][data-column="{column}"]'


def wait_settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('input.cell.dirty') && "
        "['ok', 'error'].some(c => document.getElementById('save-status')"
        ".classList.contains(c))", timeout=15_000)


def test_invalid_cells_are_counted_and_decimals_keep_the_comma(page, live_server, teacher):
    seed = world(3)
    sec = section(seed, "MH08", teacher=teacher)
    rows = [row.id for row in load_sheet(sec.gradebook).rows]
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/teacher/sections/{sec.pk}/gradebook/")
    status = page.locator("#save-status")

    # Two invalid cells and one valid one typed with a dot.
    page.locator(cell(rows[0], "TX1")).fill("11")
    page.locator(cell(rows[1], "TX1")).fill("abc")
    page.locator(cell(rows[2], "TX1")).fill("5")
    page.locator(cell(rows[2], "DK1")).click()
    wait_settled(page)
    text = status.inner_text()
    assert "2 ô chưa lưu vì không hợp lệ" in text, text
    assert "Đã lưu mọi thay đổi" not in text
    assert "error" in status.get_attribute("class")
    # The saved cell reads as the page shows scores: 5,0, not 5 or 5.0.
    assert page.locator(cell(rows[2], "TX1")).input_value() == "5,0"
    assert Score.objects.filter(gradebook=sec.gradebook).count() == 1

    # A comma and a dot are both accepted; each fixed cell leaves the count.
    page.locator(cell(rows[0], "TX1")).fill("7.5")
    page.locator(cell(rows[2], "DK1")).click()
    wait_settled(page)
    assert "1 ô chưa lưu vì không hợp lệ" in status.inner_text()
    assert page.locator(cell(rows[0], "TX1")).input_value() == "7,5"
    page.locator(cell(rows[1], "TX1")).fill("6,5")
    page.locator(cell(rows[2], "DK1")).click()
    wait_settled(page)
    text = status.inner_text()
    assert "Đã lưu mọi thay đổi" in text and "không hợp lệ" not in text, text
    assert "ok" in status.get_attribute("class")
    assert page.locator(cell(rows[1], "TX1")).input_value() == "6,5"
    values = sorted(str(s.score) for s in Score.objects.filter(gradebook=sec.gradebook))
    assert values == ["5.0", "6.5", "7.5"]

    # After a reload the grid shows the same commas.
    page.reload()
    assert page.locator(cell(rows[0], "TX1")).input_value() == "7,5"
