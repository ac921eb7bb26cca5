"""Open data (Decision 411): aggregate statistics public by nature — enrolments and
graduates by occupation, level and year, never a person — as CSV and JSON at stable URLs
(/open-data/quality/statistics.csv|.json). A count from 1 to 4 is suppressed (published as
empty / null) so that no one can be singled out; 0 and 5 or more are published.

The figures are computed on request from two aggregate queries (no nightly file yet)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from django.db.models import Count

from degrees.models import Diploma, DiplomaStatus
from enrollment.models import Enrollment

SMALLEST_PUBLISHED = 5
FIELDS = ("year", "occupation_code", "occupation_name", "level", "enrolled", "graduates")


def suppress(count: int) -> int | None:
    return None if 0 < count < SMALLEST_PUBLISHED else count


def statistics() -> list[dict]:
    """One row per year, occupation and level: enrolments admitted that year, graduates
    (diplomas in force) of that graduation year, small cells suppressed."""
    cells = defaultdict(lambda: {"enrolled": 0, "graduates": 0})
    names = {}
    for row in (Enrollment.objects.values("admission_year", "occupation__code",
                                          "occupation__name_vi", "level")
                .annotate(n=Count("id")).order_by()):
        key = (row["admission_year"], row["occupation__code"], row["level"])
        cells[key]["enrolled"] = row["n"]
        names[row["occupation__code"]] = row["occupation__name_vi"]
    for row in (Diploma.objects.filter(status=DiplomaStatus.ISSUED)
                .values("graduation_year", "occupation_code", "occupation_name_vi", "level")
                .annotate(n=Count("enrollment_id", distinct=True)).order_by()):
        key = (row["graduation_year"], row["occupation_code"], row["level"])
        cells[key]["graduates"] += row["n"]
        names.setdefault(row["occupation_code"], row["occupation_name_vi"])
    return [{"year": year, "occupation_code": code, "occupation_name": names.get(code, ""),
             "level": level, "enrolled": suppress(counts["enrolled"]),
             "graduates": suppress(counts["graduates"])}
            for (year, code, level), counts in sorted(cells.items())]


def as_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def dataset_metadata(csv_url: str, json_url: str) -> dict:
    """A DCAT-AP style description of the dataset and its two distributions."""
    return {
        "@type": "dcat:Dataset",
        "dct:title": "Thống kê tuyển sinh và tốt nghiệp theo nghề, trình độ và năm",
        "dct:description": ("Số người học nhập học (theo năm tuyển sinh) và số người tốt "
                            "nghiệp (theo năm tốt nghiệp) theo nghề và trình độ; ô có từ 1 "
                            "đến 4 người được ẩn."),
        "dct:language": "vi",
        "dcat:keyword": ["giáo dục nghề nghiệp", "tuyển sinh", "tốt nghiệp"],
        "dcat:distribution": [
            {"@type": "dcat:Distribution", "dcat:accessURL": csv_url,
             "dcat:mediaType": "text/csv"},
            {"@type": "dcat:Distribution", "dcat:accessURL": json_url,
             "dcat:mediaType": "application/json"},
        ],
    }
