"""The 409 of two tabs editing the same gradebook is an API exception: the same body, in the
one error shape of vetschool.api, from the API and from the attendance page's JSON view."""

import json
import re

import pytest
from django.urls import reverse

from grading.services.gradebook import GradebookConflict
from tests.grading.factories import grid_rows, section, world

pytestmark = pytest.mark.django_db

SHAPE = {"status", "code", "detail", "errors", "version", "changes"}


@pytest.fixture
def sec(teacher):
    return section(world(2), "MH08", teacher=teacher)


def test_the_conflict_is_a_409_api_exception_with_its_fields():
    exc = GradebookConflict(version=3, changes=[])
    assert exc.status_code == 409 and exc.get_codes() == "conflict"
    assert exc.extra_fields == {"version": 3, "changes": []}


def test_a_stale_api_write_answers_the_one_shape(api_client, teacher, sec):
    rows = grid_rows(sec)
    api_client.force_authenticate(teacher)
    url = f"/api/v1/sections/{sec.pk}/gradebook/"
    cell = {"learner": rows[0].id, "column": "TX1"}
    api_client.patch(url, {"version": 0, "cells": [{**cell, "value": "7"}]}, format="json")
    response = api_client.patch(url, {"version": 0, "cells": [{**cell, "value": "9"}]},
                                format="json")
    data = response.json()
    assert response.status_code == 409 and set(data) == SHAPE
    assert (data["status"], data["code"], data["errors"], data["version"]) == (
        409, "conflict", {}, 1)
    assert data["changes"][0]["learner"] == rows[0].id and data["changes"][0]["value"] == "7.0"

    response = api_client.post(url + "submit/", {"version": 0}, format="json")
    assert response.status_code == 409 and set(response.json()) == SHAPE


def test_a_stale_attendance_write_answers_the_same_shape(client, teacher, sec):
    client.force_login(teacher)
    register = reverse("grading:attendance", args=[sec.pk])
    client.post(register, {"day": "2025-09-10", "kind": "practice", "hours": "5"})
    page = client.get(register).content.decode()
    column = re.search(r'data-column="(S\d+)"', page).group(1)
    learner = int(re.search(r'data-learner="(\d+)"', page).group(1))
    save = reverse("grading:attendance-save", args=[sec.pk])

    def post(version, value):
        body = {"version": version, "cells": [{"learner": learner, "column": column,
                                               "value": value}]}
        return client.post(save, json.dumps(body), content_type="application/json")

    assert post(1, "KP").status_code == 200
    response = post(1, "V")
    data = response.json()
    assert response.status_code == 409 and set(data) == SHAPE
    assert data["code"] == "conflict" and data["changes"][0]["value"] == "KP"
    invalid = post(data["version"], "X")
    assert invalid.status_code == 400
    assert invalid.json()["code"] == "invalid" and invalid.json()["errors"]


def test_a_malformed_attendance_request_answers_the_one_shape(client, teacher, sec):
    client.force_login(teacher)
    save = reverse("grading:attendance-save", args=[sec.pk])
    response = client.post(save, "not json", content_type="application/json")
    data = response.json()
    assert response.status_code == 400 and data["code"] == "invalid"
    assert {"status", "code", "detail", "errors"} <= set(data)
