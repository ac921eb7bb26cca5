"""Open data: public, no account (quality.opendata)."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from quality import opendata


@require_GET
def statistics_csv(request):
    response = HttpResponse(opendata.as_csv(opendata.statistics()),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="thong-ke.csv"'
    return response


@require_GET
def statistics_json(request):
    metadata = opendata.dataset_metadata(
        request.build_absolute_uri(reverse("quality:open-data-csv")),
        request.build_absolute_uri(reverse("quality:open-data-json")))
    return JsonResponse({"metadata": metadata, "data": opendata.statistics()},
                        json_dumps_params={"ensure_ascii": False})
