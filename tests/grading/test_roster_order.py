"""One roster order for a section's learners (issue #14): by name in Vietnamese order —
given name first, the Vietnamese alphabet (a ă â … d đ …), tones last — then the learner
code; the same on the section page, the gradebook, the attendance register, both
spreadsheets, the API and the admin."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grading.xlsx import CODE_HEADER
from tests.grading.factories import section, world
from vetschool.collation import roster_key

pytestmark = pytest.mark.django_db

# Created in this order, so neither creation (pk) order nor plain text order is the roster.
NAMES = ["Đỗ Minh Đức", "Nguyễn Thị Bình", "Lê Thị Ánh", "Phạm Văn Dũng", "Nguyễn Thị Bình",
         "Trần Văn An", "Âu Văn Ba"]
EXPECTED_NAMES = ["Trần Văn An", "Lê Thị Ánh", "Âu Văn Ba", "Nguyễn Thị Bình",
                  "Nguyễn Thị Bình", "Phạm Văn Dũng", "Đỗ Minh Đức"]


@pytest.fixture
def roster(teacher):
    w = world(len(NAMES), names=NAMES)
    sec = section(w, "MH08", teacher=teacher)
    learners = [e.learner for e in w.enrollments]
    expected = [lr.code for lr in sorted(learners, key=lambda lr: roster_key(lr.full_name,
                                                                              lr.code))]
    by_code = {lr.code: lr.full_name for lr in learners}
    assert [by_code[c] for c in expected] == EXPECTED_NAMES
    namesakes = [c for c in expected if by_code[c] == "Nguyễn Thị Bình"]
    assert namesakes == sorted(namesakes)  # the code breaks the tie
    plain = [lr.code for lr in sorted(learners, key=lambda lr: (lr.full_name, lr.code))]
    assert plain != expected and [lr.code for lr in learners] != expected
    return sec, expected


def xlsx_codes(content: bytes, header: str) -> list[str]:
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if header in [str(v) for v in row])
    column = [str(v) for v in rows[start]].index(header)
    return [row[column] for row in rows[start + 1:] if row and row[column]]


def test_every_list_of_a_section_has_the_same_order(client, teacher, registrar, roster):
    sec, expected = roster
    client.force_login(teacher)
    page = client.get(reverse("training:teacher-section", args=[sec.pk]))
    assert [e.enrollment.learner.code for e in page.context["rows"]] == expected
    grid = client.get(reverse("grading:grid", args=[sec.pk]))
    assert [row.learner.code for row in grid.context["sheet"].rows] == expected
    register = client.get(reverse("grading:attendance", args=[sec.pk]))
    assert [row.learner.code for row, _cells in register.context["rows"]] == expected
    listing = client.get(reverse("training:teacher-section-xlsx", args=[sec.pk]))
    assert xlsx_codes(listing.content, "Learner code") == expected
    scores = client.get(reverse("grading:xlsx", args=[sec.pk]))
    assert scores.status_code == 200
    assert xlsx_codes(scores.content, CODE_HEADER) == expected
    # The HTML of the section page lists them in that order too.
    html = page.content.decode()
    assert sorted(expected, key=html.index) == expected

    client.force_login(registrar)
    api = client.get(f"/api/v1/sections/{sec.pk}/learners/")
    assert api.status_code == 200, api.content
    assert [row["learner_code"] for row in api.json()] == expected
    admin = client.get(reverse("admin:training_section_change", args=[sec.pk]))
    inline = next(f for f in admin.context["inline_admin_formsets"]
                  if f.formset.model.__name__ == "SectionLearner")
    assert [form.instance.enrollment.learner.code for form in inline.formset.forms] == expected
