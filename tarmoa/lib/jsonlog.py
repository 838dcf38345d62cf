"""One JSON object per log line (`LOG_FORMAT=json`), and the request id that ties lines together.

Each line has `time` (UTC, ISO 8601), `level`, `logger`, `message`, the `request_id` of
the request being served (when there is one), `exception` with the traceback when one
was logged, and any extra fields a caller passed that are plain values (strings,
numbers, booleans). Objects such as Django's `request` are left out on purpose: their
repr would carry the full URL with its query string.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("tarmoa_request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}
_PLAIN = (str, int, float, bool, type(None))


_TOKEN_LIKE = re.compile(r"[^/]{25,}")


def safe_path(request: object) -> str:
    """The URL pattern that matched, else the path with long (token-like) segments masked."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return f"/{match.route}"
    return _TOKEN_LIKE.sub("…", str(getattr(request, "path", "")))


class RequestIdFilter(logging.Filter):
    """Puts the request's id on every record (`-` outside a request), and keeps request paths
    out of Django's own request records ("Not Found: /kysely/tulos/<secret>/")."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None) or request_id_var.get() or "-"
        if request is not None and isinstance(record.args, tuple):
            raw = {getattr(request, "path", None), getattr(request, "get_full_path", lambda: None)()}
            record.args = tuple(safe_path(request) if arg in raw else arg for arg in record.args)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id and request_id != "-":
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # ensure_ascii keeps a line one line whatever the message holds (newlines are escaped).
        return json.dumps(entry, ensure_ascii=True, default=str)
