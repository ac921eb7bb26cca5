"""Open data: public, no account (quality.opendata). The files show the published
snapshot (rebuilt nightly); the catalogue describes them in DCAT-AP 3 (JSON-LD)."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from quality import opendata


def _catalog(request) -> dict:
    def url(name):
        return request.build_absolute_uri(reverse(name))

    return opendata.catalog(catalog_url=url("quality:open-data-catalog"),
                            csv_url=url("quality:open-data-csv"),
                            json_url=url("quality:open-data-json"))


@require_GET
def statistics_csv(request):
    response = HttpResponse(opendata.as_csv(opendata.published().rows),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="thong-ke.csv"'
    return response


@require_GET
def statistics_json(request):
    catalog = _catalog(request)
    metadata = {"@context": catalog["@context"], **catalog["dcat:dataset"][0]}
    return JsonResponse({"metadata": metadata, "data": opendata.published().rows},
                        json_dumps_params={"ensure_ascii": False})


@require_GET
def catalog_json(request):
    return JsonResponse(_catalog(request), content_type="application/ld+json",
                        json_dumps_params={"ensure_ascii": False})
