"""No personal ID number or date of birth in logs, error reports or task arguments
(Personal Data Protection Law 91/2025/QH15; docs/security.md)."""

import inspect
import logging

import pytest
from django.conf import settings
from django.test import RequestFactory

from vetschool.logs import (
    PersonalDataExceptionReporterFilter,
    RedactPersonalData,
    redact_personal_data,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("reveal of 001206012345 failed", "reveal of [redacted] failed"),
    ("GET /verify/?serial_number=X&date_of_birth=2006-05-01 404",
     "GET /verify/?serial_number=X&date_of_birth=[redacted] 404"),
    ("POST /x?national_id=001206012345&dob=01/05/2006",
     "POST /x?national_id=[redacted]&dob=[redacted]"),
    ("batch 42 attempt 3 failed", "batch 42 attempt 3 failed"),  # nothing personal
    ("serial CDKT-2026-000001", "serial CDKT-2026-000001"),  # not 12 digits in a row
    ("order 1234567890123", "order 1234567890123"),  # 13 digits: not a personal ID
])
def test_personal_data_is_redacted_from_log_text(text, expected):
    assert redact_personal_data(text) == expected


def test_the_log_filter_rewrites_messages_and_tracebacks():
    try:
        raise ValueError("bad number 079306012345")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "learner %s: %s",
                                   ("001206012345", "ok"), sys.exc_info())
    assert RedactPersonalData().filter(record)
    assert record.getMessage() == "learner [redacted]: ok"
    assert "079306012345" not in record.exc_text and "[redacted]" in record.exc_text


def test_the_console_handler_is_filtered():
    assert "redact_personal_data" in settings.LOGGING["handlers"]["console"]["filters"]


def test_error_reports_hide_personal_form_values():
    request = RequestFactory().post("/admissions/1/apply/", {
        "national_id": "001206012345", "date_of_birth": "2006-05-01",
        "guardian_phone": "0912345678", "school_name": "THPT Việt Đức"})
    shown = PersonalDataExceptionReporterFilter().get_post_parameters(request)
    assert shown["school_name"] == "THPT Việt Đức"
    for name in ("national_id", "date_of_birth", "guardian_phone"):
        assert shown[name] != request.POST[name]
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER.endswith(
        "PersonalDataExceptionReporterFilter")


# The personal ID and the date of birth (the password-reset mail task takes the address the
# mail goes to: that is its purpose, and login is not this test's concern).
PERSONAL_ARGUMENTS = ("national_id", "personal_id", "date_of_birth", "dob", "birth_date")


def test_no_celery_task_takes_personal_data_as_an_argument():
    from django.utils.module_loading import autodiscover_modules

    from vetschool.celery import app

    autodiscover_modules("tasks")
    tasks = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert "enrollment.retention_erase" in tasks
    for name, task in tasks.items():
        parameters = inspect.signature(task.run).parameters
        assert not set(parameters) & set(PERSONAL_ARGUMENTS), name
