"""What the handlers need at run time, created in the app's lifespan.

CPU-bound work (encoding, parsing) must not run on the event loop. Checks run on a one-thread
executor (the model's own thread pool is sized at start-up); ingest runs on another, so a large
document being ingested never queues in front of claims.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from api.batching import ClaimBatcher
from claimcheck.checker import Checker

T = TypeVar("T")


@dataclass
class Runtime:
    checker: Checker | None = None
    query_executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-query")
    )
    write_executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-write")
    )

    batcher: ClaimBatcher = field(init=False)

    def __post_init__(self) -> None:
        self.batcher = ClaimBatcher(self.query)

    async def query(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.query_executor, fn)

    async def write(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.write_executor, fn)

    def shutdown(self) -> None:
        self.query_executor.shutdown(wait=True)
        self.write_executor.shutdown(wait=True)
