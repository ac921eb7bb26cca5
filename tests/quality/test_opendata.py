"""Open data: aggregates only, counts from 1 to 4 suppressed, CSV and JSON agree, the JSON
names its distributions (DCAT) and its rows carry no personal field."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.enrollment.factories import enrol, occupation
from tests.training.factories import enrolments

pytestmark = pytest.mark.django_db


def test_small_cells_are_suppressed_and_csv_equals_json():
    it, acc = occupation(), occupation("6340301", "Kế toán")
    enrolments(6, occ=it, year=2025)
    for _ in range(3):
        enrol(occ=acc, year=2025)
    client = Client()  # anonymous
    data = client.get(reverse("quality:open-data-json")).json()
    rows = {(r["year"], r["occupation_code"]): r for r in data["data"]}
    with connection.cursor() as cursor:
        cursor.execute("""SELECT count(*) FROM enrollment_enrollment e
                          JOIN reference_occupation o ON o.id = e.occupation_id
                          WHERE o.code = '6480201' AND e.admission_year = 2025""")
        assert rows[(2025, "6480201")]["enrolled"] == cursor.fetchone()[0] == 6
    assert rows[(2025, "6340301")]["enrolled"] is None  # 3 people: suppressed
    assert rows[(2025, "6480201")]["graduates"] == 0
    assert set(data["data"][0]) == {"year", "occupation_code", "occupation_name", "level",
                                    "enrolled", "graduates"}
    urls = [d["dcat:accessURL"] for d in data["metadata"]["dcat:distribution"]]
    assert urls[0].endswith(reverse("quality:open-data-csv"))
    text = client.get(urls[0].split("testserver")[-1]).content.decode()
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert [(r["occupation_code"], r["enrolled"]) for r in parsed] == [
        (r["occupation_code"], "" if r["enrolled"] is None else str(r["enrolled"]))
        for r in data["data"]]
