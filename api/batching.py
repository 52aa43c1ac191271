"""Micro-batching: claims that arrive while the model is busy share its next encoder call.

Encoding is most of a check's cost and a batch of claims costs little more than one, so under
concurrent load the claims queued behind a running check go to the executor together
(``Checker.check_many``: one encoder call, one spaCy pass). There is no artificial wait: a lone
claim is sent at once, and batches form only when requests really overlap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

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


@dataclass
class ClaimBatcher:
    """Event-loop-side queue; only the loop thread touches it, so it needs no lock."""

    run: Runner
    max_batch: int = MAX_BATCH
    _queue: list[_Pending] = field(default_factory=list)
    _draining: bool = False

    async def check(self, checker: Checker, claim: str, limit: int, filters: CheckFilters) -> CheckResult:
        future: asyncio.Future[CheckResult] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(claim, limit, filters, future))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain(checker))
        return await future

    async def _drain(self, checker: Checker) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
                groups: dict[tuple[int, CheckFilters], list[_Pending]] = {}
                for pending in batch:
                    groups.setdefault((pending.limit, pending.filters), []).append(pending)
                for (limit, filters), members in groups.items():
                    await self._serve(checker, members, limit, filters)
        finally:
            self._draining = False

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
