"""The pages of the load benchmark (benchmarks/bench_load.py, issue #17 part 4) read in a
number of queries that does not grow with their rows: the learner's home and transcript, the
teacher's gradebook list, the training office's gradebook list, a learner's transcript and
the warning list. (The grid, the gradebook API and the learners' admin list have their own
guards in test_pages.py and tests/enrollment/test_admin.py.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.grading.factories import section, semester, world
from tests.grading.test_gradebook import fill, submit_and_approve
from vetschool.demo import seed_institution

pytestmark = pytest.mark.django_db

# Modules of the test program (tests/grading/factories.py) with their checks; filled and
# approved, each adds a module result row.
MODULES = {"MH08": {"TX1": "8", "DK1": "7", "THI1": "9"},
           "MĐ07": {"TX1": "6", "DK1": "6", "DK2": "7", "THI1": "5"},
           "MH01": {"TX1": "7", "TX2": "7", "DK1": "7", "DK2": "8", "THI1": "6"},
           "MĐ09": {"TX1": "9", "DK1": "8", "DK2": "8", "THI1": "8"}}


def _graded(w, codes, teacher, registrar):
    for code in codes:
        sec = section(w, code, teacher=teacher)
        fill(sec, teacher, {column: [value] * len(w.enrollments)
                            for column, value in MODULES[code].items()})
        submit_and_approve(sec, teacher, registrar)


def _queries(client, url) -> int:
    client.get(url)  # warm the session, permissions and the code lists
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def college(teacher, registrar, learner):
    seed_institution()
    w = world(3, users=[learner])
    _graded(w, ["MH08"], teacher, registrar)
    return w


def test_the_learner_home_and_transcript_read_more_modules_in_as_many_queries(
        client, college, teacher, registrar, learner, django_assert_max_num_queries):
    client.force_login(learner)
    home, transcript = reverse("grading:student-home"), reverse("grading:my-transcript")
    few = {url: _queries(client, url) for url in (home, transcript)}
    # Three more approved modules, and a section of the semester in progress.
    _graded(college, ["MĐ07", "MH01", "MĐ09"], teacher, registrar)
    section(college, "MH08", sem=semester(2025, 2), teacher=teacher)
    for url, count in few.items():
        with django_assert_max_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200
    assert "MĐ09" in client.get(transcript).content.decode()


def test_the_teacher_gradebook_list_does_not_grow_with_sections(
        client, college, teacher, django_assert_max_num_queries):
    client.force_login(teacher)
    url = reverse("grading:teacher")
    few = _queries(client, url)
    for code in ("MĐ07", "MH01", "MĐ09"):
        section(world(4), code, teacher=teacher)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["sections"]) == 4


def test_the_office_lists_and_a_transcript_do_not_grow_with_rows(
        client, college, teacher, registrar, django_assert_max_num_queries):
    client.force_login(registrar)
    target = college.enrollments[0].learner
    urls = [reverse("grading:office") + "?status=all",
            reverse("grading:transcript", args=[target.pk]),
            reverse("grading:warnings") + f"?semester={semester().pk}"]
    few = {url: _queries(client, url) for url in urls}
    other = world(5)
    _graded(other, ["MH08", "MĐ07"], teacher, registrar)
    _graded(college, ["MĐ07", "MH01"], teacher, registrar)
    for url, count in few.items():
        with django_assert_max_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200
    # Every approved gradebook is listed with its learners counted: 3 in the class's three
    # sections, 5 in the other class's two.
    books = client.get(urls[0]).context["books"]
    assert sorted(book.learner_count for book in books) == [3, 3, 3, 5, 5]


def test_the_office_gradebook_list_reads_every_row_a_page_at_a_time(
        client, college, teacher, registrar, monkeypatch):
    """No gradebook is cut off at a fixed limit: the pages together hold them all once."""
    monkeypatch.setattr("vetschool.paging.PER_PAGE", 2)
    _graded(world(5), ["MH08", "MĐ07"], teacher, registrar)
    _graded(college, ["MĐ07", "MH01"], teacher, registrar)
    client.force_login(registrar)
    url = reverse("grading:office") + "?status=all"
    first = client.get(url)
    total = first.context["books"].paginator.count
    assert total == 5 and first.context["books"].paginator.num_pages == 3
    seen = []
    for number in (1, 2, 3):
        seen += [book.pk for book in client.get(f"{url}&page={number}").context["books"]]
    assert len(seen) == len(set(seen)) == total
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Trang 1 / 3 (5 dòng)" in page
    assert "status=all&amp;page=2" in page
    # A bookmark past the end, or not a number, opens the nearest page instead of an error.
    assert client.get(f"{url}&page=99").context["books"].number == 3
    assert client.get(f"{url}&page=abc").context["books"].number == 1
