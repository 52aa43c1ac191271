"""The Litestar app factory and its lifespan.

``create_app`` takes its dependencies: tests pass a checker built from session-scoped models; in
production the lifespan loads the models (once per worker process), opens the store and index,
ingests ``seeds/`` into an empty data directory, and only then reports healthy.

What protects the service is assembled here, each piece in its own module: API keys
(``api.keys``), the per-route access guard and rate limits (``api.access``), strict JSON bodies
(``api.body``), allowed ``Host`` names (``api.hosts``), bounded work queues
(``api.scheduler``). README, "Security", says what each one stops.

What watches it is wired here too: the metrics (``api.metrics``, served at ``/metrics``) and the
request id and access log (``api.observe``), which wraps the whole app, outside routing, so that
404s and the other answers no handler gives are counted and logged too. Litestar's own logging
set-up is off: it would replace the root logger's handlers with its own format, and the process
configures logging once, as JSON lines (``claimcheck.logs``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial

from litestar import Litestar
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from api.access import BEARER_SCHEME, AccessGuard, RatePolicy
from api.body import StrictJSONRequest
from api.errors import (
    Busy,
    http_exception_handler,
    internal_error_handler,
    overload_handler,
    read_only_handler,
    storage_full_handler,
    store_unavailable_handler,
)
from api.heap import freeze_loaded, thaw
from api.hosts import allowed_hosts_middleware
from api.keys import load_keys
from api.metrics import Metrics
from api.observe import Observe
from api.routes.bulk import post_documents_bulk
from api.routes.claimreview import claim_review_draft
from api.routes.claims import check_claim, check_claims
from api.routes.desk import desk, static_files, template_config
from api.routes.documents import delete_document, get_document, list_documents, post_document
from api.routes.health import health
from api.routes.metrics import scrape
from api.routes.options import allowed_methods
from api.runtime import Runtime
from api.scheduler import OverloadError
from claimcheck.checker import Checker
from claimcheck.settings import Settings
from claimcheck.startup import open_checker
from claimcheck.storage import ReadOnlyStore, StorageFull, StoreUnavailable

log = logging.getLogger("claimcheck")

# Bytes of JSON per character of document text at most (\\uXXXX escapes), plus the other fields.
_BODY_BYTES_PER_CHAR = 4
_BODY_OVERHEAD = 65536


_DESCRIPTION = """\
Which sentences of the indexed news articles support a claim (or state its opposite), which
sources carry each sentence (outlet, byline, date, URL, character offsets into the text), and
whether each reports it in its own voice or as an allegation, with who said it and who denies it.

**Use.** `POST /v1/claims/check` with `{"claim": "..."}`; `POST /v1/documents` to add an article
(posting an existing id replaces it). A claim nothing supports gets an empty `evidence` list.

**Keys.** Writes (`POST` and `DELETE` on documents) need `Authorization: Bearer <key>`; checks
and reads are open unless the service requires a key for them too. A request that sends a wrong
key is refused (401) even on an open check or read.

**Errors.** Every 4xx and 5xx has a JSON body `{"status_code", "detail", "extra"?}`; `detail`
says what is wrong in words (empty claim, unknown field, document too large, unknown id).
429 and 503 carry `Retry-After`. Bad input is never a 500.

**Tracing.** Every answer carries `X-Request-ID`: the one the client sent (1 to 128 characters of
`A-Za-z0-9._-`) or a new one; the service's log lines for that request carry the same id.
"""


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="claimcheck: claim provenance checker",
        version="1",
        description=_DESCRIPTION,
        components=Components(
            security_schemes={
                BEARER_SCHEME: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="An API key from CLAIMCHECK_API_KEYS or the data directory's api_key file",
                )
            }
        ),
    )


def create_app(
    settings: Settings | None = None,
    checker: Checker | None = None,
    checker_loader: Callable[[Settings], Checker] = open_checker,
) -> Litestar:
    """Build the app. With ``checker`` given, nothing is loaded and nothing is closed on shutdown."""
    settings = settings or Settings.from_env()
    keys = load_keys(settings.api_keys, settings.data_dir)
    guard = AccessGuard(
        keys,
        RatePolicy.parse(settings.check_rate, settings.keyed_check_rate, settings.write_rate),
        settings.require_read_key,
    )
    metrics = Metrics()
    runtime = Runtime(
        checker=checker,
        max_queued_checks=settings.max_queued_checks,
        max_queued_writes=settings.max_queued_writes,
        check_budget_seconds=settings.check_budget_seconds,
        on_checked=metrics.record_checks,
        on_ingested=metrics.record_ingest,
    )
    metrics.watch(runtime)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        runtime.start()
        owned = runtime.checker is None
        if owned:
            runtime.checker = await runtime.write(partial(checker_loader, settings))
            frozen = freeze_loaded()
            log.info("loaded objects frozen out of full garbage collections", extra={"objects": frozen})
        try:
            yield
        finally:
            if owned and runtime.checker is not None:
                await runtime.write(runtime.checker.close)
            if owned:
                thaw()
            runtime.shutdown()

    def provide_checker(runtime: NamedDependency[Runtime]) -> Checker:
        # Taking ``runtime`` although the closure has it: a route asking for both then resolves them
        # one after the other, where two independent ones cost Litestar a task group per request.
        if runtime.checker is None:
            raise Busy("the service is still loading its model and index", headers={"Retry-After": "10"})
        return runtime.checker

    app = Litestar(
        route_handlers=[
            allowed_methods,  # first: a path's OPTIONS handler must exist before Litestar adds its own
            check_claim,
            check_claims,
            claim_review_draft,
            post_document,
            post_documents_bulk,
            get_document,
            list_documents,
            delete_document,
            health,
            scrape,
            desk,
            static_files(),
        ],
        dependencies={
            "runtime": Provide(lambda: runtime, sync_to_thread=False),
            "checker": Provide(provide_checker, sync_to_thread=False),
            "settings": Provide(lambda: settings, sync_to_thread=False),
            "metrics": Provide(lambda: metrics, sync_to_thread=False),
        },
        guards=[guard],
        request_class=StrictJSONRequest,
        middleware=[allowed_hosts_middleware(settings.allowed_hosts)],
        exception_handlers={
            HTTPException: http_exception_handler,
            OverloadError: overload_handler,
            StorageFull: storage_full_handler,
            ReadOnlyStore: read_only_handler,
            StoreUnavailable: store_unavailable_handler,
            Exception: internal_error_handler,
        },
        openapi_config=openapi_config(),
        template_config=template_config(),
        lifespan=[lifespan],
        request_max_body_size=settings.max_document_chars * _BODY_BYTES_PER_CHAR + _BODY_OVERHEAD,
        logging_config=None,
    )
    app.asgi_handler = Observe(app.asgi_handler, metrics)
    return app
