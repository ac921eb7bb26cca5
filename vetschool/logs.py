"""Logging filters named by settings.LOGGING."""

import logging
import re

from django.views.debug import SafeExceptionReporterFilter


class ClientErrorsOnOneLine(logging.Filter):
    """A refused or missing page (4xx) is the client's doing: log its one line, no traceback.

    Django logs PermissionDenied with the exception attached, so every 403 printed a full
    traceback; server errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 0) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


# --- Personal data stays out of logs and error reports (Law 91/2025/QH15) -----------------
# A 12-digit run is a personal ID number (or could be: it is hidden either way); a query or
# form value named like personal data is hidden by name.
PERSONAL_ID = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
PERSONAL_FIELDS = ("national_id", "date_of_birth", "dob", "birth", "phone", "guardian_",
                   "address", "email")
PERSONAL_PARAMETER = re.compile(
    r"((?:national_id|date_of_birth|dob|guardian_phone|phone)=)[^&\s'\"]*", re.IGNORECASE)
REDACTED = "[redacted]"


def redact_personal_data(text: str) -> str:
    return PERSONAL_PARAMETER.sub(r"\1" + REDACTED, PERSONAL_ID.sub(REDACTED, text))


class RedactPersonalData(logging.Filter):
    """Rewrites each record's message, personal data hidden, before any handler formats it;
    the traceback text of an attached exception too."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_personal_data(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_personal_data(record.exc_text)
        return True


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the 500 page with DEBUG, the mails to ADMINS) show form and query
    values of personal fields as stars, as Django does for passwords."""

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        return self._cleansed(parameters)

    def _cleansed(self, parameters):
        if not parameters:
            return parameters
        cleansed = parameters.copy()
        for name in list(cleansed):
            if any(part in name.lower() for part in PERSONAL_FIELDS):
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, redact_personal_data(str(value)) if isinstance(value, str) else value)
                for name, value in super().get_traceback_frame_variables(request, tb_frame)]
