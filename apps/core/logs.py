"""The portal's log lines: one JSON object a line in production, readable text in development.

Every record carries the request's client address and signed-in user when it is written
during a request (``RequestContextFilter``, fed by apps.accounts.request_log); events add
their own fields with ``extra={...}`` (``event``, ``job_id``, ``rows`` …). Nothing personal
goes in: loggers pass ids and counts, never names, phones or ID numbers, and the formatter
masks any run of nine or more digits (a CCCD, an old ID card, a phone number) that reaches
a message or a traceback anyway — a database error quoting a duplicate key, for instance.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# What the current request says about every record written while it is served.
request_context: ContextVar[dict[str, Any] | None] = ContextVar("request_context", default=None)

# The attributes every LogRecord has; whatever else a record holds came from ``extra``.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Django's own records carry the request and the server's socket objects: not for the log.
_NOT_LOGGED = frozenset({"request", "server_time", "status_code"})
_LONG_DIGITS = re.compile(r"\d{9,}")


def mask_digits(text: str) -> str:
    """Masks runs of nine or more digits: ID numbers and phone numbers never reach the log whole."""
    return _LONG_DIGITS.sub(lambda match: match[0][:2] + "*" * (len(match[0]) - 2), text)


class RequestContextFilter(logging.Filter):
    """Adds ``client`` and ``user_id`` of the request being served, unless the record names its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = request_context.get()
        if context:
            for key, value in context.items():
                if not hasattr(record, key):
                    setattr(record, key, value() if callable(value) else value)
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    return {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD_ATTRIBUTES and key not in _NOT_LOGGED and not key.startswith("_")
    }


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the record's fields, the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_digits(record.getMessage()),
            **_fields(record),
        }
        if record.exc_info:
            entry["exception"] = mask_digits(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For a developer's terminal: the usual line, then the record's fields as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        return mask_digits(f"{line} {fields}" if fields else line)
