"""Open data (Decision 411): aggregate statistics public by nature — enrolments,
graduates and graduate employment (answered and employed at 6 and 12 months, the employment
page's own figures) by occupation, level and year, never a person — as CSV and JSON at stable URLs
(/open-data/quality/statistics.csv|.json). A count from 1 to 4 is suppressed (published as
empty / null) so that no one can be singled out; 0 and 5 or more are published.

The published figures are a snapshot (OpenDataSnapshot) rebuilt every night by the beat
entry "quality-open-data-nightly" (`publish`): a new snapshot only when the figures changed,
so the catalogue's `dct:modified` says when they last did. The catalogue
(/open-data/quality/catalog.json) describes the dataset in DCAT-AP 3 as JSON-LD."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from degrees.models import Diploma, DiplomaStatus
from enrollment.models import Enrollment
from quality import selectors as quality_selectors
from quality.models import OpenDataSnapshot
from vetschool.reference.models import Institution

SMALLEST_PUBLISHED = 5
EMPLOYMENT_FIELDS = ("answered_6_months", "employed_6_months", "answered_12_months",
                     "employed_12_months")
FIELDS = ("year", "occupation_code", "occupation_name", "level", "enrolled", "graduates",
          *EMPLOYMENT_FIELDS)


def suppress(count: int) -> int | None:
    return None if 0 < count < SMALLEST_PUBLISHED else count


def statistics() -> list[dict]:
    """One row per year, occupation and level: enrolments admitted that year, graduates
    (diplomas in force) of that graduation year and, of them, those who answered and those
    employed at each checkpoint (quality.selectors.employment), small cells suppressed."""
    cells = defaultdict(lambda: dict.fromkeys(("enrolled", "graduates", *EMPLOYMENT_FIELDS),
                                              0))
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
    for figure in quality_selectors.employment():
        counts = cells[(figure.graduation_year, figure.occupation_code, figure.level)]
        counts[f"answered_{figure.checkpoint}_months"] = figure.answered
        counts[f"employed_{figure.checkpoint}_months"] = figure.employed
    return [{"year": year, "occupation_code": code, "occupation_name": names.get(code, ""),
             "level": level, **{field: suppress(counts[field]) for field in FIELDS[4:]}}
            for (year, code, level), counts in sorted(cells.items())]


def as_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


PUBLISH_LOCK = 4_110_411  # pg_advisory_xact_lock key of publishing (Decision 411)


@transaction.atomic
def publish() -> OpenDataSnapshot:
    """Rebuild the published figures; a new snapshot only when they changed. Publishers
    take turns (the nightly task and a first request may meet), so no twin snapshot."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLISH_LOCK])
    rows = statistics()
    latest = OpenDataSnapshot.objects.first()
    if latest is not None and latest.rows == rows:
        return latest
    return OpenDataSnapshot.objects.create(rows=rows)


def published() -> OpenDataSnapshot:
    """The newest snapshot; the first request before any nightly run publishes one."""
    return OpenDataSnapshot.objects.first() or publish()


def first_published() -> OpenDataSnapshot | None:
    return OpenDataSnapshot.objects.order_by("made_at", "id").first()


TITLE = {"vi": "Thống kê tuyển sinh, tốt nghiệp và việc làm theo nghề, trình độ và năm",
         "en": "Enrolments, graduates and employment by occupation, level and year"}
DESCRIPTION = {
    "vi": ("Số người học nhập học (theo năm tuyển sinh), số người tốt nghiệp (theo năm tốt "
           "nghiệp) và, trong số người tốt nghiệp, số người trả lời và số người có việc làm "
           "sau 6 và 12 tháng, theo nghề và trình độ đào tạo; ô có từ 1 đến 4 người được để "
           "trống để không ai bị nhận diện. Cập nhật hằng đêm."),
    "en": ("Learners enrolled (by admission year), graduates (by graduation year) and, of "
           "the graduates, those who answered and those employed 6 and 12 months after "
           "graduation, per occupation and training level; cells of 1 to 4 people are left "
           "empty so that no one can be singled out. Rebuilt nightly."),
}
KEYWORDS = [("giáo dục nghề nghiệp", "vi"), ("tuyển sinh", "vi"), ("tốt nghiệp", "vi"),
            ("vocational education", "en"), ("enrolment", "en"), ("graduates", "en")]
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
EU = "http://publications.europa.eu/resource/authority/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "dcatap": "http://data.europa.eu/r5r/",
}
MEDIA_TYPES = {"csv": ("text/csv", "CSV"), "json": ("application/json", "JSON")}


def _texts(texts: dict) -> list[dict]:
    return [{"@value": text, "@language": language} for language, text in texts.items()]


def _date(moment) -> dict:
    return {"@value": timezone.localdate(moment).isoformat(), "@type": "xsd:date"}


def _publisher(institution: Institution | None) -> dict:
    name = institution.name_vi if institution else "Cơ sở giáo dục nghề nghiệp"
    agent = {"@type": "foaf:Agent", "foaf:name": _texts(
        {"vi": name, "en": institution.name_en if institution and institution.name_en
         else name})}
    if institution and institution.website:
        agent["@id"] = institution.website
        agent["foaf:homepage"] = {"@id": institution.website}
    return agent


def _distribution(fmt: str, url: str, dataset_id: str) -> dict:
    media_type, file_type = MEDIA_TYPES[fmt]
    return {
        "@id": f"{dataset_id}#{fmt}", "@type": "dcat:Distribution",
        "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media_type}"},
        "dct:format": {"@id": f"{EU}file-type/{file_type}"},
        "dct:license": {"@id": LICENSE},
        "dct:title": _texts({"vi": f"{TITLE['vi']} ({file_type})",
                             "en": f"{TITLE['en']} ({file_type})"}),
        "dct:description": _texts(DESCRIPTION),
    }


def catalog(*, catalog_url: str, csv_url: str, json_url: str) -> dict:
    """The DCAT-AP 3 description (JSON-LD) of the open-data catalogue and its dataset."""
    institution = Institution.objects.first()
    latest, first = published(), first_published()
    dataset_id = f"{catalog_url}#statistics"
    contact = {"@type": "vcard:Organization",
               "vcard:fn": institution.name_vi if institution else ""}
    if institution and institution.email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{institution.email}"}
    years = [row["year"] for row in latest.rows]
    dataset = {
        "@id": dataset_id, "@type": "dcat:Dataset",
        "dct:title": _texts(TITLE), "dct:description": _texts(DESCRIPTION),
        "dct:identifier": dataset_id,
        "dct:issued": _date(first.made_at), "dct:modified": _date(latest.made_at),
        "dct:language": {"@id": f"{EU}language/VIE"},
        "dct:publisher": _publisher(institution), "dcat:contactPoint": contact,
        "dcat:keyword": [{"@value": word, "@language": language} for word, language in KEYWORDS],
        "dcat:theme": {"@id": f"{EU}data-theme/EDUC"},
        "dct:spatial": {"@id": f"{EU}country/VNM"},
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/DAILY"},
        "dct:license": {"@id": LICENSE},
        "dcat:distribution": [_distribution("csv", csv_url, dataset_id),
                              _distribution("json", json_url, dataset_id)],
    }
    if years:
        dataset["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{min(years)}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{max(years)}-12-31", "@type": "xsd:date"}}
    return {
        "@context": CONTEXT, "@id": catalog_url, "@type": "dcat:Catalog",
        "dct:title": _texts({"vi": "Dữ liệu mở của trường", "en": "Open data of the college"}),
        "dct:description": _texts({
            "vi": "Số liệu thống kê tổng hợp công khai theo Quyết định 411/QĐ-TTg.",
            "en": "Aggregate public statistics under Decision 411/QĐ-TTg."}),
        "dct:publisher": _publisher(institution),
        "dct:language": {"@id": f"{EU}language/VIE"},
        "dct:license": {"@id": LICENSE},
        "dct:modified": _date(latest.made_at),
        "dcat:dataset": [dataset],
    }
