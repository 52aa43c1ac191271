"""Check latency with the store in PostgreSQL against the embedded SQLite store, on the same corpus.

Both checkers run in this one process with the same models (the service's ONNX encoder, one thread),
each over its own data directory: one with the SQLite file there, one with
``store_url`` pointing at a private PostgreSQL server started for the run (``tests/pgserver.py``,
durable defaults: fsync and synchronous commit on; loopback TCP, as a replica beside its database
would reach it). The 400 Reuters development stories (``../shared/eval/reuters_subset_dev.json``)
are ingested into both, then the 40 development claims (``reuters_claims_dev.json``) are checked in
rounds, the two backends alternating claim by claim so that load from other processes falls on
both alike. The claim cache is off: every check runs whole. PostgreSQL's planner statistics are
taken after the ingest (``ANALYZE``, which autovacuum does by itself in a database that runs a while).

Besides the whole check, the store's own part of it is timed per claim: the change-log lookup every
check starts with (``catch_up``), the lexical search, and reading the candidate paragraphs
(sentences, vectors, frames) that the dense and lexical searches found. The answers are compared
too: same cited documents, claim by claim.

    nice -n 10 python -m bench.postgres [--stories 400] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench.claims_from_reuters import percentile
from bench.server import DEFAULT_MODEL_CACHE
from bench.stories import dev_claims, dev_subset_ids, iter_stories

os.environ.setdefault("HF_HUB_OFFLINE", "1")
T = TypeVar("T")


def _timed(fn: Callable[..., T], *args: object) -> tuple[T, float]:
    """``fn(*args)`` and the milliseconds it took."""
    started = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - started) * 1000


def _cited(result) -> tuple[str, ...]:
    return tuple(s.document_id for item in (*result.evidence, *result.contradicting) for s in item.sources)


def _row(name: str, values: list[float]) -> str:
    return (
        f"{name:<38} {percentile(values, 50):>8.2f} {percentile(values, 99):>8.2f}"
        f" {statistics.fmean(values):>8.2f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    from claimcheck.checker import Checker
    from claimcheck.requests import Submission
    from corpus.nlp import load_pipeline
    from embeddings.backends import DEFAULT_BACKEND, load_encoder
    from embeddings.encoder import configure_threads
    from retrieval.candidates import paragraph_depth
    from tests.pgserver import postgres_server

    configure_threads(1, 1)
    encoder = load_encoder(DEFAULT_BACKEND, DEFAULT_MODEL_CACHE, threads=1)
    nlp, claim_nlp = load_pipeline(), load_pipeline()
    subset = dev_subset_ids()
    stories = [s for s in iter_stories() if s.newid in subset][: args.stories]
    claims = dev_claims()
    extra = [s for s in iter_stories(unique=True) if s.newid not in subset and s.sentences()][:10]
    print(f"{len(stories)} stories, {len(claims)} claims, {args.rounds} rounds; load: {os.getloadavg()}")

    with (
        tempfile.TemporaryDirectory(prefix="claimcheck-bench-pg-") as root,
        postgres_server(durable=True) as pg,
    ):
        url = pg.create_database("bench")
        checkers: dict[str, Checker] = {}
        ingest_seconds: dict[str, float] = {}
        for name, store_url in (("sqlite", None), ("postgres", url)):
            checker = Checker.open(
                Path(root) / name, encoder, nlp, claim_nlp=claim_nlp, cache_size=0, store_url=store_url
            )
            submissions = [
                Submission(
                    text=s.body, id=str(s.newid), format="text", title=s.title or None, published=s.published
                )
                for s in stories
            ]
            started = time.perf_counter()
            for _ in checker.ingest_many(submissions, refused=lambda *_: None):
                pass
            ingest_seconds[name] = time.perf_counter() - started
            if store_url:  # planner statistics, as autovacuum keeps them in a database that runs a while
                import psycopg

                with psycopg.connect(store_url, autocommit=True) as conn:
                    conn.execute("ANALYZE")
            checker.save()
            checkers[name] = checker
            print(f"{name}: ingested {checker.stats().documents} documents in {ingest_seconds[name]:.1f} s")

        for checker in checkers.values():  # warm-up: prepared statements, caches, first allocations
            checker.check_many(claims)

        totals: dict[str, list[float]] = {name: [] for name in checkers}
        parts: dict[str, dict[str, list[float]]] = {
            name: {"generation": [], "lexical": [], "paragraphs": [], "info": []} for name in checkers
        }
        answers: dict[str, dict[str, tuple[str, ...]]] = {name: {} for name in checkers}
        for _ in range(args.rounds):
            for claim in claims:
                for name, checker in checkers.items():
                    started = time.perf_counter()
                    result = checker.check(claim)
                    totals[name].append((time.perf_counter() - started) * 1000)
                    answers[name][claim] = _cited(result)
        for claim in claims:
            vector = encoder.encode([claim])[0]
            for name, checker in checkers.items():
                store, timing = checker.indexes.store, parts[name]
                query, _ = checker._claim(claim, claim_nlp(claim), vector)
                dense = checker.indexes.index.search(vector, paragraph_depth(10)).ids.tolist()
                depth = checker.policy.lexical_candidates
                for _ in range(args.rounds):
                    timing["generation"].append(_timed(store.log.generation)[1])
                    hits, ms = _timed(store.lexical.search, query.words, depth)
                    timing["lexical"].append(ms)
                    ids = list(dict.fromkeys([*dense, *(h.paragraph_id for h in hits)]))
                    found, ms = _timed(store.paragraphs, ids)
                    timing["paragraphs"].append(ms)
                    timing["info"].append(_timed(store.info, [p.document_id for p in found.values()])[1])

        # A replica started later on an empty data directory (its index rebuilt from the store's
        # vectors), then documents written through the first replica and checked on it at once.
        started = time.perf_counter()
        late = Checker.open(
            Path(root) / "late", encoder, nlp, claim_nlp=claim_nlp, cache_size=0, store_url=url
        )
        rebuilt = time.perf_counter() - started
        lags: list[float] = []
        again: list[float] = []
        found = {"late": 0, "writer": 0}
        writer = checkers["postgres"]
        for story in extra:
            writer.ingest(Submission(text=story.body, id=f"late-{story.newid}", format="text"))
            sentence = story.sentences()[0]
            result, ms = _timed(late.check, sentence)  # catches up first: replays the write
            lags.append(ms)
            found["late"] += f"late-{story.newid}" in _cited(result)
            again.append(_timed(late.check, sentence)[1])  # nothing to replay
            found["writer"] += f"late-{story.newid}" in _cited(writer.check(sentence))

        same = sum(answers["sqlite"][c] == answers["postgres"][c] for c in claims)
        same_set = sum(set(answers["sqlite"][c]) == set(answers["postgres"][c]) for c in claims)
        print()
        print(f"load after the run: {os.getloadavg()}")
        print(f"{'ms per check (in-process)':<38} {'p50':>8} {'p99':>8} {'mean':>8}")
        for name in checkers:
            print(_row(f"{name}: whole check", totals[name]))
        for part in ("generation", "lexical", "paragraphs", "info"):
            for name in checkers:
                print(_row(f"{name}: store {part}", parts[name][part]))
        for name in checkers:
            rate = len(stories) / ingest_seconds[name]
            print(f"{name}: ingest {rate:.1f} documents/s ({ingest_seconds[name]:.1f} s)")
        print(
            f"same cited documents in the same order: {same}/{len(claims)} claims;"
            f" same set: {same_set}/{len(claims)}"
        )
        print(
            f"late replica on an empty data directory: opened, {len(late.indexes.index)} vectors rebuilt,"
            f" in {rebuilt:.2f} s"
        )
        print(
            f"  first check on it after a write through another replica: p50 {percentile(lags, 50):.1f} ms"
            f" (the same check again: {percentile(again, 50):.1f} ms); the new document cited by it in"
            f" {found['late']}/{len(extra)}, by the writer in {found['writer']}/{len(extra)}"
        )
        late.close()
        for claim in claims:
            if answers["sqlite"][claim] != answers["postgres"][claim]:
                print(f"  differs: {claim!r}")
                for name in checkers:
                    print(f"    {name}: {', '.join(answers[name][claim]) or '(nothing)'}")
        for checker in checkers.values():
            checker.close()


if __name__ == "__main__":
    main()
