"""GET /health: 200 only once the model and index are loaded; says whether writes are possible."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from api import examples
from api.access import ACCESS
from api.runtime import Runtime
from api.schemas import HealthBody


@get(
    "/health",
    summary="Readiness, and whether the service can store documents",
    sync_to_thread=False,
    opt={ACCESS: "probe"},
    responses={
        HTTP_200_OK: examples.answer(
            HealthBody, "Ready: the model and index are loaded", "Serving the seeds", examples.HEALTH_OK
        ),
        HTTP_503_SERVICE_UNAVAILABLE: examples.answer(
            HealthBody, "Still loading the model and index", "Starting up", examples.HEALTH_LOADING
        ),
    },
)
def health(runtime: NamedDependency[Runtime]) -> Response[HealthBody]:
    checker = runtime.checker
    if checker is None:
        return Response(HealthBody("loading", 0, 0), status_code=HTTP_503_SERVICE_UNAVAILABLE)
    stats = checker.stats()
    body = HealthBody("ok", stats.documents, stats.paragraphs, stats.mode, stats.disk_full, stats.storage)
    return Response(body, status_code=HTTP_200_OK)
