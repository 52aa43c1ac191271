"""Every HTTP request: a request id, one access-log line, and the request metrics.

Pure ASGI, wrapped around the whole Litestar app (``create_app`` puts it outside routing and
exception handling), so it sees every answer, including the ones no route handler produced: 404
for an unknown path, 405, a refused ``Host``, 413, validation 400s, 503s.

The request id is the client's ``X-Request-ID`` when that is sane (1 to 128 characters of
``A-Za-z0-9._-``, so it cannot forge log lines or grow without bound), else a fresh uuid4 hex. It
is echoed in the response's ``X-Request-ID`` header and set in ``claimcheck.logs.REQUEST_ID`` for
the request's duration, so every log record written while serving it carries it.

The access line holds the request id, method, route template, path (never the query string,
which can carry a claim), status, duration, response bytes and client address, plus whatever the
handler added with :func:`annotate` (sizes and outcomes, never text). Headers and bodies are not
logged, so neither the API key nor a document's text can reach the log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import UNMATCHED_ROUTE, Metrics
from claimcheck.logs import REQUEST_ID

HEADER = "X-Request-ID"
_HEADER_KEY = HEADER.lower().encode("latin-1")
_SANE_ID = re.compile(rb"[A-Za-z0-9._-]{1,128}")
_MAX_LOGGED_PATH = 200

access_log = logging.getLogger("claimcheck.access")

_FIELDS: ContextVar[dict[str, Any] | None] = ContextVar("access_fields", default=None)


def annotate(**fields: str | int | float | bool | None) -> None:
    """Add fields to the current request's access-log line (counts and sizes, not user text)."""
    current = _FIELDS.get()
    if current is not None:
        current.update(fields)


def request_id_from(scope: Scope) -> str:
    """The client's id when it is sane, otherwise a new one."""
    for name, value in scope["headers"]:
        if name == _HEADER_KEY:
            if _SANE_ID.fullmatch(value):
                return value.decode("ascii")
            break
    return uuid.uuid4().hex


class Observe:
    """The ASGI wrapper; ``metrics`` counts the requests it sees."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        id_token = REQUEST_ID.set(request_id)
        fields: dict[str, Any] = {}
        fields_token = _FIELDS.set(fields)
        started = time.perf_counter()
        answer = {"status": 500, "bytes": 0}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != _HEADER_KEY]
                headers.append((_HEADER_KEY, request_id.encode("ascii")))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                answer["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            access_log.exception("request failed before it was answered")
            raise
        finally:
            seconds = time.perf_counter() - started
            route = scope.get("path_template") or UNMATCHED_ROUTE
            method = str(scope.get("method", ""))
            self.metrics.observe_request(method, route, answer["status"], seconds)
            self._log(scope, route, answer, seconds, fields)
            _FIELDS.reset(fields_token)
            REQUEST_ID.reset(id_token)

    @staticmethod
    def _log(
        scope: Scope, route: str, answer: dict[str, int], seconds: float, fields: dict[str, Any]
    ) -> None:
        client = scope.get("client")
        status = answer["status"]
        access_log.log(
            logging.WARNING if status >= 500 else logging.INFO,
            "%s %s %d",
            scope.get("method", ""),
            route,
            status,
            extra={
                "method": scope.get("method", ""),
                "route": route,
                "path": scope.get("path", "")[:_MAX_LOGGED_PATH],
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "response_bytes": answer["bytes"],
                "client": client[0] if client else None,
                **{k: v for k, v in fields.items() if k not in _RESERVED},
            },
        )


# The access line's own fields, and the LogRecord attributes ``extra`` may not overwrite.
_RESERVED = (
    frozenset({"method", "route", "path", "status", "duration_ms", "response_bytes", "client", "request_id"})
    | frozenset(logging.makeLogRecord({}).__dict__)
    | {"message", "asctime"}
)
