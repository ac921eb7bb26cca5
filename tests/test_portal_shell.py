"""The portal shell (templates/base.html): navigation per role, Vietnamese first,
responsive, accessible, and nothing loaded from another host."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "var", "node_modules", ".git"}


def _project_files(*suffixes: str):
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in SKIP or rel.parts[0] == "tests" or not path.is_file():
            continue
        if path.suffix in suffixes and ("templates" in rel.parts or rel.parts[0] == "static"):
            yield rel, path


# A reference the browser would follow to another host: src/href/action, CSS url() and
# @import, or a script's fetch/import of an absolute or protocol-relative address.
_EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset)\s*=\s*["']\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+["']\s*(?:https?:)?//"""
    r"""|(?:fetch|import)\(\s*["'](?:https?:)?//""",
    re.IGNORECASE,
)


def test_no_template_or_static_file_loads_anything_from_another_host():
    checked, offending = 0, []
    for rel, path in _project_files(".html", ".txt", ".css", ".js", ".svg"):
        text = path.read_text(encoding="utf-8", errors="replace")
        checked += 1
        offending += [f"{rel}: {m.group(0)}" for m in _EXTERNAL.finditer(text)]
    assert checked > 20
    assert offending == []


def test_base_layout_is_responsive_and_accessible():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert '<html lang="{{ LANGUAGE_CODE }}">' in base
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in base
    assert '<a class="skip-link" href="#main">' in base
    assert '<main id="main"' in base
    assert '<nav aria-label=' in base
    assert '<label for="language-select"' in base
    css = (ROOT / "static" / "css" / "vetschool.css").read_text(encoding="utf-8")
    assert re.search(r"@media\s*\(max-width:", css)
    assert ".skip-link:focus" in css or ".skip-link:focus-visible" in css


@pytest.mark.django_db
def test_pages_are_vietnamese_first_and_switch_to_english(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in page
    assert 'href="#main">Chuyển đến nội dung</a>' in page
    assert '<option value="vi" selected>Tiếng Việt</option>' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert '<option value="en" selected>English</option>' in page


NAV = {
    "teacher": ({"/teacher/", "/teacher/gradebooks/"}, {"/admin/", "/student/"}),
    "learner": ({"/student/", "/student/record/"}, {"/admin/", "/teacher/"}),
    "registrar": ({"/admin/"}, {"/teacher/", "/student/"}),
    "qa_officer": ({"/admin/"}, {"/teacher/", "/student/"}),
    "hr_officer": ({"/admin/"}, {"/teacher/", "/student/"}),
    "superuser": ({"/admin/"}, {"/teacher/", "/student/"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(NAV))
def test_navigation_shows_each_role_its_own_pages(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("accounts:password_change")).content.decode()
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    links = set(re.findall(r'href="([^"]+)"', nav))
    shown, hidden = NAV[persona]
    assert shown <= links, links
    assert not (hidden & links), links


@pytest.mark.django_db
def test_the_home_page_links_diploma_verification(client):
    # The landing page promises diploma look-up; it must lead there (issue #14).
    client.cookies["django_language"] = "vi"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'href="/verify/"' in html
    assert "Tra cứu văn bằng" in html
