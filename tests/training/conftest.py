import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read English messages; the catalogue test checks the Vietnamese one."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
