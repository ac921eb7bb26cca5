"""Personas and switches shared by the whole suite (STYLE.md #12)."""

import shutil

import pytest
from django.utils import translation

from tests import template_db
from tests.factories import UserFactory
from tests.mfa import install_force_login_with_second_factor
from tests.real_worker import workers  # noqa: F401 — a fixture for the real-worker tests
from vetschool.accounts import roles

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_HINT = ("browser tests skipped: no chromium found — install Debian's chromium "
                "(apt-get install chromium) to run them")


def pytest_configure(config):
    # Staff logged in by force_login have passed the second factor, as after a typed
    # code (tests/mfa.py); module-scoped clients too, hence not a fixture.
    install_force_login_with_second_factor()


def pytest_sessionstart(session):
    if template_db.is_controller(session.config) and template_db.uses_template(session.config):
        template_db.build(session.config)


def pytest_sessionfinish(session):
    if template_db.is_controller(session.config) and template_db.uses_template(session.config):
        template_db.drop_all(session.config)


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    """A worker's database copied from the run's template is opened as an existing one;
    the controller drops it at the end (tests/template_db.py)."""
    if template_db.uses_template(request.config) and template_db.clone_for_worker(
            request.config):
        return True
    return request.config.getvalue("reuse_db")


def pytest_report_header(config):
    return f"chromium: {CHROMIUM}" if CHROMIUM else BROWSER_HINT


def pytest_collection_modifyitems(config, items):
    """Without chromium the browser tests are left out (counted as deselected), and the
    run ends with the one line of BROWSER_HINT, instead of a skip line per test file."""
    if CHROMIUM:
        return
    browser = [item for item in items if "browser" in item.keywords]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if "browser" not in item.keywords]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not CHROMIUM:
        terminalreporter.write_line(BROWSER_HINT)


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process in tests, also where CI sets a broker; the worker test opts out."""
    from vetschool.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _reset_language():
    """A test-client request leaves the language LocaleMiddleware activated in this thread
    (e.g. English after the language switcher), which leaked into later tests."""
    yield
    translation.deactivate()


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server"))


def _reload_code_lists_if_flushed() -> None:
    from importlib import import_module

    from django.apps import apps

    from vetschool.reference.models import EthnicGroup

    if not EthnicGroup.objects.exists():
        import_module("vetschool.reference.migrations.0002_extensions_and_code_lists") \
            .load_code_lists(apps, None)
        import_module("vetschool.reference.migrations.0003_provinces_since_july_2025") \
            .load_provincial_units(apps, None)
    from quality.models import Framework
    from quality.services_accreditation import load_frameworks

    if not Framework.objects.exists():
        load_frameworks()   # accreditation frameworks (quality migration 0002)
    from staff.models import CompetencyFramework

    if not CompetencyFramework.objects.exists():   # DigCompEdu (staff migration 0002)
        import_module("staff.migrations.0002_digcompedu_framework").load(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A database kept by --reuse-db may come from a session that ended with a flush."""
    with django_db_blocker.unblock():
        _reload_code_lists_if_flushed()


@pytest.fixture(autouse=True)
def _code_lists_after_flush(request):
    """A transactional test ends with a flush, which empties the code lists the data
    migration loaded (provinces, ethnic groups); load them again for the next such test.
    (serialized_rollback would, but it clashes with the role groups post_migrate recreates.)"""
    if _is_transactional(request):
        request.getfixturevalue("_django_db_helper")
        _reload_code_lists_if_flushed()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _persona(username: str, role: str | None, **extra):
    user = UserFactory(username=username, roles=[role] if role else [], **extra)
    if role:
        user.is_staff = roles.ROLES[role].staff
        user.save()
    return user


@pytest.fixture
def registrar(db):
    return _persona("registrar1", roles.REGISTRAR, full_name="Phạm Thị Thu Hà")


@pytest.fixture
def teacher(db):
    return _persona("teacher1", roles.TEACHER, full_name="Nguyễn Văn Hùng")


@pytest.fixture
def other_teacher(db):
    return _persona("teacher2", roles.TEACHER, full_name="Hoàng Thị Lan")


@pytest.fixture
def learner(db):
    return _persona("learner1", roles.LEARNER, full_name="Trần Thị Ánh Dương")


@pytest.fixture
def other_learner(db):
    return _persona("learner2", roles.LEARNER, full_name="Vũ Đức Thắng")


@pytest.fixture
def qa_officer(db):
    return _persona("qa1", roles.QA_OFFICER, full_name="Lê Minh Châu")


@pytest.fixture
def hr_officer(db):
    return _persona("hr1", roles.HR_OFFICER, full_name="Đỗ Thị Hồng Nhung")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root1", is_staff=True, is_superuser=True)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
