"""Answers to repeated checks, kept while the data they were computed from has not changed.

A check is a pure function of the claim text, ``limit``, the filters and what the store holds; the
store's change-log generation (``store.changelog``) moves on with every write and delete committed
by any worker process sharing the data directory, and a check catches up with it before it
computes (``Indexes.catch_up``). So an answer keyed by (claim, limit, filters, generation) is the
answer a fresh check would give for as long as the generation stays the same, and stale entries
are never looked up again: a newer generation empties the cache rather than letting them age out.

The claim is keyed as the checker reads it, stripped of surrounding whitespace and otherwise
untouched: a different case or inner spacing can parse differently (spaCy's tokens, NER), so only
the text that gives the same answer shares an entry. Answers are frozen Structs, shared as they are.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from claimcheck.requests import CheckFilters
from claimcheck.results import CheckResult

# Entries held by default (``CLAIMCHECK_CHECK_CACHE``): an answer is a few kilobytes, so ~10 MB.
DEFAULT_SIZE = 2048


class CacheKey(NamedTuple):
    claim: str
    limit: int
    filters: CheckFilters
    generation: int


class ClaimCache:
    """A bounded LRU of check answers for one generation of the store; thread-safe.

    ``size`` 0 turns it off (nothing is kept, every lookup misses).
    """

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        if size < 0:
            raise ValueError(f"claim cache size must be 0 or more, got {size}")
        self.size = size
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[CacheKey, CheckResult] = OrderedDict()
        self._generation = -1
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey) -> CheckResult | None:
        with self._lock:
            self._follow(key.generation)
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: CacheKey, result: CheckResult) -> None:
        if not self.size:
            return
        with self._lock:
            self._follow(key.generation)
            if key.generation < self._generation:
                return  # computed before a write that has since been seen: already stale
            self._entries[key] = result
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def _follow(self, generation: int) -> None:
        """Drop every entry of an older generation once a newer one is seen."""
        if generation > self._generation:
            self._entries.clear()
            self._generation = generation
