"""Each role logs in through the real login page, lands on its home, and that page
has no serious or critical accessibility violation (axe-core)."""

import pytest

from tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOMES = [
    ("registrar", "/office/"),
    ("teacher", "/teacher/"),
    ("learner", "/student/"),
    ("qa_officer", "/office/"),
    ("hr_officer", "/office/"),
    ("superuser", "/office/"),
]


@pytest.mark.parametrize(("persona", "home"), HOMES)
def test_role_logs_in_and_reaches_an_accessible_home(request, page, live_server, persona, home):
    user = request.getfixturevalue(persona)
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    log_in(page, live_server, user.username)
    assert page.url == f"{live_server.url}{home}"
    assert page.locator("h1").first.is_visible()
    # No CDN: every file the login page and the home page load comes from the site.
    assert requested
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert serious_accessibility_violations(page) == []


@pytest.mark.parametrize("persona", ["teacher", "learner", "registrar", "qa_officer",
                                     "hr_officer"])
def test_portal_home_fits_a_phone_screen(request, browser, live_server, persona):
    """Responsive: on a 375 px wide phone the page does not scroll sideways."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        log_in(page, live_server, request.getfixturevalue(persona).username)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, width
        assert page.locator("nav").first.is_visible()
    finally:
        context.close()


def test_login_page_is_accessible_and_refuses_a_wrong_password(page, live_server, teacher):
    log_in(page, live_server, teacher.username, password="wrong password")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").is_visible()
    assert serious_accessibility_violations(page) == []


def test_the_teachers_work_queue_fits_a_phone_screen(browser, live_server, teacher):
    """The teacher's home with sections and what is due in each: the table scrolls inside
    its box, the page never sideways; no serious accessibility violation."""
    from tests.grading.factories import section, semester, world

    w = world(3)
    for code in ("MH08", "MH01", "MĐ07"):
        section(w, code, teacher=teacher)
    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        log_in(page, live_server, teacher.username)
        page.goto(f"{live_server.url}/teacher/?semester={semester(2025, 1).pk}")
        assert page.locator(".section-dues a").count() >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert serious_accessibility_violations(page) == []
    finally:
        context.close()
