import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read English messages; the catalogue test checks the Vietnamese one."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
