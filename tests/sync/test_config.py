"""Configuration: environment variables win over what seed_demo or the admin stored."""

import pytest
from django.core.checks import Error

from vetschool.env import env_secret
from vetschool.sync import checks
from vetschool.sync.config import current_config
from vetschool.sync.models import Configuration

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    return Configuration.objects.create(url="http://127.0.0.1:8765",
                                        institution_code="DEMO01", secret="demo-secret")


@pytest.fixture
def no_env(settings):
    settings.NATIONAL_API_URL = ""
    settings.NATIONAL_API_INSTITUTION = ""
    settings.NATIONAL_API_SECRET = ""
    return settings


def test_without_anything_the_sync_is_disabled_with_a_clear_reason(no_env):
    config = current_config()
    assert not config.enabled
    assert config.disabled_reason == "sync disabled: NATIONAL_API_URL not set"


def test_the_stored_configuration_is_used_when_the_environment_says_nothing(no_env, stored):
    config = current_config()
    assert (config.url, config.institution, config.secret, config.source) == \
        ("http://127.0.0.1:8765", "DEMO01", "demo-secret", "stored")


def test_environment_variables_win_over_the_stored_configuration(no_env, stored):
    no_env.NATIONAL_API_URL = "https://api.example.gov.vn"
    no_env.NATIONAL_API_INSTITUTION = "CDSH01"
    no_env.NATIONAL_API_SECRET = "real-secret"
    config = current_config()
    assert (config.url, config.institution, config.secret, config.source) == \
        ("https://api.example.gov.vn", "CDSH01", "real-secret", "environment")


def test_an_environment_url_never_uses_the_stored_secret(no_env, stored):
    no_env.NATIONAL_API_URL = "https://api.example.gov.vn"
    config = current_config()
    assert config.secret == ""
    assert config.disabled_reason == "sync disabled: NATIONAL_API_SECRET not set"


def test_an_environment_secret_alone_still_wins(no_env, stored):
    no_env.NATIONAL_API_SECRET = "from-env"
    assert current_config().secret == "from-env"


def test_the_institution_code_defaults_to_the_colleges_ministry_code(no_env):
    from vetschool.demo import seed_institution

    seed_institution()
    Configuration.objects.create(url="http://127.0.0.1:8765", secret="s")
    assert current_config().institution == "CDSH01"


def test_the_secret_can_come_from_a_file(monkeypatch, tmp_path):
    path = tmp_path / "secret"
    path.write_text("from-a-file\n")
    monkeypatch.delenv("NATIONAL_API_SECRET", raising=False)
    monkeypatch.setenv("NATIONAL_API_SECRET_FILE", str(path))
    assert env_secret("NATIONAL_API_SECRET") == "from-a-file"


def test_system_check_e001_when_the_url_is_set_without_a_secret(no_env):
    no_env.NATIONAL_API_URL = "https://api.example.gov.vn"
    errors = checks.national_api_settings(None)
    assert [e.id for e in errors] == ["sync.E001"]
    assert isinstance(errors[0], Error)
    no_env.NATIONAL_API_SECRET = "s"
    assert checks.national_api_settings(None) == []
