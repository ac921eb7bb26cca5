"""Open data: aggregates only, counts from 1 to 4 suppressed, CSV and JSON agree, the JSON
names its distributions (DCAT) and its rows carry no personal field; the nightly rebuild;
the DCAT-AP 3 catalogue checked against the profile's mandatory properties and the files it
describes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quality import tasks
from quality.models import OpenDataSnapshot
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
                                    "enrolled", "graduates", "answered_6_months",
                                    "employed_6_months", "answered_12_months",
                                    "employed_12_months"}
    urls = [d["dcat:accessURL"]["@id"] for d in data["metadata"]["dcat:distribution"]]
    assert urls[0].endswith(reverse("quality:open-data-csv"))
    text = client.get(urls[0].split("testserver")[-1]).content.decode()
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert [(r["occupation_code"], r["enrolled"]) for r in parsed] == [
        (r["occupation_code"], "" if r["enrolled"] is None else str(r["enrolled"]))
        for r in data["data"]]


def test_published_files_change_only_when_the_nightly_rebuild_runs():
    entry = settings.CELERY_BEAT_SCHEDULE["quality-open-data-nightly"]
    assert entry["task"] == tasks.open_data_publish.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})
    it = occupation()
    enrolments(5, occ=it, year=2025)
    client = Client()
    first = client.get(reverse("quality:open-data-csv")).content.decode()
    assert "6480201" in first and ",5," in first
    enrolments(2, occ=it, year=2025)
    assert client.get(reverse("quality:open-data-csv")).content.decode() == first
    tasks.open_data_publish.delay()  # what beat sends at night (eager here)
    assert OpenDataSnapshot.objects.count() == 2
    assert ",7," in client.get(reverse("quality:open-data-csv")).content.decode()
    tasks.open_data_publish.delay()  # nothing changed: no new snapshot, same dct:modified
    assert OpenDataSnapshot.objects.count() == 2


# DCAT-AP 3.0 (SEMIC, https://semiceu.github.io/DCAT-AP/releases/3.0.0/): the mandatory
# properties of each class we publish, and the recommended ones we promise to fill.
MANDATORY = {
    "dcat:Catalog": ["dct:description", "dct:publisher", "dct:title"],
    "dcat:Dataset": ["dct:description", "dct:title"],
    "dcat:Distribution": ["dcat:accessURL"],
    "foaf:Agent": ["foaf:name"],
}
RECOMMENDED = {
    "dcat:Catalog": ["dcat:dataset", "dct:language", "dct:license", "dct:modified"],
    "dcat:Dataset": ["dcat:contactPoint", "dcat:distribution", "dcat:keyword",
                     "dct:publisher", "dct:spatial", "dct:temporal", "dcat:theme",
                     "dct:issued", "dct:modified"],
    "dcat:Distribution": ["dct:description", "dct:format", "dct:license", "dcat:mediaType"],
}
EU = "http://publications.europa.eu/resource/authority/"


def nodes(document):
    """Every typed node of a JSON-LD tree."""
    if isinstance(document, dict):
        if "@type" in document:
            yield document
        for value in document.values():
            yield from nodes(value)
    elif isinstance(document, list):
        for value in document:
            yield from nodes(value)


def as_list(value):
    return value if isinstance(value, list) else [value]


def dcat_ap_violations(catalog) -> list[str]:
    out = []
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalog["@context"]["dct"] == "http://purl.org/dc/terms/"
    for node in nodes(catalog):
        kind = node["@type"]
        for prop in MANDATORY.get(kind, []) + RECOMMENDED.get(kind, []):
            if node.get(prop) in (None, "", [], {}):
                out.append(f"{kind} {node.get('@id', '')}: {prop} missing")
        for prop in ("dct:title", "dct:description", "foaf:name"):
            if prop in node and kind != "vcard:Organization":
                languages = {v.get("@language") for v in as_list(node[prop])}
                if not {"vi", "en"} <= languages:
                    out.append(f"{kind}: {prop} not in vi and en")
        for prop in ("dct:issued", "dct:modified", "dcat:startDate", "dcat:endDate"):
            if prop in node:
                value = node[prop]
                if value.get("@type") != "xsd:date":
                    out.append(f"{kind}: {prop} not an xsd:date")
                date.fromisoformat(value["@value"])
        if kind == "dcat:Distribution":
            if not node["dcat:mediaType"]["@id"].startswith(
                    "https://www.iana.org/assignments/media-types/"):
                out.append("mediaType not an IANA media type")
            if not node["dct:format"]["@id"].startswith(EU + "file-type/"):
                out.append("format not from the EU file-type authority table")
        if kind == "dcat:Dataset" and not node["dcat:theme"]["@id"].startswith(
                EU + "data-theme/"):
            out.append("theme not from the EU data-theme table")
    return out


def test_catalog_is_dcat_ap_and_its_files_validate_against_it():
    it = occupation()
    enrolments(6, occ=it, year=2024)
    client = Client()
    response = client.get(reverse("quality:open-data-catalog"))
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    assert dcat_ap_violations(catalog) == []
    # the checker would see a missing property
    broken = json.loads(response.content)
    del broken["dcat:dataset"][0]["dcat:distribution"][0]["dcat:accessURL"]
    assert "accessURL missing" in " ".join(dcat_ap_violations(broken))

    (dataset,) = catalog["dcat:dataset"]
    snapshot = OpenDataSnapshot.objects.get()
    assert dataset["dct:modified"]["@value"] == timezone.localdate(
        snapshot.made_at).isoformat() == dataset["dct:issued"]["@value"]
    assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2024-01-01"
    for distribution in dataset["dcat:distribution"]:
        url = distribution["dcat:accessURL"]["@id"].split("testserver")[-1]
        served = client.get(url)
        media_type = distribution["dcat:mediaType"]["@id"].rsplit("media-types/", 1)[1]
        assert served.status_code == 200
        assert served["Content-Type"].split(";")[0] == media_type
        if media_type == "text/csv":
            rows = list(csv.DictReader(io.StringIO(served.content.decode())))
            assert rows[0]["enrolled"] == "6"
        else:
            body = served.json()
            assert body["metadata"]["@id"] == dataset["@id"]
            assert body["data"][0]["enrolled"] == 6


def test_graduate_employment_is_published_with_small_cells_suppressed():
    from degrees.models import Diploma
    from quality import opendata, selectors
    from quality.models import TracerRecord
    from quality.services import tracer_record_save
    from tests.degrees.factories import finished_class, issued
    from tests.factories import UserFactory
    from vetschool.accounts import roles

    registrar = UserFactory(roles=[roles.REGISTRAR], is_staff=True)
    w = finished_class(7)
    issued(w, registrar)
    diplomas = list(Diploma.objects.select_related("enrollment").order_by("pk"))
    for diploma, status in zip(diplomas, ["in_occupation", "in_occupation", "self_employed",
                                          "outside", "in_occupation", "not_employed"],
                               strict=False):
        extra = {"employer_name": "Công ty TNHH Ví Dụ"} if status in (
            "in_occupation", "outside") else {}
        tracer_record_save(record=TracerRecord(enrollment=diploma.enrollment, checkpoint=12,
                                               status=status, source="staff", **extra),
                           today=date(2030, 1, 1))
    row = next(r for r in opendata.statistics() if r["graduates"])
    figure = next(f for f in selectors.employment() if f.checkpoint == 12)
    assert (row["year"], row["occupation_code"]) == (figure.graduation_year,
                                                     figure.occupation_code)
    # 7 graduates, 6 answered, 5 employed at 12 months; nobody answered at 6 months
    assert (row["graduates"], row["answered_12_months"], row["employed_12_months"]) == (7, 6, 5)
    assert figure.answered == 6 and figure.employed == 5
    assert row["answered_6_months"] == row["employed_6_months"] == 0
    TracerRecord.objects.filter(status="in_occupation").delete()
    row = next(r for r in opendata.statistics() if r["graduates"])
    assert (row["answered_12_months"], row["employed_12_months"]) == (None, None)  # 3 and 2
