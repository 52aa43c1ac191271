"""Bounded, prioritised queues in front of the service's two worker threads.

Every check runs on one query thread and every write on one write thread (``api.runtime``). Left
to themselves those executors queue without bound: a client sending a 100-claim batch held single
checks back for 8 to 9 s, and a flood of ingests would queue for hours while each client waited. So:

- the queue is bounded: a job that finds it full is refused at once (:class:`OverloadError` → 503 with
  ``Retry-After``) instead of stalling silently;
- a job that cannot *start* within its budget is refused the same way when its turn comes, so a
  client never waits longer than the budget for work that has not begun;
- interactive jobs (a single check, a document read) go before bulk ones (the slices a batch is cut
  into), so a batch delays a single check by at most one slice.

Jobs already running are never interrupted: a thread cannot be stopped safely, and each job's cost
is bounded by the request limits (claim length, claims per batch, document size).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

INTERACTIVE = 0
BULK = 1


class OverloadError(Exception):
    """The queue cannot take or start this job in time; ``retry_after`` is a fair wait in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(order=True)
class _Job:
    priority: int
    sequence: int
    deadline: float = field(compare=False)
    fn: Callable[[], Any] = field(compare=False)
    future: asyncio.Future[Any] = field(compare=False)


@dataclass
class WorkQueue:
    """Feeds one executor thread from a priority heap; lives on the event loop (no locks needed)."""

    executor: Executor
    name: str  # "check" or "write": said in refusals
    max_waiting: int
    start_budget: float | None = None  # seconds a job may wait before starting; None = no bound
    _heap: list[_Job] = field(default_factory=list)
    _sequence: Iterator[int] = field(default_factory=itertools.count)
    _running: bool = False
    _drainer: asyncio.Task[None] | None = None  # held so the running drain is not garbage-collected
    _mean_seconds: float = 0.05  # moving average of job duration, for Retry-After
    _closed: bool = False

    @property
    def waiting(self) -> int:
        return len(self._heap)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Finish the running job, then stop the thread; later jobs are refused by the executor."""
        self._closed = True
        self.executor.shutdown(wait=True)

    async def run(self, fn: Callable[[], T], priority: int = INTERACTIVE) -> T:
        if len(self._heap) >= self.max_waiting:
            raise OverloadError(
                f"too many {self.name} requests are waiting ({self.max_waiting}); retry shortly",
                self._retry_after(),
            )
        loop = asyncio.get_running_loop()
        deadline = math.inf if self.start_budget is None else time.monotonic() + self.start_budget
        job = _Job(priority, next(self._sequence), deadline, fn, loop.create_future())
        heapq.heappush(self._heap, job)
        if not self._running:
            self._running = True
            self._drainer = loop.create_task(self._drain())
        result: T = await job.future
        return result

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._heap:
                job = heapq.heappop(self._heap)
                if job.future.done():  # its client gave up (cancelled) while it waited
                    continue
                if time.monotonic() > job.deadline:
                    job.future.set_exception(
                        OverloadError(
                            f"the {self.name} queue is too long: this request could not start within "
                            f"{self.start_budget:g} s; retry shortly",
                            self._retry_after(),
                        )
                    )
                    continue
                started = time.monotonic()
                try:
                    result = await loop.run_in_executor(self.executor, job.fn)
                except Exception as exc:  # the job's own failure goes to its caller
                    if not job.future.done():
                        job.future.set_exception(exc)
                else:
                    if not job.future.done():
                        job.future.set_result(result)
                self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * (time.monotonic() - started)
        finally:
            self._running = False

    def _retry_after(self) -> int:
        return max(1, math.ceil(self._mean_seconds * (len(self._heap) + 1)))
