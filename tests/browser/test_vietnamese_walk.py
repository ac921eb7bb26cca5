"""Each role of the demo college, in Vietnamese, on a 375 px phone: every main page (the
links of its home and navigation, one page per kind) fits the screen, shows no English
UI word, and has no serious or critical accessibility violation (axe-core).

One browser, one login per role, one demo college for the whole walk: the demo is what a
newcomer sees after `make run`, so its pages are the ones to hold to this.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.english import ENGLISH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "vetschool-demo"
PHONE = {"width": 375, "height": 740}

# The visible text of a page, as a reader meets it: text nodes that are rendered, button
# labels, placeholders, image descriptions and accessible names; nothing inside an element
# marked as another language (lang="en" on an English name in the data is the honest way
# to show one).
VISIBLE_TEXT_JS = """() => {
  const out = [];
  const vietnamese = (el) => {
    const owner = el.closest('body [lang]');
    return !owner || owner.lang.startsWith('vi');
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    if (el.closest('script, style, noscript, template, option') || !vietnamese(el)) continue;
    const shown = !el.checkVisibility || el.checkVisibility({visibilityProperty: true});
    if (!shown && !el.closest('.visually-hidden, .skip-link')) continue;
    out.push(node.textContent);
  }
  const buttons = 'input[type=submit], input[type=button]';
  const named = `${buttons}, [placeholder], [aria-label], [title], img[alt]`;
  for (const el of document.querySelectorAll(named)) {
    if (!vietnamese(el)) continue;
    for (const attr of ['value', 'placeholder', 'aria-label', 'title', 'alt']) {
      if (attr === 'value' && !el.matches(buttons)) continue;
      if (el.getAttribute(attr)) out.push(el.getAttribute(attr));
    }
  }
  return out.join('\\n');
}"""

LINKS_JS = """(selector) => Array.from(document.querySelectorAll(selector)).map(a => a.href)"""

# Links that are not pages to read: files, log-out, language switch, add/delete forms.
NOT_A_PAGE = re.compile(
    r"(/logout|/i18n/|/delete/|/add/|\.pdf|\.xlsx|\.csv|\.json|/pdf/|/export|/download|"
    r"/api/|/history/|\?)"
)

PUBLIC_PAGES = ["/", "/accounts/login/", "/admissions/", "/admissions/lookup/", "/verify/",
                "/diplomas/requests/new/", "/jobs/", "/jobs/submit/"]

ROLES = ["learner", "teacher", "registrar", "qa", "hr"]


# The admin's lists with a status column, and where that column's header ends against the
# right edge of the list's own scroll box.
STATUS_LISTS = ["/admin/enrollment/application/", "/admin/enrollment/learner/",
                "/admin/enrollment/enrollment/", "/admin/grading/gradebook/",
                "/admin/degrees/diploma/", "/admin/degrees/copyrequest/",
                "/admin/training/homeroomclass/", "/admin/training/program/"]
STATUS_HEADER = ("Tình trạng", "Đang theo học")
STATUS_COLUMN_JS = """(labels) => {
  const table = document.querySelector('#result_list');
  const box = table.closest('.results') || table.parentElement;
  const header = Array.from(table.querySelectorAll('thead th'))
    .find(th => {  // a sorted column's header starts with its sort priority
      const text = th.innerText.trim().split('\\n').pop().trim().toLowerCase();
      return labels.some(label => text === label.toLowerCase());
    });
  return [Math.round(box.getBoundingClientRect().right),
          header ? Math.round(header.getBoundingClientRect().right) : null];
}"""


def page_kind(path: str) -> str:
    """/teacher/sections/49/gradebook/ and /teacher/sections/27/gradebook/ are one kind."""
    return re.sub(r"/\d+/", "/N/", path)


def axe_kind(path: str) -> str:
    """axe-core runs once per kind of page: the admin's change lists share one template, so
    one list per app stands for the others (the walk's time stays modest)."""
    if match := re.fullmatch(r"/admin/(\w+)/\w+/", path):
        return f"/admin/{match.group(1)}/*/"
    return page_kind(path)


def check_page(page, base: str, path: str, problems: list[str], *, role: str,
               axe_done: set[str]) -> None:
    where = f"{role} {path}"
    try:
        response = page.goto(base + path)
    except PlaywrightError as error:  # a link to a file: not a page
        if "Download is starting" in str(error):
            return
        raise
    page.wait_for_load_state("load")
    if response is None or response.status >= 400:
        problems.append(f"{where}: HTTP {response.status if response else '—'}")
        return
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll > client:
        problems.append(f"{where}: scrolls sideways at 375 px ({scroll} > {client})")
    words = sorted(set(ENGLISH.findall(page.evaluate(VISIBLE_TEXT_JS))))
    if words:
        problems.append(f"{where}: English words {words}")
    if axe_kind(path) not in axe_done:
        axe_done.add(axe_kind(path))
        problems.extend(f"{where}: {violation}"
                        for violation in serious_accessibility_violations(page))


def main_pages(page, base: str, home: str) -> list[str]:
    """The role's main pages: its navigation and the links of its home (for the admin, the
    change lists of its index), then the links of those pages — one page of each kind."""
    kinds: dict[str, str] = {}
    frontier = [home]
    for depth in range(2):
        found: list[str] = []
        for path in frontier:
            # The admin's change lists are its main pages; their rows are records.
            if depth and path.startswith("/admin/") and path != "/admin/":
                continue
            if path != page.url.removeprefix(base):
                page.goto(base + path)
            selector = ("#content-main a[href], .site-header nav a[href]" if path == "/admin/"
                        else "main a[href], .site-header nav a[href]")
            for url in page.evaluate(LINKS_JS, selector):
                if not url.startswith(base + "/"):
                    continue
                target = url.removeprefix(base).split("#")[0]
                if NOT_A_PAGE.search(target) or page_kind(target) in kinds:
                    continue
                kinds[page_kind(target)] = target
                found.append(target)
        frontier = found
    kinds.setdefault(page_kind(home), home)
    return sorted(kinds.values())


def load_flushed_framework() -> None:
    """An earlier transactional test's flush emptied the data migration's competency
    framework, which the demo assesses staff against (the code lists come back through
    tests/conftest.py)."""
    from importlib import import_module

    from django.apps import apps

    from staff.models import CompetencyFramework

    if not CompetencyFramework.objects.exists():
        import_module("staff.migrations.0002_digcompedu_framework").load(apps, None)


def test_every_role_walks_its_pages_in_vietnamese_on_a_phone(browser, live_server):
    load_flushed_framework()
    call_command("seed_demo", verbosity=0)
    base = live_server.url
    problems: list[str] = []
    visited: dict[str, list[str]] = {}
    axe_done: set[str] = set()
    options = {"locale": "vi-VN", "viewport": PHONE, "reduced_motion": "reduce"}

    context = browser.new_context(**options)
    page = context.new_page()
    for path in PUBLIC_PAGES:
        check_page(page, base, path, problems, role="anonymous", axe_done=axe_done)
    page.goto(f"{base}/admissions/")
    apply_links = page.evaluate(LINKS_JS, "main a[href*='/apply/']")
    assert apply_links, "the demo has an open admission round"
    check_page(page, base, apply_links[0].removeprefix(base), problems, role="anonymous",
               axe_done=axe_done)
    context.close()

    for role in ROLES:
        context = browser.new_context(**options)
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, live_server, role, DEMO_PASSWORD)
        home = page.url.removeprefix(base)
        assert "/accounts/login/" not in home, f"{role} could not log in"
        visited[role] = main_pages(page, base, home)
        for path in visited[role]:
            check_page(page, base, path, problems, role=role, axe_done=axe_done)
        context.close()

    # On a 1280 px screen the office's lists show their status column without scrolling.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "registrar", DEMO_PASSWORD)
    for path in STATUS_LISTS:
        page.goto(base + path)
        box, status = page.evaluate(STATUS_COLUMN_JS, STATUS_HEADER)
        if status is None or status > box:
            problems.append(f"registrar {path} at 1280 px: status column ends at {status}, "
                            f"the list's box at {box}")
    context.close()

    # The walk went somewhere: each role's own pages, not only the shared ones.
    assert any(path.startswith("/student/transcript") for path in visited["learner"])
    assert any("/sections/" in path for path in visited["teacher"])
    assert any(path.startswith("/admin/enrollment/application/")
               for path in visited["registrar"])
    assert all(len(paths) >= 3 for paths in visited.values()), visited
    assert problems == [], "\n".join(problems)
