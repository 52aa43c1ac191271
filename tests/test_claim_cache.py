"""The claim cache: repeated checks answered from memory, never an answer a fresh check would not give.

Every write and delete, by this checker or by another one over the same data directory (another
worker process), must invalidate; limit and filters are part of the key; the size is bounded.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from claimcheck.claimcache import CacheKey, ClaimCache
from claimcheck.requests import CheckFilters, Submission
from claimcheck.results import CheckResult

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
CLAIMS = (
    "Azerbaijan and Armenia imposed martial law",
    "Turkey has been backing Azerbaijan's military operations",
    "Russia and Turkey agreed to closely coordinate their actions on Karabakh",
    "The fighting broke out on September 27",
)


def _json(result: CheckResult) -> bytes:
    return msgspec.json.encode(result)


def _fresh(checker, claim: str, limit: int = 10, filters: CheckFilters | None = None) -> bytes:
    """The answer computed now, the cache bypassed (and left as it was)."""
    cache, checker.claim_cache = checker.claim_cache, ClaimCache(0)
    try:
        return _json(checker.check(claim, limit, filters))
    finally:
        checker.claim_cache = cache


def _seeds() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt"))


def _submission(path: Path) -> Submission:
    return Submission(text=path.read_text(encoding="utf-8"), id=path.stem)


def test_lru_is_bounded_and_a_new_generation_empties_it() -> None:
    cache = ClaimCache(2)
    result = CheckResult("c", (), None, ())  # type: ignore[arg-type]
    keys = [CacheKey(f"claim {i}", 10, CheckFilters(), 7) for i in range(3)]
    for key in keys[:2]:
        cache.put(key, result)
    assert cache.get(keys[0]) is result  # keys[0] now the most recent
    cache.put(keys[2], result)
    assert len(cache) == 2
    assert cache.get(keys[1]) is None  # the least recently used went
    assert cache.get(keys[0]) is result and cache.get(keys[2]) is result
    newer = keys[0]._replace(generation=8)
    assert cache.get(newer) is None
    assert len(cache) == 0  # older generations are dropped as soon as a newer one is seen
    cache.put(keys[0], result)  # computed before the write: not kept
    assert len(cache) == 0
    off = ClaimCache(0)
    off.put(keys[0], result)
    assert off.get(keys[0]) is None
    with pytest.raises(ValueError):
        ClaimCache(-1)


def test_repeated_claims_are_answered_from_the_cache_identically(seeded_checker) -> None:
    checker = seeded_checker
    for claim in CLAIMS:
        first = checker.check(claim)
        hits = checker.claim_cache.hits
        again = checker.check("  " + claim + "\n")  # stripped, as every check reads its claim
        assert checker.claim_cache.hits == hits + 1
        assert again is first
        assert _json(again) == _fresh(checker, claim)


def test_limit_and_filters_are_part_of_the_key(seeded_checker) -> None:
    checker = seeded_checker
    claim = CLAIMS[1]
    assert len(checker.check(claim, 10).evidence) > 1
    assert _json(checker.check(claim, 1)) == _fresh(checker, claim, 1)
    assert len(checker.check(claim, 1).evidence) == 1
    nothing = CheckFilters(outlets=("no such outlet",))
    filtered = checker.check(claim, 10, nothing)
    assert filtered.evidence == () and _json(filtered) == _fresh(checker, claim, 10, nothing)
    batch = checker.check_many([claim, CLAIMS[0], claim], 10)
    assert [_json(r) for r in batch] == [_fresh(checker, c) for c in (claim, CLAIMS[0], claim)]


def test_writes_and_deletes_invalidate(make_checker) -> None:
    checker = make_checker()
    first, *rest = _seeds()
    checker.ingest(_submission(first))
    before = {claim: _json(checker.check(claim)) for claim in CLAIMS}
    for path in rest:
        checker.ingest(_submission(path))
    after = {claim: _json(checker.check(claim)) for claim in CLAIMS}
    assert after != before  # the new documents answer some claims differently
    assert after == {claim: _fresh(checker, claim) for claim in CLAIMS}
    for path in rest:
        assert checker.delete(path.stem)
    assert {claim: _json(checker.check(claim)) for claim in CLAIMS} == before
    # Replacing a document under the same id is a write too.
    checker.ingest(Submission(text=rest[0].read_text(encoding="utf-8"), id=first.stem))
    assert {claim: _json(checker.check(claim)) for claim in CLAIMS} == {
        claim: _fresh(checker, claim) for claim in CLAIMS
    }


def test_another_workers_write_invalidates(make_checker, tmp_path_factory) -> None:
    """Two checkers over one data directory stand for two worker processes: each has its own
    index and cache, and sees the other's commits through the store's change log."""
    directory = tmp_path_factory.mktemp("shared")
    reader, writer = make_checker(directory), make_checker(directory)
    first, *rest = _seeds()
    writer.ingest(_submission(first))
    before = {claim: _json(reader.check(claim)) for claim in CLAIMS}
    for path in rest:
        writer.ingest(_submission(path))
    after = {claim: _json(reader.check(claim)) for claim in CLAIMS}
    assert after != before
    assert after == {claim: _fresh(reader, claim) for claim in CLAIMS}
    for path in rest:
        assert writer.delete(path.stem)
    assert {claim: _json(reader.check(claim)) for claim in CLAIMS} == before
