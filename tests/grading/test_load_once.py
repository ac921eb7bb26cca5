"""A grade's path runs forward (issue #13): a cell save and an approval each read the
gradebook's sheet once, and what they show afterwards is what a fresh read shows."""

from decimal import Decimal as D

import pytest

from grading import sheet as sheet_module
from grading.models import LearnerRound, ModuleResult
from grading.services import amendments, gradebook, results
from grading.services.gradebook import entry, improvements, workflow
from grading.sheet import load_sheet
from tests.grading.factories import cells, section, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def loads(monkeypatch):
    """Count the sheet reads of the services (the wrapper observes; it replaces nothing)."""
    calls = []
    real = sheet_module.load_sheet

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    for module in (entry, workflow, improvements, results, amendments):
        monkeypatch.setattr(module, "load_sheet", counting)
    return calls


@pytest.fixture
def sec(teacher):
    return section(world(4), "MH08", teacher=teacher)  # 1 continuous + 1 periodic check


def _save(sec, teacher, columns: dict[str, list], version: int):
    inputs = [cell for code, values in columns.items() for cell in cells(sec, code, values)]
    return gradebook.gradebook_cells_save(gradebook=sec.gradebook, by=teacher,
                                          base_version=version, cells=inputs)


def _derived(sheet):
    return [(row.id, row.checks_average, row.eligible, row.sittings, row.needs,
             row.preview, {code: (cell.stored, cell.version, cell.locked, cell.updated_by)
                           for code, cell in row.cells.items()})
            for row in sheet.rows]


def test_a_cell_save_reads_the_sheet_once_and_shows_what_a_new_read_shows(sec, teacher, loads):
    result = _save(sec, teacher, {"TX1": ["8.5", "7", "4,5", "10"], "DK1": ["7", "6.5", "4", ""]},
                   version=0)
    assert len(loads) == 1
    assert _derived(result.sheet) == _derived(load_sheet(sec.gradebook))
    assert [row.checks_average for row in result.sheet.rows][:3] == [D("7.5"), D("6.7"),
                                                                      D("4.2")]

    loads.clear()
    again = _save(sec, teacher, {"DK1": ["", "", "", "9.5"]}, version=result.version)
    assert len(loads) == 1
    assert _derived(again.sheet) == _derived(load_sheet(sec.gradebook))


def test_an_approval_reads_the_sheet_once(sec, teacher, registrar, loads):
    saved = _save(sec, teacher, {"TX1": ["8.5", "7", "6", "9"], "DK1": ["8", "7", "6", "9"],
                                 "THI1": ["9", "6", "2", "V"]}, version=0)
    gradebook.gradebook_submit(gradebook=sec.gradebook, by=teacher, version=saved.version)
    loads.clear()
    book = gradebook.gradebook_approve(gradebook=sec.gradebook, by=registrar)
    assert len(loads) == 1
    # The rounds and the retake session come out as from approved values read afresh.
    assert book.sitting == 2
    assert LearnerRound.objects.filter(section_learner__section=sec).count() == 4
    fresh = load_sheet(book, final_only=True)
    assert {r.section_learner_id: list(r.sittings) for r in LearnerRound.objects.all()} == {
        row.id: row.sittings for row in fresh.rows}
    assert ModuleResult.objects.filter(passed=True).count() == 2


def test_an_amendment_approval_reads_the_sheet_at_most_twice(sec, teacher, registrar, loads):
    saved = _save(sec, teacher, {"TX1": ["8.5", "7", "6", "9"], "DK1": ["8", "7", "6", "9"],
                                 "THI1": ["9", "6", "5", "7"]}, version=0)
    gradebook.gradebook_submit(gradebook=sec.gradebook, by=teacher, version=saved.version)
    gradebook.gradebook_approve(gradebook=sec.gradebook, by=registrar)
    row = load_sheet(sec.gradebook).rows[0]
    request = amendments.amendment_request(
        gradebook=sec.gradebook, section_learner=row.section_learner, column="THI1",
        value="9.5", reason="Cộng sai điểm", by=teacher)
    loads.clear()
    amendments.amendment_approve(amendment=request, by=registrar)
    assert len(loads) == 2  # the check before the change and the view after it
    assert LearnerRound.objects.get(section_learner=row.section_learner).sittings == ["9.5"]


def test_the_results_service_does_not_reach_back_into_the_gradebook_service():
    import inspect

    source = inspect.getsource(results)
    assert "services.gradebook" not in source and "services import gradebook" not in source
