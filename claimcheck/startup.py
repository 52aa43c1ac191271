"""Process start-up, in one place: thread pools, models, data directory, seed corpus, and the
HTTP server's processes and socket.

``open_checker`` is everything a process needs before it can answer (the API's lifespan and the
CLI call it). ``serve`` starts uvicorn with the API's app factory, named by its import string so
that each worker process builds its own app (and loads its own models) after the fork; the
application package never imports ``api``.

Why not plain ``uvicorn.run(workers=N)``: uvicorn binds the shared socket as
``socket.socket(family)``, whose protocol number reads 0, and asyncio only sets TCP_NODELAY on
connections of sockets that say IPPROTO_TCP. Without it Nagle's algorithm holds each response's
body behind its headers until the client's delayed ACK: measured 60 ms per request on keep-alive
connections with two workers against 13 ms with one. Re-reading the bound socket from its file
descriptor reports the real protocol, and the workers then answer without that stall.
"""

from __future__ import annotations

import logging
import os
import socket

from claimcheck.checker import Checker
from claimcheck.settings import Settings

log = logging.getLogger("claimcheck")

APP_FACTORY = "api.app:create_app"


def open_checker(settings: Settings) -> Checker:
    """Everything a serving process needs, in order; seeds go into an empty store only."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from corpus.nlp import load_pipeline
    from embeddings.backends import load_encoder
    from embeddings.encoder import configure_threads
    from verification import Verifier

    configure_threads(settings.torch_threads, settings.faiss_threads)
    cache = settings.model_cache or settings.data_dir / "models"
    encoder = load_encoder(settings.encoder_backend, cache, settings.torch_threads)
    checker = Checker.open(
        settings.data_dir,
        encoder,
        load_pipeline(),
        claim_nlp=load_pipeline(),
        verifier=Verifier.shipped(),
    )
    if checker.stats().documents == 0 and settings.seeds_dir is not None and settings.seeds_dir.is_dir():
        seeds = sorted(p for p in settings.seeds_dir.iterdir() if p.is_file() and not p.name.startswith("."))
        results = checker.ingest_files(seeds)
        checker.save()
        log.info("ingested %d seed documents from %s", len(results), settings.seeds_dir)
    return checker


def serve(host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Serve the API; each worker process loads its own models and index in the app's lifespan."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from claimcheck.server import MAX_CONNECTIONS, deadline_protocol

    settings = Settings.from_env()

    class TcpConfig(uvicorn.Config):
        def bind_socket(self) -> socket.socket:
            bound = super().bind_socket()
            # socket(fileno=...) detects family, type and protocol from the descriptor itself.
            tcp = socket.socket(fileno=bound.detach())
            tcp.set_inheritable(True)
            return tcp

    config = TcpConfig(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        http=deadline_protocol(settings.header_timeout_seconds, settings.body_timeout_seconds),
        limit_concurrency=MAX_CONNECTIONS,
        server_header=False,
    )
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()
