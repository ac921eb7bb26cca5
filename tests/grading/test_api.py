"""The gradebook and transcript API: who may read and write, exact decimals, conflicts."""

import pytest

from tests.grading.factories import grid_rows, section, world
from tests.grading.test_gradebook import fill, submit_and_approve

pytestmark = pytest.mark.django_db


def url(section_id):
    return f"/api/v1/sections/{section_id}/gradebook/"


@pytest.fixture
def sec(teacher):
    w = world(3)
    return section(w, "MH08", teacher=teacher)


@pytest.fixture
def other_sec(other_teacher):
    w = world(2)
    return section(w, "MH08", teacher=other_teacher)


def test_teacher_reads_their_gradebook_with_scores_as_strings(api_client, teacher, sec):
    fill(sec, teacher, {"TX1": ["8.5", "7", "6"], "DK1": ["8", "7", "6"]})
    api_client.force_authenticate(teacher)
    response = api_client.get(url(sec.pk))
    assert response.status_code == 200
    data = response.json()
    assert [c["code"] for c in data["columns"]] == ["TX1", "DK1", "THI1"]
    first = data["learners"][0]
    assert first["cells"]["TX1"]["value"] == "8.5"
    assert first["checks_average"] == "8.2"
    assert first["eligible"] is True
    assert data["version"] == 1


@pytest.mark.parametrize("persona", ["other_teacher", "learner", "hr_officer"])
def test_guessing_another_section_id_is_not_found(request, api_client, sec, persona):
    api_client.force_authenticate(request.getfixturevalue(persona))
    assert api_client.get(url(sec.pk)).status_code == 404
    response = api_client.patch(url(sec.pk), {"version": 0, "cells": []}, format="json")
    assert response.status_code == 404
    assert api_client.get(url(999999)).status_code == 404


def test_the_training_office_reads_but_cannot_write(api_client, registrar, sec):
    api_client.force_authenticate(registrar)
    assert api_client.get(url(sec.pk)).status_code == 200
    response = api_client.patch(url(sec.pk), {"version": 0, "cells": []}, format="json")
    assert response.status_code == 403


def test_anonymous_is_refused(api_client, sec):
    response = api_client.get(url(sec.pk))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_patch_saves_a_column_in_one_request(api_client, teacher, sec):
    rows = grid_rows(sec)
    api_client.force_authenticate(teacher)
    body = {"version": 0, "cells": [{"learner": r.id, "column": "TX1", "value": v}
                                    for r, v in zip(rows, ["9", "8,5", "KP"], strict=True)]}
    response = api_client.patch(url(sec.pk), body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["version"] == 1
    assert [s["value"] for s in data["saved"]] == ["9.0", "8.5", "KP"]
    assert len(data["learners"]) == 3


def test_patch_with_a_bad_value_answers_400_naming_the_cell(api_client, teacher, sec):
    rows = grid_rows(sec)
    api_client.force_authenticate(teacher)
    body = {"version": 0, "cells": [{"learner": rows[0].id, "column": "TX1", "value": "10.5"}]}
    response = api_client.patch(url(sec.pk), body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [f"{rows[0].id}:TX1"]


def test_a_stale_write_of_the_same_cell_is_a_409_listing_the_change(api_client, teacher, sec):
    rows = grid_rows(sec)
    api_client.force_authenticate(teacher)
    cell = {"learner": rows[0].id, "column": "TX1"}
    assert api_client.patch(url(sec.pk), {"version": 0, "cells": [{**cell, "value": "7"}]},
                            format="json").status_code == 200
    response = api_client.patch(url(sec.pk), {"version": 0, "cells": [{**cell, "value": "9"}]},
                                format="json")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "conflict"
    assert data["changes"][0]["value"] == "7.0"
    assert rows[0].learner.full_name in data["detail"]


def test_put_empties_open_cells_left_out(api_client, teacher, sec):
    fill(sec, teacher, {"TX1": ["8.5", "7", "6"]})
    rows = grid_rows(sec)
    api_client.force_authenticate(teacher)
    body = {"version": 1, "cells": [{"learner": rows[0].id, "column": "TX1", "value": "8.5"}]}
    response = api_client.put(url(sec.pk), body, format="json")
    assert response.status_code == 200
    values = [row.value("TX1").text for row in grid_rows(sec)]
    assert values == ["8.5", "", ""]


def test_submit_through_the_api(api_client, teacher, sec):
    fill(sec, teacher, {"TX1": ["8", "7", "6"], "DK1": ["8", "7", "6"], "THI1": ["8", "7", "6"]})
    api_client.force_authenticate(teacher)
    response = api_client.post(url(sec.pk) + "submit/", {"version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    response = api_client.patch(url(sec.pk), {"version": 2, "cells": []}, format="json")
    assert response.status_code == 400  # submitted: not editable


# --- Transcript -------------------------------------------------------------------------------


@pytest.fixture
def graded(teacher, registrar, learner, other_learner):
    w = world(2, users=[learner, other_learner])
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8.5", "7"], "DK1": ["8", "7"], "THI1": ["9", "6"]})
    submit_and_approve(sec, teacher, registrar)
    return w


def test_a_learner_reads_their_own_transcript(api_client, learner, graded):
    own = learner.learner
    api_client.force_authenticate(learner)
    response = api_client.get(f"/api/v1/learners/{own.pk}/transcript/")
    assert response.status_code == 200
    data = response.json()
    enrollment = data["enrollments"][0]
    module = enrollment["modules"][0]
    assert (module["code"], module["score_10"], module["letter"], module["score_4"],
            module["attempts"], module["credits"]) == ("MH08", "8.7", "A", "4.0", 1, 3)
    semester = enrollment["semesters"][0]
    assert (semester["gpa_4"], semester["cumulative_gpa_4"]) == ("4.00", "4.00")
    assert enrollment["credits_earned"] == 3
    assert enrollment["standing"] == "normal"


def test_a_learner_guessing_another_learner_id_gets_404(api_client, learner, other_learner,
                                                       graded):
    api_client.force_authenticate(learner)
    other = other_learner.learner
    assert api_client.get(f"/api/v1/learners/{other.pk}/transcript/").status_code == 404
    assert api_client.get("/api/v1/learners/999999/transcript/").status_code == 404


@pytest.mark.parametrize("persona,code", [("teacher", 404), ("registrar", 200),
                                          ("qa_officer", 200), ("hr_officer", 404)])
def test_who_reads_any_transcript(request, api_client, graded, persona, code):
    api_client.force_authenticate(request.getfixturevalue(persona))
    target = graded.enrollments[1].learner
    assert api_client.get(f"/api/v1/learners/{target.pk}/transcript/").status_code == code
