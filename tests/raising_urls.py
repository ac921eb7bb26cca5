"""The project's URLs plus two views that fail, to see what a 500 answers (test_platform)."""

from django.urls import path

from vetschool.urls import handler400, handler403, handler404, handler500, urlpatterns


def _fails(request):
    raise RuntimeError("an unforeseen failure")


urlpatterns = [
    path("api/v1/fails/", _fails),
    path("fails/", _fails),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
