"""Every client error as a 4xx JSON body whose ``detail`` a client developer can act on.

Litestar's own validation message is "Validation failed for POST /v1/claims/check"; the useful
part (unknown field, wrong type, out of range) sits in ``extra``. This handler lifts it into
``detail`` and keeps the structured list for tools.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR


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


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    """Uniform ``{"status_code", "detail", "errors"?}`` bodies for our errors and Litestar's."""
    detail = _validation_detail(exc) if isinstance(exc, ValidationException) else str(exc.detail)
    body: dict[str, Any] = {"status_code": exc.status_code, "detail": detail}
    if isinstance(exc, ValidationException) and exc.extra:
        body["errors"] = exc.extra
    return Response(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """A bug is a 500 with a generic message; the traceback goes to the log, not to the client."""
    request.logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return Response(
        {"status_code": 500, "detail": "internal server error"},
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
    )
