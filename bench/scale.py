"""Paragraph index at scale: build time, memory, one-query latency and recall@10 per index layout.

Why this exists: exact FAISS search costs ~15 ms per query at 100k paragraphs and ~150 ms at 1M,
while a claim check should spend about 1 ms in the index. ``embeddings/index.py`` therefore
switches to an approximate layout above a size threshold; this benchmark measures each layout
(``flat`` exact, ``ivf``, ``hnsw``, all built by ``embeddings/ann.py`` exactly as the service
builds them) on synthetic paragraph vectors, so the threshold and the search parameters
(IVF ``nprobe``, HNSW ``efSearch``) rest on numbers, not folklore.

The vectors: uniform random unit vectors in 384-d are the wrong test. Every point is nearly
orthogonal to every other, the nearest neighbour is barely nearer than the 10,000th, and any
ANN index must scan most of the collection for good recall: a worst case no text embedding
resembles. MiniLM paragraph vectors are anisotropic (a shared mean direction), have a steep
spectrum, and are clustered by topic and story. The generator (topics -> clusters of ~24
paragraphs with log-normal widths -> points, all in a rotated decaying spectrum around a mean
direction) was calibrated on 6,000 MiniLM vectors of Reuters-21578 paragraphs, for 6,000 points:

    statistic                         Reuters           synthetic
    random pair cosine mean / sd      0.134 / 0.110     0.141 / 0.117
    nearest-neighbour cos p10/50/90   0.47 / 0.59 / 0.74  0.45 / 0.58 / 0.75
    HNSW recall@10, ef 16/32/64       .926 / .971 / .991  .934 / .980 / .995
    IVF256 recall@10, nprobe 8/16/32  .782 / .880 / .940  .877 / .925 / .969

So HNSW recall measured here transfers to real vectors; IVF recall is optimistic (real
paragraphs need about twice the ``nprobe``), which is one reason the service uses HNSW.
Queries come from the same distribution but are not indexed, like a claim that paraphrases a
paragraph.

Rows are generated in seeded chunks, so the exact ground truth (blocked matrix products over the
regenerated chunks, top-10 merged per block) never needs all vectors in memory at once.

Run (the long run; ~10 GB and several hours at 5M with one build thread)::

    .venv/bin/python -m bench.scale --sizes 100000,1000000,5000000 --types flat,hnsw,ivf

Options: ``--queries`` (200), ``--nprobe 16,32,64`` / ``--ef 32,64,128`` sweep the search-time
knob on the same built index, ``--build-threads`` (1, as in the service), ``--max-gb`` (10).

``--types compressed`` measures the layout of ``embeddings/compressed.py`` (IVF-PQ in memory, float16
vectors in a file under ``--workdir``, exact re-ranking), built and searched as the service does;
``--nprobe`` and ``--factor`` (re-rank factor) sweep its search knobs, ``--codes`` and
``--lists-per-sqrt`` override its build settings. The ground truth is computed while the vector
file is written (one generation pass). For 10M, ~8 GB free in ``--workdir``::

    nice -n 10 .venv/bin/python -m bench.scale --sizes 1000000,10000000 --types compressed
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import resource
import shlex
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import faiss
import numpy as np

from embeddings import ann, compressed
from embeddings.ann import AnnSettings, Kind
from embeddings.index import ParagraphIndex

DIMENSION = 384
CHUNK = 100_000
K = 10


class Synthetic:
    """Clustered, anisotropic unit vectors shaped like MiniLM paragraph embeddings (see module doc)."""

    def __init__(
        self,
        n: int,
        seed: int = 0,
        per_cluster: int = 24,
        topics: int = 64,
        mean: float = 1.1,
        topic_scale: float = 1.4,
        cluster_scale: float = 0.8,
        width: float = 2.2,
        decay: float = 3.0,
    ) -> None:
        self.n, self.seed = n, seed
        rng = np.random.default_rng(seed)
        # A decaying spectrum in a random rotation: few directions carry most of the variance.
        self._scales = (1.0 / np.sqrt(1.0 + np.arange(DIMENSION) / decay)).astype(np.float32)
        self._scales /= np.sqrt((self._scales**2).sum())
        self._rotation = np.linalg.qr(rng.standard_normal((DIMENSION, DIMENSION)))[0].astype(np.float32)
        direction = rng.standard_normal(DIMENSION).astype(np.float32)
        self._mean = mean * direction / np.linalg.norm(direction)
        topic_centres = topic_scale * self._gaussian(rng, topics)
        clusters = max(1, n // per_cluster)
        self._centres = topic_centres[rng.integers(0, topics, clusters)] + cluster_scale * self._gaussian(
            rng, clusters
        )
        self._widths = (width * np.exp(0.4 * rng.standard_normal(clusters))).astype(np.float32)

    def _gaussian(self, rng: np.random.Generator, m: int) -> np.ndarray:
        return (rng.standard_normal((m, DIMENSION), dtype=np.float32) * self._scales) @ self._rotation.T

    def _sample(self, rng: np.random.Generator, m: int) -> np.ndarray:
        label = rng.integers(0, len(self._centres), m)
        x = self._mean + self._centres[label] + self._widths[label, None] * self._gaussian(rng, m)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return np.ascontiguousarray(x, dtype=np.float32)

    def chunks(self, size: int = CHUNK) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """``(ids, vectors)`` blocks covering rows 0..n-1, identical on every pass."""
        for number, start in enumerate(range(0, self.n, size)):
            m = min(size, self.n - start)
            rng = np.random.default_rng([self.seed, 1, number])
            yield np.arange(start, start + m, dtype=np.int64), self._sample(rng, m)

    def queries(self, m: int) -> np.ndarray:
        return self._sample(np.random.default_rng([self.seed, 2]), m)


class TopK:
    """Running exact top-``k`` ids per query, updated block by block (merged per block)."""

    def __init__(self, queries: np.ndarray, k: int = K) -> None:
        self.queries = queries
        self.k = k
        self.scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        self.ids = np.full((len(queries), k), -1, dtype=np.int64)

    def update(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        k = self.k
        scores = self.queries @ vectors.T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        merged_scores = np.hstack([self.scores, np.take_along_axis(scores, top, axis=1)])
        merged_ids = np.hstack([self.ids, ids[top]])
        order = np.argsort(-merged_scores, axis=1)[:, :k]
        self.scores = np.take_along_axis(merged_scores, order, axis=1)
        self.ids = np.take_along_axis(merged_ids, order, axis=1)

    def feed(
        self, chunks: Iterator[tuple[np.ndarray, np.ndarray]]
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Pass ``chunks`` through, updating the top-k on the way (one generation pass, not two)."""
        for ids, vectors in chunks:
            self.update(ids, vectors)
            yield ids, vectors


def exact_top_k(data: Synthetic, queries: np.ndarray, k: int = K) -> np.ndarray:
    """Exact top-``k`` ids per query by blocked matrix products over regenerated chunks."""
    top = TopK(queries, k)
    for ids, vectors in data.chunks():
        top.update(ids, vectors)
    return top.ids


def rss_bytes() -> int:
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def serialized_bytes(index: faiss.Index) -> int:
    """Size of the saved index, counted through a callback writer (no copy of the index)."""
    total = 0

    def count(chunk: bytes) -> int:
        nonlocal total
        total += len(chunk)
        return len(chunk)

    writer = faiss.PyCallbackIOWriter(count)
    faiss.write_index(index, writer)
    return total


def estimated_gb(kind: Kind, n: int, settings: AnnSettings) -> float:
    """Peak memory estimate of one build: float vectors plus the layout's own structures."""
    vectors = n * DIMENSION * 4
    extra = {
        Kind.FLAT: n * 8 * 3,  # ids + IDMap2 reverse map
        Kind.IVF: n * 8 * 6,  # ids + hashtable direct map
        Kind.HNSW: n * (settings.hnsw_m * 2 * 4 * 1.1 + 8 + 4),  # level-0 links + upper levels, ids
    }.get(kind)
    if extra is None:  # compressed: codes + ids + row ids in memory, vectors on disk
        return n * (48 + 8 + 8 + 16) / 1e9 + 1.0
    return (vectors + extra) / 1e9 + 0.6 + n * DIMENSION * 4 / 1e9 * 0.05  # runtime, centres, chunk


@dataclass
class Row:
    n: int
    kind: str
    knob: str
    build_s: float
    rss_gb: float
    index_gb: float
    p50_ms: float
    p99_ms: float
    recall: float
    note: str = ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,5000000")
    parser.add_argument("--types", default="flat,hnsw,ivf")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--nprobe", default="", help="IVF nprobe values to sweep (default: the setting)")
    parser.add_argument("--ef", default="", help="HNSW efSearch values to sweep (default: the setting)")
    parser.add_argument("--factor", default="", help="compressed re-rank factors to sweep (with --nprobe)")
    parser.add_argument(
        "--workdir",
        default="/tmp/claimcheck-scale",
        help="where the compressed layout writes its vector file",
    )
    parser.add_argument(
        "--lists-per-sqrt",
        type=float,
        default=0.0,
        help="compressed nlist = this * sqrt(n) (default: setting)",
    )
    parser.add_argument("--codes", default="", help="compressed code spec after IVF<n>, (default: setting)")
    parser.add_argument("--build-threads", type=int, default=1)
    parser.add_argument("--max-gb", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    command = shlex.join([sys.executable, "-m", "bench.scale", *(argv if argv is not None else sys.argv[1:])])
    settings = AnnSettings()
    if args.codes:
        settings = replace(settings, compressed_codes=args.codes)
    if args.lists_per_sqrt:
        settings = replace(settings, compressed_lists_per_sqrt=args.lists_per_sqrt)
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = [Kind(t) for t in args.types.split(",")]
    knobs = {
        Kind.FLAT: [0],
        Kind.IVF: [int(x) for x in args.nprobe.split(",")] if args.nprobe else [settings.ivf_nprobe],
        Kind.HNSW: [int(x) for x in args.ef.split(",")] if args.ef else [settings.hnsw_ef_search],
    }
    nprobes = [int(x) for x in args.nprobe.split(",")] if args.nprobe else [settings.compressed_nprobe]
    factors = [int(x) for x in args.factor.split(",")] if args.factor else [settings.compressed_rerank_factor]
    knobs[Kind.COMPRESSED] = [p * 1000 + f for p in nprobes for f in factors]  # nprobe, factor packed
    rows: list[Row] = []
    skipped: list[str] = []
    for n in sizes:
        data = Synthetic(n, seed=args.seed)
        queries = data.queries(args.queries)
        faiss.omp_set_num_threads(max(1, os.cpu_count() or 1))
        started = time.perf_counter()
        # The compressed layout alone computes the ground truth while writing its vector file.
        truth = exact_top_k(data, queries) if kinds != [Kind.COMPRESSED] else None
        if truth is not None:
            elapsed = time.perf_counter() - started
            print(f"n={n:,}: exact ground truth for {len(queries)} queries in {elapsed:.1f}s")
        for kind in kinds:
            need = estimated_gb(kind, n, settings)
            if need > args.max_gb:
                skipped.append(f"{kind} at {n:,}: needs ~{need:.1f} GB > --max-gb {args.max_gb:g}")
                continue
            faiss.omp_set_num_threads(args.build_threads)
            if kind is Kind.COMPRESSED:
                found = measure_compressed(data, settings, queries, truth, knobs[kind], Path(args.workdir))
            else:
                assert truth is not None
                found = measure(data, kind, settings, queries, truth, knobs[kind])
            rows.extend(found)
            for row in found:
                print(_format(row), flush=True)
        del data
        gc.collect()
    print()
    print(f"command: {command}")
    print(
        f"build threads: {args.build_threads}; search: 1 thread, k={K}, {args.queries} queries, one at a time"
    )
    print(_header())
    for row in rows:
        print(_format(row))
    for reason in skipped:
        print(f"skipped: {reason}")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.1f} GB")


def measure(
    data: Synthetic,
    kind: Kind,
    settings: AnnSettings,
    queries: np.ndarray,
    truth: np.ndarray,
    knobs: list[int],
) -> list[Row]:
    """Build one layout (at the current FAISS thread count), then time searches at one thread.

    IVF trains on the first rows (enough for its list count, whole chunks), the rest stream in
    chunk by chunk, so the build never holds a second full copy of the vectors.
    """
    gc.collect()
    before = rss_bytes()
    chunks = data.chunks()
    wanted = max(CHUNK, settings.ivf_train_per_list * settings.ivf_lists(data.n))
    head = [chunk for _, chunk in zip(range(math.ceil(wanted / CHUNK)), chunks, strict=False)]
    head_ids, head_vectors = np.concatenate([i for i, _ in head]), np.vstack([v for _, v in head])
    del head
    started = time.perf_counter()
    layout = ann.build(kind, DIMENSION, head_ids, head_vectors, settings, expected=data.n)
    build_s = time.perf_counter() - started  # FAISS time only: generating the vectors is not timed
    del head_ids, head_vectors
    for ids, vectors in chunks:
        started = time.perf_counter()
        layout.add(ids, vectors)
        build_s += time.perf_counter() - started
    gc.collect()
    rss_gb = (rss_bytes() - before) / 1e9
    index_gb = serialized_bytes(layout.index) / 1e9
    faiss.omp_set_num_threads(1)
    rows = []
    for knob in knobs:
        tuned = settings
        if kind is Kind.IVF:
            tuned = replace(settings, ivf_nprobe=knob)
        elif kind is Kind.HNSW:
            # the swept efSearch exactly (the service doubles its default from hnsw_large vectors on)
            tuned = replace(settings, hnsw_ef_search=knob, hnsw_large=sys.maxsize)
        index = ParagraphIndex(DIMENSION, index=layout.index, settings=tuned)
        index.search(queries[0], K)  # warm-up
        latencies, hits = [], []
        for q in queries:
            t = time.perf_counter()
            found = index.search(q, K)
            latencies.append((time.perf_counter() - t) * 1e3)
            hits.append(found.ids)
        recall = float(np.mean([len(np.intersect1d(h, t)) / K for h, t in zip(hits, truth, strict=True)]))
        label = {Kind.IVF: f"nprobe={knob} nlist={settings.ivf_lists(data.n)}", Kind.HNSW: f"ef={knob}"}
        p50, p99 = np.percentile(latencies, [50, 99])
        rows.append(Row(data.n, kind, label.get(kind, "exact"), build_s, rss_gb, index_gb, p50, p99, recall))
    del layout
    gc.collect()
    return rows


def measure_compressed(
    data: Synthetic,
    settings: AnnSettings,
    queries: np.ndarray,
    truth: np.ndarray | None,
    knobs: list[int],
    workdir: Path,
) -> list[Row]:
    """Build the compressed layout as the service's background build does (vector file, then
    train and add), reopen it from disk as a restarted service would, and search through the
    ``Overlay`` the service uses (one FAISS thread).

    Build time is training + adding; writing the float16 vector file is reported in the note.
    RSS is measured after the reopen and the searches: the index in memory plus the vector-file
    pages the searches touched (the file itself stays on disk / in the page cache).
    """
    gc.collect()
    started = time.perf_counter()
    top = TopK(queries)
    chunks = data.chunks() if truth is not None else top.feed(data.chunks())
    files = compressed.write_vectors(workdir, DIMENSION, chunks, tag=f"bench-{data.n}", count=data.n)
    write_s = time.perf_counter() - started  # vectors generated (+ exact ground truth) and written
    if truth is None:
        truth = top.ids
    print(f"n={data.n:,}: vector file written in {write_s:.0f}s", flush=True)
    try:
        started = time.perf_counter()
        built = compressed.index_vectors(files, DIMENSION, settings)
        build_s = time.perf_counter() - started
        print(f"n={data.n:,}: compressed index built in {build_s:.0f}s", flush=True)
        peak_build_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
        del built
        gc.collect()
        before = rss_bytes()
        base = compressed.CompressedBase.open(files, DIMENSION)
        index_gb = files.index.stat().st_size / 1e9
        disk_gb = (files.vectors.stat().st_size + files.ids.stat().st_size) / 1e9
        faiss.omp_set_num_threads(1)
        # One pass with the default settings on a cold start (the vector file's pages as the
        # kernel left them after the build), then the sweep: those reads are warm, as in a
        # service that has been answering for a while.
        cold_overlay = compressed.Overlay(DIMENSION, base, workdir, settings, _no_lock)
        cold = []
        for q in queries:
            t = time.perf_counter()
            cold_overlay.search(q.reshape(1, -1), K)
            cold.append((time.perf_counter() - t) * 1e3)
        cold_p50, cold_p99 = np.percentile(cold, [50, 99])
        print(f"n={data.n:,}: first pass (cold) p50 {cold_p50:.3f} ms, p99 {cold_p99:.3f} ms", flush=True)
        rows = []
        for knob in knobs:
            nprobe, factor = divmod(knob, 1000)
            tuned = replace(settings, compressed_nprobe=nprobe, compressed_rerank_factor=factor)
            overlay = compressed.Overlay(DIMENSION, base, workdir, tuned, _no_lock)
            overlay.search(queries[:1], K)  # warm-up
            latencies, cpu, hits = [], [], []
            for q in queries:
                t, c = time.perf_counter(), time.thread_time()
                _, found = overlay.search(q.reshape(1, -1), K)
                latencies.append((time.perf_counter() - t) * 1e3)
                cpu.append((time.thread_time() - c) * 1e3)  # CPU time: what a busy machine does not inflate
                hits.append(found[0][found[0] >= 0])
            recall = float(np.mean([len(np.intersect1d(h, t)) / K for h, t in zip(hits, truth, strict=True)]))
            p50, p99 = np.percentile(latencies, [50, 99])
            label = f"nprobe={nprobe} x{factor} nlist={settings.compressed_lists(data.n)}"
            cpu50, cpu99 = np.percentile(cpu, [50, 99])
            rss_gb = (rss_bytes() - before) / 1e9
            note = (
                f"vector file {disk_gb:.2f} GB written in {write_s:.0f}s; peak RSS {peak_build_gb:.1f} GB;"
                f" cold first pass p50/p99 {cold_p50:.1f}/{cold_p99:.1f} ms;"
                f" CPU time p50/p99 {cpu50:.2f}/{cpu99:.2f} ms; codes {settings.compressed_codes}"
            )
            rows.append(Row(data.n, "cmp", label, build_s, rss_gb, index_gb, p50, p99, recall, note))
        del base
    finally:
        for path in files.all():
            path.unlink(missing_ok=True)
    gc.collect()
    return rows


@contextmanager
def _no_lock() -> Iterator[None]:
    yield


def _header() -> str:
    return (
        f"{'n':>10} {'type':<5} {'setting':<24} {'build s':>9} {'RSS GB':>7} {'index GB':>8} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'recall@10':>9}"
    )


def _format(row: Row) -> str:
    return (
        f"{row.n:>10,} {row.kind:<5} {row.knob:<24} {row.build_s:>9.1f} {row.rss_gb:>7.2f} "
        f"{row.index_gb:>8.2f} {row.p50_ms:>7.3f} {row.p99_ms:>7.3f} {row.recall:>9.3f}"
        + (f"  ({row.note})" if row.note else "")
    )


if __name__ == "__main__":
    main()
