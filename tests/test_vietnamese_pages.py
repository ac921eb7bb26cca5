"""Vietnamese first: each role's pages, read in Vietnamese, show no English UI word.

The pages are rendered through the test client with the language cookie set to "vi" (what
the language switcher stores) and the browser asking for English (`Accept-Language: en`):
the visible text is what a member of staff reads, and a word of the list below in it means
a string that is not translatable or not translated. Learners' and modules' names are
Vietnamese in the fixtures, so an English word can only come from the interface.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from grading.models import Gradebook, GradebookStatus
from tests.grading.factories import section, world
from tests.grading.test_gradebook import fill, submit_and_approve
from vetschool.demo import seed_institution

pytestmark = pytest.mark.django_db

# Words of the interface that must never be left in English: whole words, case-sensitive
# ("Score" finds "Score (10)", not "Scorea").
ENGLISH = [
    "Score", "Scores", "Gradebook", "Gradebooks", "Attendance", "Approve", "Approved",
    "Submit", "Submitted", "Semester", "Transcript", "Standing", "Save", "Edit", "Delete",
    "Learner", "Learners", "Module", "Modules", "Credits", "Letter", "Attempts", "Review",
    "Summary", "Exam", "Checks", "Result", "Results", "Return", "Returned", "Reject",
    "History", "Import", "Export", "Warning", "Warnings", "Classification", "Amendment",
    "Amendments", "Section", "Sections", "Teacher", "Status", "Home", "Log out", "Show counts",
    "Hide counts", "Filter", "Search", "Add", "Change", "View site", "Download", "Page",
    "Pages", "eligible", "minutes", "hours", "ago", "stored", "environment", "male", "female",
    "Passed", "Pending", "Normal", "Nothing", "Nobody", "How to", "Welcome", "Improvement",
    "Events", "events", "Tokens", "attempts", "models",
]
_ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")


class _Visible(HTMLParser):
    """The text a reader sees: text nodes outside script/style, plus the labels of buttons
    and the placeholders and titles that show on screen."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.parts.append(attrs["value"])
        for name in ("placeholder", "title", "aria-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_words(html: str) -> list[str]:
    text = visible_text(html)
    return sorted({m.group(1) for m in _ENGLISH.finditer(text)})


def test_the_word_check_finds_english_and_ignores_markup():
    """The check itself can fail: an English label is found, tags and scripts are not."""
    assert english_words('<button title="Sao">Save</button>') == ["Save"]
    assert english_words('<input type="submit" value="Approve and lock">') == ["Approve"]
    assert english_words('<p class="Score">Điểm</p><script>var Score = 1;</script>') == []
    assert english_words("<p>Điểm hệ 10 · Gradebook-2026</p>") == []


def test_dates_and_numbers_read_the_vietnamese_way():
    """dd/mm/yyyy and a decimal comma wherever a template shows a date or a number, not
    Django's "Ngày 2 tháng 7 năm 2026" or "02-07-2026"."""
    from datetime import date, datetime
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import translation

    template = Template("{{ d }} {{ d|date }} {{ d|date:'SHORT_DATE_FORMAT' }} {{ t }} {{ n }}")
    with translation.override("vi"):
        text = template.render(Context({"d": date(2026, 7, 2), "t": datetime(2026, 7, 2, 9, 5),
                                         "n": Decimal("7.5")}))
    assert text == "02/07/2026 02/07/2026 02/07/2026 02/07/2026 09:05 7,5"


@pytest.fixture
def school(teacher, registrar, learner):
    """One class: an approved section with results, a section being filled, one submitted
    to the office; the learner linked to the first enrolment."""
    seed_institution()
    w = world(3, users=[learner])
    approved = section(w, "MH08", teacher=teacher)
    fill(approved, teacher, {"TX1": ["8.5", "6", "7"], "DK1": ["8.5", "6", "7"],
                             "THI1": ["9", "3", "6"]})
    submit_and_approve(approved, teacher, registrar)
    open_section = section(w, "MĐ07", teacher=teacher)
    fill(open_section, teacher, {"TX1": ["6", "5", "7"]})
    submitted = section(w, "MĐ09", teacher=teacher)
    fill(submitted, teacher, {"TX1": ["6", "5", "7"], "DK1": ["6", "5", "7"],
                              "DK2": ["6", "5", "7"], "THI1": ["5", "6", "7"]})
    book = submitted.gradebook
    book.refresh_from_db()
    from grading.services import gradebook as gb

    gb.gradebook_submit(gradebook=book, by=teacher, version=book.version)
    assert Gradebook.objects.get(pk=book.pk).status == GradebookStatus.SUBMITTED
    return {"approved": approved, "open": open_section, "submitted": submitted, "world": w}


def _read_in_vietnamese(client, user, urls: list[str]) -> dict[str, list[str]]:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    found = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, (url, response.status_code)
        assert response.headers["Content-Language"] == "vi", url
        words = english_words(response.content.decode())
        if words:
            found[url] = words
    return found


def test_the_teachers_pages_are_in_vietnamese(client, teacher, school):
    urls = [reverse("training:teacher-home"), reverse("grading:teacher")]
    for sec in (school["approved"], school["open"], school["submitted"]):
        urls += [reverse("training:teacher-section", args=[sec.pk]),
                 reverse("grading:grid", args=[sec.pk]),
                 reverse("grading:attendance", args=[sec.pk])]
    urls += [reverse("grading:review", args=[school["open"].pk]),
             reverse("grading:import", args=[school["open"].pk])]
    assert _read_in_vietnamese(client, teacher, urls) == {}


def test_the_learners_portal_and_transcript_are_in_vietnamese(client, learner, school):
    urls = [reverse("grading:student-home"), reverse("grading:my-transcript")]
    assert _read_in_vietnamese(client, learner, urls) == {}


def test_the_training_offices_pages_are_in_vietnamese(client, registrar, school):
    learner_pk = school["world"].enrollments[0].learner_id
    urls = [reverse("office-home"),
            reverse("grading:office"),
            reverse("grading:office") + "?status=approved",
            reverse("grading:office-review", args=[school["submitted"].gradebook.pk]),
            reverse("grading:amendments"),
            reverse("grading:warnings"),
            reverse("grading:transcript", args=[learner_pk]),
            reverse("grading:class-transcripts", args=[school["world"].homeroom_class.pk])]
    assert _read_in_vietnamese(client, registrar, urls) == {}


@pytest.mark.parametrize("persona", ["qa_officer", "hr_officer", "superuser"])
def test_the_office_work_queues_are_in_vietnamese(client, request, persona, school):
    user = request.getfixturevalue(persona)
    assert _read_in_vietnamese(client, user, [reverse("office-home")]) == {}


ADMIN_PAGES = [
    "admin:index",
    "admin:grading_gradebook_changelist",
    "admin:grading_moduleresult_changelist",
    "admin:grading_termsummary_changelist",
    "admin:grading_eligibilitywaiver_changelist",
    "admin:grading_amendment_changelist",
    "admin:grading_improvementsitting_changelist",
    "admin:grading_moduleexemption_changelist",
    "admin:grading_standingreview_changelist",
    "admin:grading_transcriptbatch_changelist",
    "admin:degrees_diploma_changelist",
    "admin:enrollment_learner_changelist",
    "admin:sync_dashboard_changelist",
]


def _every_changelist() -> list[str]:
    from django.contrib import admin

    # pghistory's event list shows the stored model labels of its rows: data, not interface.
    return [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
            for m in admin.site._registry if m._meta.app_label != "pghistory"]


def test_the_admin_pages_are_in_vietnamese(client, superuser, school):
    urls = [reverse(name) for name in ADMIN_PAGES] + _every_changelist()
    # The facets ("Show counts") and a change form too.
    urls += [reverse("admin:grading_gradebook_changelist") + "?_facets=True",
             reverse("admin:grading_gradebook_change", args=[school["approved"].gradebook.pk])]
    assert _read_in_vietnamese(client, superuser, urls) == {}


def test_the_sync_dashboard_says_ages_and_sources_in_vietnamese(client, superuser, settings):
    """Was "9 minutes trước" and "(cấu hình lấy từ: stored)"."""
    from datetime import timedelta

    from django.utils import timezone

    from vetschool.sync.models import Configuration, Entry

    settings.NATIONAL_API_URL = ""
    settings.NATIONAL_API_SECRET = ""
    Configuration.objects.create(url="http://127.0.0.1:8765", institution_code="CDSH01",
                                 secret="stored-secret")
    entry = Entry.objects.create(type="learner", rank=0, key={"national_id": "001205000001"},
                                 key_text="001205000001", op="upsert", version=1,
                                 state=Entry.State.PENDING)
    Entry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(minutes=9))
    client.force_login(superuser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(reverse("admin:sync_dashboard_changelist")).content.decode()
    text = visible_text(html)
    assert "9 phút trước" in text
    assert "cấu hình lấy từ thiết lập đã lưu trong trang quản trị" in text
    assert english_words(html) == []


def test_the_other_roles_and_public_pages_are_in_vietnamese(client, learner, teacher,
                                                            hr_officer, qa_officer, school):
    found = _read_in_vietnamese(client, learner, [
        reverse("enrollment:my-record"), reverse("degrees-my-diplomas")])
    found |= _read_in_vietnamese(client, teacher, [
        reverse("staff:profile"), reverse("staff:my-trainings"),
        reverse("staff:my-courseware"), reverse("staff:self-assessment")])
    found |= _read_in_vietnamese(client, hr_officer, [reverse("staff:indicators")])
    found |= _read_in_vietnamese(client, qa_officer, [reverse("training:program-indicators")])
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    for url in (reverse("home"), reverse("enrollment:admissions"),
                reverse("enrollment:lookup"), reverse("degrees-verify")):
        words = english_words(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
        if words:
            found[url] = words
    assert found == {}
