"""What the handlers need at run time: the checker and the two worker threads, started in the
app's lifespan.

CPU-bound work (encoding, parsing) must not run on the event loop. Checks run on a one-thread
executor (the model's own thread pool is sized at start-up); ingest runs on another, so a large
document being ingested never queues in front of claims. Each executor is fed by a bounded
:class:`~api.scheduler.WorkQueue`, so overload is a prompt 503 rather than an unbounded wait.
The executors are created by :meth:`Runtime.start` in the lifespan and shut down at its end, so
an app whose lifespan runs twice (test clients) gets fresh ones each time.

Every check, single or batched, comes back through :meth:`Runtime.checks` or
:meth:`Runtime.checks_bulk`, which tell ``on_checked`` (the app's metrics) about the results: one
place counts the outcomes of the check routes and of the page alike. Every stored document is
told to ``on_ingested`` by the route that stored it (``POST /v1/documents``, each bulk line).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from api.batching import ClaimBatcher
from api.scheduler import BULK, INTERACTIVE, WorkQueue
from claimcheck.checker import Checker
from claimcheck.results import CheckResult, IngestResult

T = TypeVar("T")


def _ignore(results: Sequence[CheckResult]) -> None:
    return None


def _ignore_ingest(result: IngestResult) -> None:
    return None


@dataclass
class Runtime:
    checker: Checker | None = None
    max_queued_checks: int = 64
    max_queued_writes: int = 16
    check_budget_seconds: float | None = 30.0
    on_checked: Callable[[Sequence[CheckResult]], None] = _ignore  # told about every finished check
    on_ingested: Callable[[IngestResult], None] = _ignore_ingest  # told about every stored document

    queries: WorkQueue = field(init=False)
    writes: WorkQueue = field(init=False)
    batcher: ClaimBatcher = field(init=False)
    bulk_requests: int = field(default=0, init=False)  # POST /v1/documents/bulk requests running

    def __post_init__(self) -> None:
        self.batcher = ClaimBatcher(
            self.checks, max_waiting=self.max_queued_checks, start_budget=self.check_budget_seconds
        )
        self.start()

    def start(self) -> None:
        """Fresh worker threads and queues (a no-op while the current ones are running)."""
        if getattr(self, "queries", None) is not None and not self.queries.closed:
            return
        self.queries = WorkQueue(
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-query"),
            "check",
            self.max_queued_checks,
            start_budget=self.check_budget_seconds,
        )
        self.writes = WorkQueue(
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-write"),
            "write",
            self.max_queued_writes,
        )

    async def query(self, fn: Callable[[], T]) -> T:
        """Interactive read work: a check, a document read; goes before bulk slices."""
        return await self.queries.run(fn, INTERACTIVE)

    async def query_bulk(self, fn: Callable[[], T]) -> T:
        """One slice of a batch: runs only when no interactive read is waiting."""
        return await self.queries.run(fn, BULK)

    async def checks(self, fn: Callable[[], list[CheckResult]]) -> list[CheckResult]:
        """Checks as interactive work (the batcher's claims); their results are counted."""
        results = await self.query(fn)
        self.on_checked(results)
        return results

    async def checks_bulk(self, fn: Callable[[], list[CheckResult]]) -> list[CheckResult]:
        """One slice of a batch of checks, as bulk work; its results are counted."""
        results = await self.query_bulk(fn)
        self.on_checked(results)
        return results

    async def write(self, fn: Callable[[], T]) -> T:
        return await self.writes.run(fn)

    def shutdown(self) -> None:
        self.queries.close()
        self.writes.close()
