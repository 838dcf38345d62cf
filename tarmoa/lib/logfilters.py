"""Log filters that keep private values out of the logs."""

from __future__ import annotations

import logging
import re

# A survey result link carries a person's answers (encrypted): its token never reaches a log.
SURVEY_LINK = re.compile(r"(/kartoitus/tulos/)[^/\s\"'?]+")


def redact(text: str) -> str:
    return SURVEY_LINK.sub(r"\1[piilotettu]", text)


class RedactPrivateLinks(logging.Filter):
    """Replaces survey result tokens in a record's message and arguments (Django's request
    and server loggers write the path of every 4xx/5xx answer)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            # In place: gunicorn's access log passes a dict subclass that its format relies on.
            for k, v in list(record.args.items()):
                if isinstance(v, str):
                    record.args[k] = redact(v)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path") and SURVEY_LINK.search(request.path or ""):
            # Handlers that print the request (error mails, error trackers) see the path without the token.
            record.request = None
        return True


def install(logger_names=("django.request", "django.server", "django.security", "gunicorn.access")) -> None:
    """Attach the filter to the loggers that write request paths (idempotent)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactPrivateLinks) for f in logger.filters):
            logger.addFilter(RedactPrivateLinks())
