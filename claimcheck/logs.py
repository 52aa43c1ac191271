"""Logs as JSON lines on stderr, each carrying the id of the request it was written for.

One line per record, one format for every logger (ours, uvicorn's, Litestar's), so a log shipper
parses them all the same way. The request id lives in a context variable: the API's middleware
(``api.observe``) sets it for the duration of a request, and every record written in that
request's task carries it, whichever module wrote it. Work the request hands to a worker thread
(``run_in_executor`` does not copy the context) logs without one.

What goes in a line is what its caller passed: the message and the ``extra`` fields. Nothing
here reads requests, so nothing here can leak a header or a body; the API's access log names
the fields it writes (``api.observe``) and never includes the Authorization header, a query
string or a request body.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

#: The id of the request being served in this context, or None outside a request.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
# uvicorn adds a coloured copy of its message for terminals.
_IGNORED = frozenset({"color_message"})


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id"?, ...extra, "error"?}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = record.__dict__.get("request_id") or REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in _IGNORED and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["error"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dict: every logger to stderr through :class:`JsonFormatter`.

    uvicorn applies it in each worker process (``uvicorn.Config(log_config=...)``); its own access
    log is switched off there, since the API writes one line per request itself.
    """
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
        },
        "root": {"handlers": ["stderr"], "level": upper},
        "loggers": {
            # Their own handlers would print a second, non-JSON copy: they go through the root's.
            "uvicorn": {"handlers": [], "level": upper, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": upper, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": upper, "propagate": True},
            "litestar": {"handlers": [], "level": upper, "propagate": True},
        },
    }
