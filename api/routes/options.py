"""OPTIONS on every path: ``Allow`` lists exactly the methods the path serves.

Litestar generates an OPTIONS handler when a path is first registered and does not update it
when a second handler joins the same path, so ``OPTIONS /v1/documents`` said ``OPTIONS, POST``
while GET worked too. This one handler reads the app's route map at request time instead.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, route
from litestar.enums import HttpMethod
from litestar.status_codes import HTTP_204_NO_CONTENT

from api.access import ACCESS

PATHS = [
    "/v1/claims/check",
    "/v1/claims/check-batch",
    "/v1/claims/claimreview",
    "/v1/documents",
    "/v1/documents/bulk",
    "/v1/documents/{document_id:str}",
    "/health",
]


@route(
    PATHS,
    http_method=[HttpMethod.OPTIONS],
    status_code=HTTP_204_NO_CONTENT,
    include_in_schema=False,
    sync_to_thread=False,
    opt={ACCESS: "probe"},
)
def allowed_methods(request: Request[Any, Any, Any]) -> Response[None]:
    template = request.scope["path_template"]
    served = next((r.methods for r in request.app.routes if template in (r.path, r.path_format)), set())
    methods = sorted({str(method) for method in served} | {"OPTIONS"})
    return Response(None, status_code=HTTP_204_NO_CONTENT, headers={"Allow": ", ".join(methods)})
