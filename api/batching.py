"""Micro-batching: claims that arrive while the model is busy share its next encoder call.

Encoding is most of a check's cost and a batch of claims costs little more than one, so under
concurrent load the claims queued behind a running check go to the executor together
(``Checker.check_many``: one encoder call, one spaCy pass). There is no artificial wait: a lone
claim is sent at once, and batches form only when requests really overlap.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from api.scheduler import OverloadError
from claimcheck.checker import Checker
from claimcheck.requests import CheckFilters
from claimcheck.results import CheckResult

MAX_BATCH = 16

Runner = Callable[[Callable[[], list[CheckResult]]], Awaitable[list[CheckResult]]]


@dataclass
class _Pending:
    claim: str
    limit: int
    filters: CheckFilters
    future: asyncio.Future[CheckResult]
    deadline: float


@dataclass
class ClaimBatcher:
    """Event-loop-side queue; only the loop thread touches it, so it needs no lock."""

    run: Runner
    max_batch: int = MAX_BATCH
    max_waiting: int = 64  # claims queued here; one more is refused (503), not queued without end
    start_budget: float | None = 30.0  # a claim that waited this long is refused when its turn comes
    _queue: list[_Pending] = field(default_factory=list)
    _draining: bool = False

    @property
    def waiting(self) -> int:
        """Claims queued here, not yet handed to the query thread."""
        return len(self._queue)

    async def check(self, checker: Checker, claim: str, limit: int, filters: CheckFilters) -> CheckResult:
        if len(self._queue) >= self.max_waiting:
            raise OverloadError(f"too many checks are waiting ({self.max_waiting}); retry shortly", 1)
        future: asyncio.Future[CheckResult] = asyncio.get_running_loop().create_future()
        deadline = math.inf if self.start_budget is None else time.monotonic() + self.start_budget
        self._queue.append(_Pending(claim, limit, filters, future, deadline))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain(checker))
        return await future

    async def _drain(self, checker: Checker) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
                batch = [p for p in batch if not p.future.done() and not self._expired(p)]
                groups: dict[tuple[int, CheckFilters], list[_Pending]] = {}
                for pending in batch:
                    groups.setdefault((pending.limit, pending.filters), []).append(pending)
                for (limit, filters), members in groups.items():
                    await self._serve(checker, members, limit, filters)
        finally:
            self._draining = False

    def _expired(self, pending: _Pending) -> bool:
        if time.monotonic() <= pending.deadline:
            return False
        pending.future.set_exception(
            OverloadError(f"this check could not start within {self.start_budget:g} s; retry shortly", 1)
        )
        return True

    async def _serve(
        self, checker: Checker, members: list[_Pending], limit: int, filters: CheckFilters
    ) -> None:
        claims = [m.claim for m in members]
        try:
            results = await self.run(lambda: checker.check_many(claims, limit, filters))
        except Exception as exc:  # every waiting request gets the failure, none hangs
            for m in members:
                if not m.future.done():
                    m.future.set_exception(exc)
            return
        for m, result in zip(members, results, strict=True):
            if not m.future.done():
                m.future.set_result(result)
