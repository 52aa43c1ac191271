"""Bulk ingest as a Ray Data pipeline: the two analysis stages on every core of a cluster, the
writer in this process.

The pipeline is ``claimcheck ingest --ray`` (``--ray-address`` for an existing cluster):

1. **read and language** (``map_batches``, :class:`LanguageStage` actors, spaCy loaded once per
   actor): each actor reads the input's pieces it is handed (``claimcheck.shards``: line ranges of
   JSON Lines, row ranges of Parquet, runs of document files) on the node where it runs, every
   line or row becoming a document's fields or a failure that names it; each document is
   validated as the API validates it (``claimcheck.backends.submission_of``), then
   ``claimcheck.ingest.analyse`` runs over batches of them: parse, spaCy, frames, terms;
2. **vectors** (``map_batches``, :class:`VectorStage` actors, the encoder loaded once per actor):
   ``claimcheck.ingest.embed`` over the batch;
3. **write** (this process): the rows come back in input order (``preserve_order``) and each
   analysed document goes through ``Checker.commit``, the commit path of every other ingest: one
   transaction per document, acknowledged only once committed. A crash loses only documents not
   yet acknowledged, and never leaves half a document; the store is written by this process alone,
   so the cluster's nodes need the models and the input files, never the data directory.

Each actor runs one torch, one faiss and one BLAS thread (as a serving process does): Ray, not
the libraries' thread pools, spreads the work over the cores. A bad line (not JSON, a field the
API refuses, too large, nothing to index) becomes a failure row that travels with the others and
is reported in its place; the lines around it are ingested. Between stages, documents travel as
pickles of the same dataclasses the single-process pipeline hands between its threads.

Ray is imported only here, and only when a command asks for it: ``claimcheck --help`` and the
ordinary ingest never load it.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import msgspec

from claimcheck.backends import BackendError, Ingested, Outcome, submission_of
from claimcheck.inputs import Failure
from claimcheck.shards import Piece, read

if TYPE_CHECKING:
    import pyarrow as pa

    from claimcheck.checker import Checker
    from claimcheck.requests import Submission
    from claimcheck.settings import Settings

log = logging.getLogger("claimcheck")

# Documents per language batch and per vector batch: the single-process pipeline's batch.
BATCH_DOCUMENTS = 32


@dataclass(frozen=True, slots=True)
class Workers:
    """How many actors each stage runs, and the CPUs Ray reserves for each actor."""

    language: int
    vector: int
    cpus_each: float


def workers_for(cpus: float, language: int | None = None, vector: int | None = None) -> Workers:
    """Actors for a cluster of ``cpus`` CPUs: the encoder takes about three quarters of a
    document's CPU time (README, "What bounds ingest"), so a quarter of the CPUs parse and the
    rest embed, at least one of each. The actors share the CPUs evenly between them (Ray's
    reservations are logical; the writer runs outside the cluster).
    """
    whole = max(1, int(cpus))
    parse = language or max(1, round(whole / 4))
    embed = vector or max(1, whole - parse)
    return Workers(parse, embed, min(1.0, cpus / (parse + embed)))


@dataclass(frozen=True, slots=True)
class RayOptions:
    """Where the pipeline runs and what its workers load.

    ``address`` None starts Ray on this machine (every CPU of it, no dashboard) for the run and
    stops it after; an address (``ray://…`` or ``host:port``, or ``auto``) joins that cluster and
    leaves it running. ``settings`` are the ones the workers load their models by (the encoder
    backend must be the data directory's, see :func:`ingest`); ``language``/``vector`` override
    the actor counts of :func:`workers_for`.
    """

    settings: Settings
    address: str | None = None
    language: int | None = None
    vector: int | None = None


class LanguageStage:
    """Reading and the language stage as a Ray actor: the spaCy pipeline loaded once, one thread.

    Each call takes pieces of the input (``claimcheck.shards``) and reads them here: reading is
    cheap beside spaCy, and a separate read step would be Ray tasks that reserve no CPU, for
    which Ray starts a worker process each (measured: 16 processes on 2 cores).
    """

    def __init__(self, max_document_chars: int) -> None:
        from corpus.nlp import load_pipeline
        from embeddings.encoder import configure_threads

        configure_threads(1, 1)
        self.nlp = load_pipeline()
        self.limit = max_document_chars

    def __call__(self, batch: pa.Table) -> pa.Table:
        from claimcheck.ingest import analyse

        labels: list[str] = []
        reasons: list[str | None] = []
        payloads: list[bytes | None] = []
        waiting: list[tuple[int, Submission]] = []  # rows whose submissions go to ``analyse``

        def flush() -> None:
            documents = analyse([submission for _, submission in waiting], self.nlp)
            for (at, _), document in zip(waiting, documents, strict=True):
                refusal = document.refusal()
                if refusal is not None:
                    reasons[at] = str(refusal)
                else:
                    payloads[at] = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
            waiting.clear()

        for row in batch.to_pylist():
            for entry in read(Piece(**row)):
                labels.append(entry.label)
                payloads.append(None)
                outcome = entry if isinstance(entry, Failure) else submission_of(entry, self.limit)
                reasons.append(outcome.reason if isinstance(outcome, Failure) else None)
                if not isinstance(outcome, Failure):
                    waiting.append((len(labels) - 1, outcome))
                    if len(waiting) == BATCH_DOCUMENTS:
                        flush()
        if waiting:
            flush()
        return _table(labels, reasons, payloads)


class VectorStage:
    """The vector stage as a Ray actor: the encoder loaded once (from the node's model cache, or
    exported into a private directory when that cannot be written), one thread."""

    def __init__(self, settings: Settings, space: str) -> None:
        from claimcheck.startup import encoder_for
        from embeddings.encoder import configure_threads

        configure_threads(1, 1)
        self.encoder = encoder_for(settings)
        if self.encoder.space != space:
            raise RuntimeError(
                f"this node's encoder computes {self.encoder.space!r} vectors, the data directory "
                f"holds {space!r}: install the same model on every node"
            )

    def __call__(self, batch: pa.Table) -> pa.Table:
        from claimcheck.ingest import embed

        rows = batch.to_pylist()
        documents = [pickle.loads(row["payload"]) for row in rows if row["payload"] is not None]
        vectors = iter(zip(documents, embed(documents, self.encoder) if documents else [], strict=True))
        payloads = [
            None if row["payload"] is None else pickle.dumps(next(vectors), protocol=pickle.HIGHEST_PROTOCOL)
            for row in rows
        ]
        return _table([r["label"] for r in rows], [r["reason"] for r in rows], payloads)


def _table(labels: list[str], reasons: list[str | None], payloads: list[bytes | None]) -> pa.Table:
    import pyarrow as pa

    return pa.table(
        {
            "label": pa.array(labels, pa.string()),
            "reason": pa.array(reasons, pa.string()),
            "payload": pa.array(payloads, pa.binary()),
        }
    )


def ingest(checker: Checker, pieces: Sequence[Piece], options: RayOptions) -> Iterator[Outcome]:
    """Ingest the documents of ``pieces`` (:func:`claimcheck.shards.plan` of the input files)
    through the Ray pipeline into ``checker``'s store; one outcome per document, in input order,
    each :class:`Ingested` yielded once its document is committed.

    What stops the run (a read-only or full store, a cluster that cannot be reached) is a
    :class:`BackendError`; the documents acknowledged before it stay committed.
    """
    from claimcheck.storage import StorageError
    from embeddings.backends import backend_for_space

    try:
        checker.indexes.ensure_writable("no document was stored")
    except StorageError as error:
        raise BackendError(str(error)) from None
    if not pieces:
        return
    space = checker.encoder.space
    backend = backend_for_space(space)
    if backend is None:
        raise BackendError(f"no encoder here computes the data directory's {space!r} vectors")
    # What the vector workers load their encoder by; the API keys stay here (they are no worker's business).
    settings = replace(
        options.settings, encoder_backend=backend, torch_threads=1, faiss_threads=1, api_keys=()
    )
    started = _connect(options.address)
    try:
        for label, reason, payload in _rows(pieces, settings, space, options):
            if payload is None:
                yield Failure(label, reason or "not ingested")
                continue
            document, vectors = pickle.loads(payload)
            try:
                result = checker.commit(document, vectors)
            except StorageError as error:
                raise BackendError(str(error)) from None
            yield Ingested(label, msgspec.to_builtins(result))
    finally:
        if started:
            import ray

            ray.shutdown()


def _rows(
    pieces: Sequence[Piece], settings: Settings, space: str, options: RayOptions
) -> Iterator[tuple[str, str | None, bytes | None]]:
    """The pipeline's output rows, in input order: (label, failure reason, pickled document)."""
    import ray
    import ray.data

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False  # the command draws its own
    context.print_on_execution_start = False
    cpus = float(ray.cluster_resources().get("CPU", 1.0))  # type: ignore[no-untyped-call]
    workers = workers_for(cpus, options.language, options.vector)
    log.info("ray ingest: %d language and %d vector actors", workers.language, workers.vector)
    dataset = (
        ray.data.from_items([piece.row() for piece in pieces], override_num_blocks=len(pieces))
        .map_batches(
            LanguageStage,
            fn_constructor_kwargs={"max_document_chars": settings.max_document_chars},
            batch_size=1,  # one piece: up to PIECE_ROWS documents, analysed BATCH_DOCUMENTS at a time
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers.language),
            num_cpus=workers.cpus_each,
        )
        .map_batches(
            VectorStage,
            fn_constructor_kwargs={"settings": settings, "space": space},
            batch_size=BATCH_DOCUMENTS,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers.vector),
            num_cpus=workers.cpus_each,
        )
    )
    for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=2):
        table: pa.Table = batch
        columns = (table.column(name).to_pylist() for name in ("label", "reason", "payload"))
        yield from zip(*columns, strict=True)


def _connect(address: str | None) -> bool:
    """Join the cluster at ``address``, or start Ray on this machine; True when this call started
    it (and so stops it after the run). A Ray already initialised in this process is used as is."""
    import ray

    if ray.is_initialized():
        return False
    runtime_env = {"env_vars": {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}}
    try:
        if address:
            ray.init(address=address, runtime_env=runtime_env, logging_level=logging.WARNING)
        else:
            ray.init(
                num_cpus=os.cpu_count() or 1,
                include_dashboard=False,
                runtime_env=runtime_env,
                logging_level=logging.WARNING,
            )
    except (ConnectionError, RuntimeError, ValueError) as error:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise BackendError(f"cannot start or reach {where}: {error}") from None
    return True
