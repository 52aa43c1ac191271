"""What FAISS's per-thread OpenMP setting costs the service's threads: writes and searches on an
HNSW paragraph index from a thread other than the main one, with FAISS's default there and with
the count the service configures (``embeddings.threads``).

    .venv/bin/python -m bench.faiss_threads [--paragraphs 12000] [--added 4000] [--searches 500]

Why: libgomp keeps the OpenMP thread count per thread, so the count set at start-up held for the
main thread only; the query, encode and write threads ran FAISS with one OpenMP thread per core.
Each configuration runs in a fresh thread (as a pool thread of the service would), on the same
index of ``--paragraphs`` random unit vectors (HNSW: above the exact-search threshold), adding
``--added`` more 100 at a time (one document's paragraphs is a handful; 100 keeps the loop short)
and running ``--searches`` single-vector searches. CPU is the process's (``getrusage``: every
thread, OpenMP's included), the figure that tells spinning from work on a 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import threading
import time
from collections.abc import Callable

import faiss
import numpy as np

from embeddings.ann import AnnSettings, Kind
from embeddings.index import ParagraphIndex
from embeddings.threads import set_faiss_threads

DIMENSION = 384
ADD_BATCH = 100


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    vectors = rng.standard_normal((n, DIMENSION)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _in_thread(work: Callable[[], dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    thread = threading.Thread(target=lambda: out.update(work()))
    thread.start()
    thread.join()
    return out


def measure(paragraphs: int, added: int, searches: int) -> dict[str, float]:
    """Build the index here, then add and search from the calling thread (a fresh one)."""
    rng = np.random.default_rng(21578)
    base, extra, queries = _unit(rng, paragraphs), _unit(rng, added), _unit(rng, searches)
    index = ParagraphIndex(DIMENSION, settings=AnnSettings(approximate=Kind.HNSW))
    index.upsert(np.arange(paragraphs), base)
    assert index.kind is Kind.HNSW, index.kind
    omp = faiss.omp_get_max_threads()
    cpu, wall = _cpu(), time.perf_counter()
    for start in range(0, added, ADD_BATCH):
        ids = np.arange(paragraphs + start, paragraphs + min(added, start + ADD_BATCH))
        index.upsert(ids, extra[start : start + ADD_BATCH])
    add_cpu, add_wall = _cpu() - cpu, time.perf_counter() - wall
    cpu, wall = _cpu(), time.perf_counter()
    for query in queries:
        index.search(query, 32)
    search_cpu, search_wall = _cpu() - cpu, time.perf_counter() - wall
    return {
        "omp": float(omp),
        "add_wall": 1000 * add_wall / added,
        "add_cpu": 1000 * add_cpu / added,
        "search_wall": 1000 * search_wall / searches,
        "search_cpu": 1000 * search_cpu / searches,
        "omp_after": float(faiss.omp_get_max_threads()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--paragraphs", type=int, default=12_000)
    parser.add_argument("--added", type=int, default=4_000)
    parser.add_argument("--searches", type=int, default=500)
    args = parser.parse_args(argv)
    print(f"HNSW index of {args.paragraphs:,} paragraphs; {args.added:,} added, {args.searches} searches")
    print("| OpenMP threads in the calling thread | add: wall / CPU ms a vector | search: wall / CPU ms |")
    print("|---|---|---|")
    rows = [("FAISS's default (before)", None), ("configured: 1 (the service)", 1)]
    for label, count in rows:
        if count is not None:
            set_faiss_threads(count)
        r = _in_thread(lambda: measure(args.paragraphs, args.added, args.searches))
        print(
            f"| {label}: {int(r['omp_after'])} | {r['add_wall']:.3f} / {r['add_cpu']:.3f} "
            f"| {r['search_wall']:.3f} / {r['search_cpu']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
