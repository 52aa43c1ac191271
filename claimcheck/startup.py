"""Process start-up, in one place: thread pools, models, data directory, seed corpus, and the
HTTP server's processes and socket.

``open_checker`` is everything a process needs before it can answer (the API's lifespan and the
CLI call it). ``serve`` starts uvicorn with the API's app factory, named by its import string so
that each worker process builds its own app (and loads its own models) after the fork; the
application package never imports ``api``.

``open_checker`` creates the data directory private (0700) before anything is put in it, and copes
with one it cannot write: the server then starts read-only (no seeds ingested, writes refused,
``Checker.stats().writable`` False), and the encoder is loaded from an export it cannot lock.

Why not plain ``uvicorn.run(workers=N)``: uvicorn binds the shared socket as
``socket.socket(family)``, whose protocol number reads 0, and asyncio only sets TCP_NODELAY on
connections of sockets that say IPPROTO_TCP. Without it Nagle's algorithm holds each response's
body behind its headers until the client's delayed ACK: measured 60 ms per request on keep-alive
connections with two workers against 13 ms with one. Re-reading the bound socket from its file
descriptor reports the real protocol, and the workers then answer without that stall.

``serve`` also sets up what the workers report through: logging as JSON lines on stderr
(``claimcheck.logs``; uvicorn's access log is off, the API writes its own), and, for several
workers, a directory where prometheus-client's multiprocess mode keeps each worker's counters so
that a scrape of any worker sums them all (``api.metrics``).
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from claimcheck.checker import Checker
from claimcheck.logs import logging_config
from claimcheck.settings import Settings
from claimcheck.storage import create_private
from claimcheck.vectorspace import mismatch, peek
from store.faults import describe, is_out_of_space, is_read_only

if TYPE_CHECKING:
    from embeddings.backends import EncoderBackend
    from embeddings.encoder import Encoder

log = logging.getLogger("claimcheck")

APP_FACTORY = "api.app:create_app"
METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def open_checker(settings: Settings) -> Checker:
    """Everything a serving process needs, in order; seeds go into an empty, writable store only."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from corpus.nlp import load_pipeline
    from embeddings.encoder import configure_threads
    from verification import Verifier

    if not settings.read_only:
        create_private(settings.data_dir)  # before the model cache, which defaults to inside it
    configure_threads(settings.torch_threads, settings.faiss_threads)
    encoder = _load_encoder(settings)
    checker = Checker.open(
        settings.data_dir,
        encoder,
        load_pipeline(),
        claim_nlp=load_pipeline(),
        verifier=Verifier.shipped(),
        read_only=settings.read_only,
        reserve_bytes=settings.reserve_bytes,
        cache_size=settings.check_cache_size,
        store_url=settings.store_url,
    )
    stats = checker.stats()
    if stats.documents == 0 and settings.seeds_dir is not None and settings.seeds_dir.is_dir():
        if not stats.writable:
            log.warning("the store is empty but read-only: seeds from %s not ingested", settings.seeds_dir)
            return checker
        seeds = sorted(p for p in settings.seeds_dir.iterdir() if p.is_file() and not p.name.startswith("."))
        results = checker.ingest_files(seeds)
        checker.save()
        log.info("ingested %d seed documents from %s", len(results), settings.seeds_dir)
    return checker


def encoder_backend(settings: Settings) -> EncoderBackend:
    """The configured encoder; unset, the one that made the data directory's vectors (so changing
    the default never strands a data directory), or ``DEFAULT_BACKEND`` for a new one."""
    from embeddings.backends import DEFAULT_BACKEND, backend_for_space

    if settings.encoder_backend is not None:
        return settings.encoder_backend
    held = peek(settings.data_dir, settings.store_url)
    recorded = backend_for_space(held) if held is not None else None
    return recorded or DEFAULT_BACKEND


def check_encoder(settings: Settings) -> None:
    """Raise ``EncoderMismatchError`` when the configured encoder is not the one that made the data
    directory's vectors (``Checker.open`` refuses it too; this says so before any model loads)."""
    from embeddings.backends import vector_space

    held = peek(settings.data_dir, settings.store_url)
    space = vector_space(encoder_backend(settings))
    if held is not None and held != space:
        raise mismatch(settings.data_dir, held, space)


def encoder_for(settings: Settings) -> Encoder:
    """The encoder ``settings`` name, loaded as a serving process loads it (``open_checker``): also
    how each vector worker of a Ray ingest (``claimcheck.cluster``) loads its own."""
    return _load_encoder(settings)


def _load_encoder(settings: Settings) -> Encoder:
    """The encoder, from the model cache; from an export the cache holds but cannot be locked or
    written (a read-only data directory or image), or else exported into a private temp directory.
    """
    from embeddings.backends import BATCH_SIZE, ONNX_FILE_NAME, load_encoder, vector_space
    from embeddings.encoder import model_path
    from embeddings.onnx_encoder import OnnxMiniLMEncoder, export_is_current
    from embeddings.quantize import quantization_is_current, quantized_path

    backend = encoder_backend(settings)
    cache = settings.model_cache or settings.data_dir / "models"
    try:
        return load_encoder(backend, cache, settings.torch_threads)
    except OSError as exc:
        if not (is_read_only(exc) or is_out_of_space(exc, cache)):
            raise
        reason = describe(exc)
    fp32_path, source = cache / ONNX_FILE_NAME, model_path()
    usable: Path | None = None
    if export_is_current(source, fp32_path):
        if backend == "onnx":
            usable = fp32_path
        elif backend == "onnx-int8" and quantization_is_current(fp32_path):
            usable = quantized_path(fp32_path)
    if usable is not None:
        log.info("model cache %s cannot be written (%s): using its export as it is", cache, reason)
        return OnnxMiniLMEncoder(
            usable, source, batch_size=BATCH_SIZE, threads=settings.torch_threads, space=vector_space(backend)
        )
    private = Path(tempfile.mkdtemp(prefix="claimcheck-models-"))
    log.warning("model cache %s cannot be written (%s): exporting into %s", cache, reason, private)
    return load_encoder(backend, private, settings.torch_threads)


def serve(host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Serve the API; each worker process loads its own models and index in the app's lifespan."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from claimcheck.server import MAX_CONNECTIONS, SERVING_PROTOCOL, TcpConfig

    # A malformed setting, or an encoder the data directory's vectors were not made by, fails
    # here, once, rather than in every worker.
    check_encoder(Settings.from_env())
    # stderr carries JSON lines only: no progress bar while the workers load the model.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if workers > 1 or os.environ.get(METRICS_DIR_ENV):
        prepare_metrics_dir()

    config = TcpConfig(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        log_config=logging_config(log_level),
        access_log=False,
        http=SERVING_PROTOCOL,
        limit_concurrency=MAX_CONNECTIONS,
        server_header=False,
    )
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()


def prepare_metrics_dir() -> Path:
    """An empty directory for the workers' metric files, named in ``PROMETHEUS_MULTIPROC_DIR``
    before they start (prometheus-client reads it at import). One given there is emptied of an
    earlier run's files, which would otherwise add to this run's counts; without one, a private
    temporary directory is made and removed at exit."""
    given = os.environ.get(METRICS_DIR_ENV)
    if given:
        directory = Path(given)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
    else:
        directory = Path(tempfile.mkdtemp(prefix="claimcheck-metrics-"))
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        os.environ[METRICS_DIR_ENV] = str(directory)
    return directory
