"""The FAISS paragraph index: results checked against brute force, persistence, replay."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import faiss
import numpy as np
import pytest

from embeddings.ann import AnnSettings, Kind
from embeddings.index import ParagraphIndex
from embeddings.threads import set_faiss_threads


def _unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    v = rng.standard_normal((n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_search_matches_brute_force():
    rng = np.random.default_rng(7)
    vectors = _unit(rng, 500, 32)
    ids = np.arange(1000, 1500, dtype=np.int64)
    index = ParagraphIndex(32)
    index.upsert(ids, vectors)
    for q in _unit(rng, 10, 32):
        hits = index.search(q, 10)
        expected = ids[np.argsort(-(vectors @ q))[:10]]
        assert list(hits.ids) == list(expected)
        assert np.allclose(hits.scores, np.sort(vectors @ q)[::-1][:10], atol=1e-5)


def test_upsert_replaces_and_remove_forgets():
    rng = np.random.default_rng(1)
    vectors = _unit(rng, 3, 8)
    index = ParagraphIndex(8)
    index.upsert(np.array([1, 2, 3]), vectors)
    index.upsert(np.array([2]), vectors[:1])  # id 2 now holds vector 0: no duplicate entry
    assert len(index) == 3
    index.remove(np.array([1, 2]))
    assert len(index) == 1
    assert list(index.search(vectors[0], 5).ids) == [3]


def test_search_on_empty_index_returns_nothing():
    assert len(ParagraphIndex(4).search(np.ones(4, dtype=np.float32) / 2, 5).ids) == 0


def test_save_and_load_round_trip(tmp_path):
    rng = np.random.default_rng(3)
    vectors = _unit(rng, 20, 16)
    index = ParagraphIndex(16, generation=41)
    index.upsert(np.arange(20), vectors)
    index.save(tmp_path)
    loaded = ParagraphIndex.load(tmp_path, 16)
    assert loaded is not None and loaded.generation == 41 and len(loaded) == 20
    assert list(loaded.search(vectors[5], 1).ids) == [5]
    assert ParagraphIndex.load(tmp_path, 32) is None  # another model's dimension: rebuild instead


def test_upsert_rejects_wrong_shape():
    with pytest.raises(ValueError, match="vectors"):
        ParagraphIndex(4).upsert(np.array([1]), np.ones((1, 3), dtype=np.float32))


# -- approximate layouts ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def one_faiss_thread():
    """As in the service; OpenMP threads spinning against a busy machine make builds crawl."""
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    yield
    faiss.omp_set_num_threads(before)


def _clustered(rng: np.random.Generator, n: int, d: int, clusters: int) -> np.ndarray:
    """Unit vectors around random centres: the shape of sentence embeddings, unlike uniform noise."""
    centres = _unit(rng, clusters, d)
    v = centres[rng.integers(0, clusters, n)] + 0.6 * rng.standard_normal((n, d)).astype(
        np.float32
    ) / np.sqrt(d)
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def _recall(index: ParagraphIndex, vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray) -> float:
    found = 0
    for q in queries:
        expected = set(ids[np.argsort(-(vectors @ q))[:10]].tolist())
        found += len(expected & set(index.search(q, 10).ids.tolist()))
    return found / (10 * len(queries))


@pytest.mark.parametrize("kind", [Kind.IVF, Kind.HNSW])
def test_approximate_recall_against_brute_force(kind):
    rng = np.random.default_rng(11)
    vectors = _clustered(rng, 10_000, 48, 200)
    ids = np.arange(5, 10_005, dtype=np.int64)
    index = ParagraphIndex(48, settings=AnnSettings(threshold=1_000, approximate=kind))
    index.upsert(ids, vectors)
    assert index.kind is kind
    assert _recall(index, vectors, ids, _clustered(rng, 100, 48, 200)) >= 0.95


@pytest.mark.parametrize("kind", [Kind.IVF, Kind.HNSW])
def test_approximate_layout_honours_removal_and_replacement(kind):
    rng = np.random.default_rng(5)
    vectors = _clustered(rng, 3_000, 32, 50)
    ids = np.arange(3_000, dtype=np.int64)
    index = ParagraphIndex(32, settings=AnnSettings(threshold=500, approximate=kind))
    index.upsert(ids, vectors)
    assert index.kind is kind
    index.remove(ids[:100])
    assert len(index) == 2_900
    for q in vectors[:100]:  # each removed vector's own query must not find it any more
        assert not set(index.search(q, 10).ids.tolist()) & set(range(100))
    # Replacement: id 200 now holds vector 300's content; its old vector must not answer for it.
    index.upsert(np.array([200]), vectors[300:301])
    assert len(index) == 2_900
    hits = index.search(vectors[200], 5)
    score = dict(zip(hits.ids.tolist(), hits.scores.tolist(), strict=True)).get(200)
    assert score is None or abs(score - float(np.dot(vectors[200], vectors[300]))) < 1e-4
    assert 200 in index.search(vectors[300], 5).ids.tolist()
    hits = index.search(vectors[300], 50).ids.tolist()
    assert hits.count(200) == 1  # no duplicate answers for a replaced id


def test_hnsw_compacts_past_the_tombstone_fraction():
    rng = np.random.default_rng(9)
    vectors = _clustered(rng, 2_000, 16, 40)
    settings = AnnSettings(threshold=100, approximate=Kind.HNSW, hnsw_tombstone_fraction=0.2)
    index = ParagraphIndex(16, settings=settings)
    index.upsert(np.arange(2_000), vectors)
    index.remove(np.arange(300))  # 15%: tombstones only
    assert index._layout.index.ntotal == 2_000
    index.remove(np.arange(300, 500))  # 25%: rebuilt from the 1,500 live vectors
    assert index._layout.index.ntotal == 1_500 and len(index) == 1_500
    assert list(index.search(vectors[700], 1).ids) == [700]


@pytest.mark.parametrize("kind", [Kind.IVF, Kind.HNSW])
def test_save_and_load_round_trip_of_the_approximate_layout(tmp_path, kind):
    rng = np.random.default_rng(4)
    vectors = _clustered(rng, 2_000, 32, 40)
    settings = AnnSettings(threshold=500, approximate=kind)
    index = ParagraphIndex(32, generation=7, settings=settings)
    index.upsert(np.arange(2_000), vectors)
    index.remove(np.arange(50))  # HNSW keeps these as tombstones: they must stay dead after load
    index.save(tmp_path)
    assert json.loads((tmp_path / "paragraphs.json").read_text())["kind"] == kind
    loaded = ParagraphIndex.load(tmp_path, 32, settings=settings)
    assert loaded is not None and loaded.kind is kind and loaded.generation == 7 and len(loaded) == 1_950
    for i in (60, 700, 1_999):
        assert list(loaded.search(vectors[i], 1).ids) == [i]
    assert not set(loaded.search(vectors[10], 20).ids.tolist()) & set(range(50))
    # A smaller index than the threshold calls for is converted to exact search at load time.
    exact = ParagraphIndex.load(tmp_path, 32, settings=AnnSettings(threshold=100_000))
    assert exact is not None and exact.kind is Kind.FLAT and len(exact) == 1_950
    assert list(exact.search(vectors[700], 1).ids) == [700]


@pytest.mark.parametrize("kind", [Kind.IVF, Kind.HNSW])
def test_switches_layout_when_crossing_the_threshold(kind):
    rng = np.random.default_rng(2)
    vectors = _clustered(rng, 1_200, 32, 30)
    index = ParagraphIndex(32, settings=AnnSettings(threshold=1_000, approximate=kind))
    for start in range(0, 990, 30):  # ingest in document-sized batches, below the threshold
        index.upsert(np.arange(start, start + 30), vectors[start : start + 30])
    assert index.kind is Kind.FLAT and len(index) == 990
    index.upsert(np.arange(990, 1_020), vectors[990:1_020])  # crosses it
    assert index.kind is kind and len(index) == 1_020
    assert all(list(index.search(vectors[i], 1).ids) == [i] for i in (0, 500, 1_019))
    index.remove(np.arange(0, 400))  # 620 left: above half the threshold, stays approximate
    assert index.kind is kind and len(index) == 620
    index.remove(np.arange(400, 540))  # 480 left: below half, back to exact search
    assert index.kind is Kind.FLAT and len(index) == 480
    assert list(index.search(vectors[600], 1).ids) == [600]


# -- FAISS threads per calling thread ---------------------------------------------------------------


def _omp_threads_in_new_thread(work: Callable[[], object]) -> int:
    """FAISS's OpenMP thread count as seen by a fresh thread right after it runs ``work``."""
    seen: list[int] = []

    def run() -> None:
        work()
        seen.append(faiss.omp_get_max_threads())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return seen[0]


def test_every_thread_that_searches_or_writes_gets_the_configured_faiss_threads() -> None:
    """libgomp keeps the count per thread: set at start-up in the main thread only, the service's
    query and write threads ran FAISS with one OpenMP thread per core. A count unlike the default
    proves the index applied it in the calling thread."""
    default = _omp_threads_in_new_thread(lambda: None)
    wanted = default + 1
    rng = np.random.default_rng(7)
    vectors = _unit(rng, 8, 4)
    index = ParagraphIndex(4)
    try:
        set_faiss_threads(wanted)
        assert _omp_threads_in_new_thread(lambda: index.upsert(np.arange(8), vectors)) == wanted
        assert _omp_threads_in_new_thread(lambda: index.search(vectors[0], 3)) == wanted
        assert _omp_threads_in_new_thread(lambda: index.remove(np.array([1]))) == wanted
        assert _omp_threads_in_new_thread(lambda: None) == default  # threads that never call FAISS
    finally:
        set_faiss_threads(1)  # as every serving process and the test session configure it
