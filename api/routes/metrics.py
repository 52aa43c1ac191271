"""GET /metrics: the Prometheus scrape (``api.metrics`` says what is in it).

A read: open like every read, and behind a key when ``CLAIMCHECK_REQUIRE_READ_KEY`` is on
(Prometheus sends one with ``authorization: {credentials: <key>}`` in its scrape config). It holds
counts, sizes and route templates only, no claim, document or key. It is not rate limited, and it
is left out of the OpenAPI document: it is for the operator's scraper, not for API clients.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException

from api.access import ACCESS
from api.metrics import Metrics


@get(
    "/metrics",
    summary="Prometheus metrics",
    opt={ACCESS: "read"},
    raises=[NotAuthorizedException],
    include_in_schema=False,
    sync_to_thread=False,
)
def scrape(request: Request[Any, Any, Any], metrics: NamedDependency[Metrics]) -> Response[bytes]:
    body, content_type = metrics.exposition(request.headers.get("accept"))
    return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})
