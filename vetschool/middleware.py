"""Request checks that hold for every view, the project's and third-party apps' alike."""

from django.core.exceptions import BadRequest


class RefuseNulBytesMiddleware:
    """A NUL byte in the path or query string is refused with a 400 before any view runs:
    PostgreSQL cannot hold it in a text value, so a view passing it to a query (the
    pghistory event admin looks its text key up as given) would fail with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in request.META.get("QUERY_STRING", "") \
                or "%00" in request.META.get("QUERY_STRING", ""):
            raise BadRequest("NUL byte in the request")
        return self.get_response(request)
