"""Prometheus metrics: what the service did (requests, checks, ingests) and what it holds now.

Counters and histograms are updated as things happen: every HTTP request by ``api.observe``,
every finished check through :meth:`Metrics.record_checks` (``api.runtime`` calls it wherever a
batch of ``CheckResult`` comes back: single checks, batches, ClaimReview drafts, the page), every
stored document through :meth:`Metrics.record_ingest` (``Runtime.on_ingested``, told by
``POST /v1/documents`` and by each committed line of a bulk ingest). What the service holds —
index size and layout, documents, queued work — is read at scrape time from the checker and the
runtime, so it is never stale and costs nothing between scrapes.

Each app has its own :class:`~prometheus_client.CollectorRegistry` rather than the library's
global one, so several apps in one process (a test session) do not collide or share counts.

Labels are bounded: a route is its path template (``/v1/documents/{document_id}``, never the raw
path), a path no route serves is ``<unmatched>``, an unknown method is ``other``.

Several worker processes (``claimcheck serve --workers N``): when ``PROMETHEUS_MULTIPROC_DIR``
names a directory (``serve`` sets one up), counters and histograms are kept in files there by
prometheus-client's multiprocess mode and a scrape of any worker sums all of them. The gauges read
at scrape time describe the worker that answered: the index and documents are the same in every
worker (one store), the queues are that worker's own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from api.runtime import Runtime
from claimcheck.results import CheckResult, IngestResult

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED_ROUTE = "<unmatched>"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds: a document read takes milliseconds, a check tens of ms to a second, a large ingest longer.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

Outcome = Literal["evidence", "contradicted", "none"]


def outcome(result: CheckResult) -> Outcome:
    """``evidence`` when a sentence supports the claim; else ``contradicted`` when one states its
    opposite; else ``none``. One outcome per check, so the three add up to the checks answered."""
    if result.evidence:
        return "evidence"
    return "contradicted" if result.contradicting else "none"


def method_label(method: str) -> str:
    return method if method in _METHODS else "other"


def multiprocess_dir() -> str | None:
    """The multiprocess directory when multiprocess mode is on (prometheus-client decides it from
    the environment when it is first imported)."""
    path = os.environ.get(MULTIPROC_ENV)
    return path if path and Path(path).is_dir() else None


class _HeldNow(Collector):
    """Gauges read at scrape time from the runtime: the checker's stats and the queues."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self) -> Iterable[Metric]:
        runtime = self.runtime
        queues = GaugeMetricFamily(
            "claimcheck_queue_depth",
            "Work waiting to start in this worker: claims waiting to be batched (claims), jobs "
            "waiting for the query thread (query), documents waiting for the write thread (write)",
            labels=["queue"],
        )
        queues.add_metric(["claims"], runtime.batcher.waiting)
        queues.add_metric(["query"], runtime.queries.waiting)
        queues.add_metric(["write"], runtime.writes.waiting)
        yield queues
        checker = runtime.checker
        yield GaugeMetricFamily(
            "claimcheck_ready", "1 once the model and index are loaded", value=int(checker is not None)
        )
        if checker is None:
            return
        stats = checker.stats()
        yield GaugeMetricFamily("claimcheck_index_documents", "Documents in the store", value=stats.documents)
        yield GaugeMetricFamily(
            "claimcheck_index_vectors", "Paragraph vectors in the FAISS index", value=stats.paragraphs
        )
        kind = GaugeMetricFamily(
            "claimcheck_index_info", "The FAISS index layout in use (flat, hnsw or ivf)", labels=["kind"]
        )
        kind.add_metric([stats.index_kind], 1)
        yield kind
        yield GaugeMetricFamily(
            "claimcheck_store_writable",
            "1 when documents can be written; 0 when read-only or the disk was full at start-up",
            value=int(stats.writable),
        )


class Metrics:
    """The app's metric objects and its registry; one per app."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        if multiprocess_dir() is None:  # per-process figures mean nothing summed over workers
            ProcessCollector(registry=self.registry)
            PlatformCollector(registry=self.registry)
            # Collections per generation: a full one stalls every thread (api.heap says why it is rare).
            GCCollector(registry=self.registry)
        labels = ["method", "route", "status"]
        self.requests = Counter(
            "claimcheck_http_requests",
            "HTTP requests answered, by method, route template and status",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "claimcheck_http_request_duration_seconds",
            "Time from a request's arrival to the end of its response, by method, route and status",
            labels,
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.checks = Counter(
            "claimcheck_checks",
            "Claims checked, by outcome: evidence (a sentence supports it), contradicted (none "
            "supports it, one states its opposite), none (neither)",
            ["outcome"],
            registry=self.registry,
        )
        for name in ("evidence", "contradicted", "none"):
            self.checks.labels(name)  # present at 0 from the start, so rates work from the first check
        self.ingested_documents = Counter(
            "claimcheck_ingested_documents",
            "Documents stored (a replaced id counts again)",
            registry=self.registry,
        )
        self.ingested_paragraphs = Counter(
            "claimcheck_ingested_paragraphs", "Paragraphs of the documents stored", registry=self.registry
        )
        self.ingested_sentences = Counter(
            "claimcheck_ingested_sentences", "Sentences of the documents stored", registry=self.registry
        )
        self._held: _HeldNow | None = None

    def watch(self, runtime: Runtime) -> None:
        """Report the runtime's checker stats and queue depths at every scrape."""
        self._held = _HeldNow(runtime)
        self.registry.register(self._held)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        labels = (method_label(method), route, str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def record_checks(self, results: Sequence[CheckResult]) -> None:
        for result in results:
            self.checks.labels(outcome(result)).inc()

    def record_ingest(self, result: IngestResult) -> None:
        """Count one stored document (``POST /v1/documents``, each line of a bulk ingest)."""
        self.ingested_documents.inc()
        self.ingested_paragraphs.inc(result.paragraphs)
        self.ingested_sentences.inc(result.sentences)

    def exposition(self, accept: str | None) -> tuple[bytes, str]:
        """The scrape body and its content type: Prometheus text 0.0.4 unless the scraper asks for
        OpenMetrics in ``Accept``."""
        encoder, content_type = choose_encoder(accept or "")
        return encoder(self._scraped_registry()), content_type

    def _scraped_registry(self) -> CollectorRegistry:
        path = multiprocess_dir()
        if path is None:
            return self.registry
        # Multiprocess mode: every worker's counters from the files, this worker's gauges live.
        merged = CollectorRegistry()
        MultiProcessCollector(merged, path)  # type: ignore[no-untyped-call]
        if self._held is not None:
            merged.register(self._held)
        return merged
