"""Long office lists are read a page at a time: a page of rows costs the same with
20,000 learners as with 200, and no row is silently cut off at a fixed limit."""

from django.core.paginator import Paginator
from django.http import QueryDict

PER_PAGE = 100


def page_of(request, rows, per_page: int | None = None):
    """The page `?page=` asks for; a number out of range or not a number gives the
    nearest page rather than an error (a bookmark may outlive the rows it pointed at)."""
    return Paginator(rows, per_page or PER_PAGE).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The request's other filters, to carry into the pager's links."""
    query = QueryDict(mutable=True)
    query.update(request.GET)
    query.pop("page", None)
    return query.urlencode()
