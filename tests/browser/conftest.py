"""Playwright driving Debian's chromium against pytest-django's live server.

Nothing downloads a browser: the executable is /usr/bin/chromium from Debian.
"""

import os

import pytest

from tests.conftest import CHROMIUM
from tests.factories import TEST_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM
# calls from it unless told the test thread is safe to use synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, live_server, username: str, password: str = TEST_PASSWORD) -> None:
    """The login form, then, for staff, the second factor: the current code of the user's
    TOTP device (one is made if the user has none), typed on the verify page."""
    from django.contrib.auth import get_user_model

    from tests.mfa import fresh_code, totp_device
    from vetschool.accounts.mfa import second_factor_required

    user = get_user_model().objects.filter(username=username).first()
    device = totp_device(user) if user and second_factor_required(user) else None
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if device is not None and "/accounts/mfa/verify/" in page.url:
        page.fill("#id_code", fresh_code(device))
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")


def serious_accessibility_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
