"""The Litestar app factory and its lifespan.

``create_app`` takes its dependencies: tests pass a checker built from session-scoped models; in
production the lifespan loads the models (once per worker process), opens the store and index,
ingests ``seeds/`` into an empty data directory, and only then reports healthy.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.di import Provide
from litestar.exceptions import HTTPException

from api.errors import http_exception_handler, internal_error_handler
from api.routes.claims import check_claim, check_claims
from api.routes.documents import delete_document, get_document, list_documents, post_document
from api.routes.health import health
from api.runtime import Runtime
from claimcheck.checker import Checker
from claimcheck.settings import Settings
from claimcheck.startup import open_checker

log = logging.getLogger("claimcheck")


def create_app(
    settings: Settings | None = None,
    checker: Checker | None = None,
    checker_loader: Callable[[Settings], Checker] = open_checker,
) -> Litestar:
    """Build the app. With ``checker`` given, nothing is loaded and nothing is closed on shutdown."""
    settings = settings or Settings.from_env()
    runtime = Runtime(checker=checker)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        owned = runtime.checker is None
        if owned:
            runtime.checker = await asyncio.get_running_loop().run_in_executor(
                runtime.write_executor, checker_loader, settings
            )
        try:
            yield
        finally:
            if owned and runtime.checker is not None:
                await runtime.write(runtime.checker.close)
            runtime.shutdown()

    def provide_checker() -> Checker:
        if runtime.checker is None:
            raise HTTPException(status_code=503, detail="the service is still loading its model and index")
        return runtime.checker

    return Litestar(
        route_handlers=[
            check_claim,
            check_claims,
            post_document,
            get_document,
            list_documents,
            delete_document,
            health,
        ],
        dependencies={
            "runtime": Provide(lambda: runtime, sync_to_thread=False),
            "checker": Provide(provide_checker, sync_to_thread=False),
            "settings": Provide(lambda: settings, sync_to_thread=False),
        },
        exception_handlers={HTTPException: http_exception_handler, Exception: internal_error_handler},
        lifespan=[lifespan],
        request_max_body_size=settings.max_document_chars * 4 + 65536,
    )
