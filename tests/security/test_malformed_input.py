"""No 500 from user input: malformed ids, filters and dates sent to every route.

Every URL pattern (pages, admin and API) is requested with malformed path values and with
every known query parameter set to a malformed value; every API write is sent a body whose
dates are impossible or out of range; every admin change page of a real row is opened by
every staff role. None may answer a server error. Routes are enumerated from the URL
map, so a route added later is covered without editing this test.
"""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import URLResolver, get_resolver

from vetschool import demo
from vetschool.api import router

pytestmark = pytest.mark.django_db

# One value per way of failing, not every spelling of it (the sweep has to finish on a busy
# machine): not a number, past the integer range, a NUL byte; an impossible date, a date too
# early for strftime / the DB. "-1", "0" and "1.5" only ever reached the same 404 as "AAA".
BAD_IDS = ["AAA", "9" * 25, "%00"]
# "2026-13-45" is also not a number nor a known choice, so "AAA" adds nothing in a query.
BAD_VALUES = ["9" * 25, "0311-01-01", "2026-13-45"]
BAD_DATES = ["0311-01-01", "2026-13-45", "9999-12-31", "AAA"]
# Beside the all-at-once request, each of an API list's own filters is sent alone.
BAD_SINGLE = ["AAA", "2026-13-45"]

_CAPTURE = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
# Query parameters read from request.GET / query_params anywhere in the project.
_GET_KEY = re.compile(r"""(?:GET|query_params|params)(?:\.get|\.getlist|\[)\(?\s*["'](\w+)["']""")
_COMMON_PARAMS = ["page", "page_size", "ordering", "o", "q", "search", "status", "semester",
                  "program", "occupation", "department", "year", "admission_year", "date",
                  "date_from", "date_to", "as_of", "learner", "section", "format", "column",
                  "ids", "round", "class", "module", "p", "e", "all"]


def _patterns(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


def _url(pattern: str, value: str) -> str | None:
    """The pattern with every capture filled with `value`; None where regex syntax remains."""
    url = _CAPTURE.sub(value, pattern.replace("^", "").replace("$", "").replace("\\Z", ""))
    if re.search(r"[()\[\]*+?\\|]", url):
        return None
    return "/" + url


def _query_params() -> list[str]:
    names = set(_COMMON_PARAMS)
    for app in ("enrollment", "training", "grading", "staff", "degrees", "quality",
                "enterprises", "vetschool"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            names.update(_GET_KEY.findall(path.read_text(encoding="utf-8")))
    for _prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        names.update(filterset.base_filters if filterset else [])
        names.update(getattr(viewset, "filterset_fields", None) or [])
    return sorted(names)


# The admin's own change, delete and history pages of one row read no query parameter of
# ours; they are swept with malformed ids and opened by every role below, and left out of
# the filter sweep, where they were half its requests.
_STOCK_ADMIN_ROW = re.compile(r"^admin/\w+/\w+/<path:object_id>/(change/|delete/|history/)?$")


def _client(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(demo.demo_user(username))
    return client


def _server_errors(client, urls, method="get", **kwargs) -> list[str]:
    failures = []
    for url in urls:
        response = getattr(client, method)(url, **kwargs)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {method.upper()} {url}")
    return failures


def _routes() -> list[str]:
    import vetschool.urls  # noqa: F401 - the router is filled as the URL map loads

    # Logging out would end the session the next requests need.
    return sorted({p for p in _patterns() if "logout" not in p})


@pytest.mark.parametrize("username", ["admin", "registrar"])
def test_malformed_ids_in_every_route_are_never_a_500(college, username):
    client = _client(username)
    urls = {_url(pattern, bad) for pattern in _routes() if _CAPTURE.search(pattern)
            for bad in BAD_IDS}
    assert _server_errors(client, sorted(u for u in urls if u)) == []


@pytest.mark.parametrize("username", ["admin", "registrar"])
def test_malformed_filters_and_dates_in_every_route_are_never_a_500(college, username):
    client = _client(username)
    names = _query_params()
    urls = set()
    for pattern in _routes():
        if _STOCK_ADMIN_ROW.match(pattern):
            continue
        url = _url(pattern, "1")
        if url:
            urls.update(f"{url}?{urlencode(dict.fromkeys(names, bad))}"
                        for bad in BAD_VALUES)
    # One malformed filter alone: the first refusal must not hide a later parameter's
    # failure. Only the list's own filters and the generic list parameters, since a name the
    # list does not read is ignored and the all-at-once request above already sent it.
    for prefix, viewset, _basename in router.registry:
        url = f"/api/v1/{prefix}/"
        urls.update(f"{url}?{name}={bad}" for name in _list_params(viewset)
                    for bad in BAD_SINGLE)
    assert _server_errors(client, sorted(urls)) == []


def _list_params(viewset) -> set[str]:
    names = {"page", "page_size", "ordering", "search", "format"}
    filterset = getattr(viewset, "filterset_class", None)
    names.update(filterset.base_filters if filterset else [])
    fields = getattr(viewset, "filterset_fields", None) or []
    if isinstance(fields, dict):  # {"date": ["gte", "lte"]} filters date, date__gte, ...
        names.update(name if lookup == "exact" else f"{name}__{lookup}"
                     for name, lookups in fields.items() for lookup in lookups)
    else:
        names.update(fields)
    return names


def _date_fields(schema: dict, spec: dict) -> tuple[dict, list[str]]:
    """A body filled with plausible values, and the names of its date fields."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    body, dates = {}, []
    for name, prop in (schema.get("properties") or {}).items():
        if prop.get("readOnly"):
            continue
        kind, fmt = prop.get("type"), prop.get("format")
        if fmt in ("date", "date-time"):
            dates.append(name)
            body[name] = "2026-01-01"
        elif kind == "integer":
            body[name] = 1
        elif kind == "array":
            body[name] = []
        elif kind == "boolean":
            body[name] = True
        else:
            body[name] = "AAA"
    return body, dates


@pytest.mark.parametrize("username", ["admin", "registrar"])
def test_malformed_dates_and_numbers_in_api_bodies_are_never_a_500(college, username):
    from drf_spectacular.generators import SchemaGenerator

    import vetschool.urls  # noqa: F401

    spec = SchemaGenerator().get_schema(request=None, public=True)
    client = _client(username)
    failures = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            content = (operation.get("requestBody") or {}).get("content", {})
            schema = (content.get("application/json") or {}).get("schema")
            if not schema:
                continue
            body, dates = _date_fields(schema, spec)
            url = re.sub(r"\{\w+\}", "1", path)
            bodies = [{**body, name: bad} for name in dates for bad in BAD_DATES]
            bodies += [{name: "9" * 25 if isinstance(value, int) else value
                        for name, value in body.items()}]
            for payload in bodies:
                failures += _server_errors(client, [url], method, data=payload,
                                           content_type="application/json")
    assert failures == []


@pytest.mark.parametrize("username", ["admin", "registrar", "qa", "hr"])
def test_admin_change_page_of_every_model_opens_for_every_staff_role(college, username):
    from django.urls import NoReverseMatch, reverse

    client = _client(username)
    urls = []
    for model in admin.site._registry:
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if pk is None:
            continue
        meta = model._meta
        try:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk]))
        except NoReverseMatch:
            continue
    assert _server_errors(client, urls) == []
