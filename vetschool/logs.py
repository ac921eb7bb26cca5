"""Logging filters named by settings.LOGGING."""

import logging


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
