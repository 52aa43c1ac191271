"""Every client error as a 4xx/5xx JSON body whose ``detail`` a client developer can act on.

The body is ``{"status_code", "detail", "extra"?}`` — the shape Litestar's OpenAPI document gives
its error responses, so what is documented is what is sent. Litestar's own validation message is
"Validation failed for POST /v1/claims/check"; the useful part (unknown field, wrong type, out of
range) sits in ``extra``, so this handler lifts it into ``detail`` and keeps the list in ``extra``.

The exception classes below exist so that each route can name, in ``raises=[...]``, every status
it can answer with, and the OpenAPI document lists them.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    ServiceUnavailableException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE

from api.scheduler import OverloadError
from claimcheck.storage import ReadOnlyStore, StorageFull, StoreUnavailable

log = logging.getLogger("claimcheck.api")


class PayloadTooLarge(ClientException):
    status_code = 413
    detail = "request body too large"


class UnsupportedMediaType(ClientException):
    status_code = 415
    detail = "send JSON bodies with Content-Type: application/json"


class NothingToIndex(ClientException):
    status_code = 422
    detail = "the document has no sentence that could be indexed"


class Busy(ServiceUnavailableException):
    """503 with ``Retry-After``: the service is loading, saturated, or read-only."""

    detail = "the service cannot take this request now; retry after the time in Retry-After"


class InsufficientStorage(HTTPException):
    status_code = 507
    detail = "the data directory is full: nothing was written"


def _validation_detail(exc: ValidationException) -> str:
    extra = exc.extra
    if isinstance(extra, list) and extra:
        parts = []
        for item in extra:
            if isinstance(item, dict):
                message = str(item.get("message", "")).strip()
                key = item.get("key")
                parts.append(f"{message} (in {key})" if key and key not in message else message)
        joined = "; ".join(p for p in parts if p)
        if joined:
            return joined
    return str(exc.detail)


def error_body(exc: HTTPException) -> dict[str, Any]:
    """``{"status_code", "detail", "extra"?}`` for an error: an answer's body, or one bulk line's error."""
    detail = _validation_detail(exc) if isinstance(exc, ValidationException) else str(exc.detail)
    body: dict[str, Any] = {"status_code": exc.status_code, "detail": detail}
    if isinstance(exc, ValidationException) and exc.extra:
        body["extra"] = exc.extra
    return body


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    """Uniform ``{"status_code", "detail", "extra"?}`` bodies for our errors and Litestar's."""
    return Response(error_body(exc), status_code=exc.status_code, headers=getattr(exc, "headers", None))


def overload_handler(request: Request[Any, Any, Any], exc: OverloadError) -> Response[dict[str, Any]]:
    """A full queue is the client's cue to come back: 503 with how long to wait."""
    return Response(
        {"status_code": HTTP_503_SERVICE_UNAVAILABLE, "detail": str(exc)},
        status_code=HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(exc.retry_after)},
    )


def storage_full_handler(request: Request[Any, Any, Any], exc: StorageFull) -> Response[dict[str, Any]]:
    """507: the disk is full; nothing was written (or, for a delete, the document is still there)."""
    return Response({"status_code": InsufficientStorage.status_code, "detail": str(exc)}, status_code=507)


def read_only_handler(request: Request[Any, Any, Any], exc: ReadOnlyStore) -> Response[dict[str, Any]]:
    """503 without Retry-After: a read-only data directory is a deployment state, not a moment."""
    return Response(
        {"status_code": HTTP_503_SERVICE_UNAVAILABLE, "detail": str(exc)},
        status_code=HTTP_503_SERVICE_UNAVAILABLE,
    )


def store_unavailable_handler(
    request: Request[Any, Any, Any], exc: StoreUnavailable
) -> Response[dict[str, Any]]:
    """503 with ``Retry-After``: the shared store is out of reach for the moment (a replica's
    database restarting or failing over); the client, or the load balancer, tries again."""
    return Response(
        {"status_code": HTTP_503_SERVICE_UNAVAILABLE, "detail": str(exc)},
        status_code=HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": "1"},
    )


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """A bug is a 500 with a generic message; the traceback goes to the log, not to the client."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return Response(
        {"status_code": 500, "detail": "internal server error"},
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
    )
