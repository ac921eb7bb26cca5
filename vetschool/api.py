"""Cross-cutting REST API pieces: the router every app registers on, one error shape,
pagination.

Each domain app's `api.py` calls `router.register(...)`; `vetschool.urls`
autodiscovers those modules, so the platform imports no domain app.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, pagination
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler


class Router(DefaultRouter):
    """The API root view, without DefaultRouter's `.json` twin of every route: the API
    answers JSON anyway, and handlers that take no `format` argument failed on them."""

    include_format_suffixes = False


router = Router()


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _django_validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {
            field: [msg for error in errors for msg in error.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


def _as_api_exception(exc):
    """Django's own refusals as DRF's, so that both take the one shape."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(_django_validation_detail(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def exception_handler(exc, context):
    """Every 4xx answer has one shape: {"status", "code", "detail", "errors"}.

    `errors` maps a field (or "non_field_errors") to its messages; services raise
    Django's ValidationError, which becomes a 400 here like DRF's own. An exception with
    `extra_fields` (a gradebook conflict's version and changes) adds them to the body.
    """
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = exception_body(exc, response.status_code)
    return response


def exception_body(exc: exceptions.APIException, status: int | None = None) -> dict:
    """The body of an API exception in the one shape (also for plain Django JSON views)."""
    status = status or exc.status_code
    errors = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            errors = {k: _as_list(v) for k, v in detail.items()}
        else:
            errors = {"non_field_errors": _as_list(detail)}
        message = _first_message(errors) or "Invalid input."
        code = "invalid"
    else:
        message = str(exc.detail) if hasattr(exc, "detail") else str(exc)
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        code = codes if isinstance(codes, str) else "error"
    return error_body(status, code, message, errors, extra=getattr(exc, "extra_fields", None))


def json_error(exc: Exception) -> JsonResponse:
    """A JSON view outside DRF answers a service's refusal as the API would."""
    exc = _as_api_exception(exc)
    return JsonResponse(exception_body(exc), status=exc.status_code)


def error_body(status: int, code: str, detail: str, errors: dict | None = None, *,
               extra: dict | None = None) -> dict:
    """The one shape of every 4xx answer of the API; `extra` adds an error's own fields."""
    return {"status": status, "code": code, "detail": detail, "errors": errors or {},
            **(extra or {})}


# Answers Django gives before any API view runs (an unknown URL under /api/, a request
# Django itself refuses) or after one fails keep the same shape there; pages elsewhere
# stay HTML.
def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(error_body(status, code, detail), status=status)


def handler400(request, exception=None):
    if _is_api(request):
        return _json_error(400, "bad_request", "Bad request.")
    return defaults.bad_request(request, exception)


def handler403(request, exception=None):
    if _is_api(request):
        detail = str(exceptions.PermissionDenied.default_detail)
        return _json_error(403, "permission_denied", detail)
    return defaults.permission_denied(request, exception)


def handler404(request, exception=None):
    if _is_api(request):
        return _json_error(404, "not_found", str(exceptions.NotFound.default_detail))
    return defaults.page_not_found(request, exception)


def handler500(request):
    # An unforeseen failure of an API view is still a bug to fix (Django logs it); the
    # client gets the one shape, not the HTML page, and no detail of the failure.
    if _is_api(request):
        return _json_error(500, "server_error", str(exceptions.APIException.default_detail))
    return defaults.server_error(request)


def _as_list(value) -> list:
    if isinstance(value, list):
        out = []
        for item in value:
            out.extend(_as_list(item) if isinstance(item, (list, dict)) else [str(item)])
        return out
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _as_list(v)]
    return [str(value)]


def _first_message(errors: dict) -> str:
    for messages in errors.values():
        if messages:
            return messages[0]
    return ""

