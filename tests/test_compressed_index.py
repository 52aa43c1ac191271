"""The compressed paragraph index (IVF-PQ + vectors on disk + exact delta, background rebuilds):
results checked against brute-force numpy, writes during a build, deletion, restart."""

from __future__ import annotations

import json
import threading

import faiss
import numpy as np
import pytest

from bench.scale import DIMENSION, Synthetic
from embeddings import compressed
from embeddings.ann import AnnSettings, Kind
from embeddings.index import ParagraphIndex

D = DIMENSION  # 384, as MiniLM
# Small thresholds so tests build compressed indexes of tens of thousands of vectors in seconds.
SETTINGS = AnnSettings(threshold=1_000, compressed_threshold=10_000, compressed_delta_max=2_000)


@pytest.fixture(autouse=True)
def one_faiss_thread():
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    yield
    faiss.omp_set_num_threads(before)


_POOL = Synthetic(80_000, seed=3)
_VECTORS = np.vstack([v for _, v in _POOL.chunks()])
_QUERIES = _POOL.queries(200)


class _Draw:
    """Disjoint slices of one pool of calibrated synthetic paragraph vectors (``bench/scale.py``:
    clustered and anisotropic like MiniLM's), so every vector a test adds is new to the index."""

    def __init__(self, seed: int) -> None:
        self.at = (seed * 7919) % 20_000
        self.taken = 0

    def __call__(self, n: int) -> np.ndarray:
        if self.taken + n > len(_VECTORS):
            raise ValueError("pool exhausted")
        rows = (self.at + self.taken + np.arange(n)) % len(_VECTORS)
        self.taken += n
        return _VECTORS[rows]


def _queries(seed: int, n: int) -> np.ndarray:
    return _QUERIES[seed % 100 : seed % 100 + n]


class Truth:
    """The live id -> vector map, searched by brute force."""

    def __init__(self) -> None:
        self.vectors: dict[int, np.ndarray] = {}
        self._matrix: tuple[np.ndarray, np.ndarray] | None = None

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.vectors.update(zip(ids.tolist(), vectors, strict=True))
        self._matrix = None

    def remove(self, ids: np.ndarray) -> None:
        for i in ids.tolist():
            self.vectors.pop(i, None)
        self._matrix = None

    def top(self, query: np.ndarray, k: int) -> np.ndarray:
        if self._matrix is None:
            self._matrix = np.fromiter(self.vectors, dtype=np.int64), np.vstack(list(self.vectors.values()))
        ids, matrix = self._matrix
        return ids[np.argsort(-(matrix @ query))[:k]]


def _recall(index: ParagraphIndex, truth: Truth, queries: np.ndarray, k: int = 10) -> float:
    found = []
    for q in queries:
        hits = index.search(q, k)
        # scores are exact inner products (re-ranked from the stored vectors), not PQ estimates
        expected = np.array([truth.vectors[i] @ q for i in hits.ids.tolist()], dtype=np.float32)
        assert np.allclose(hits.scores, expected, atol=2e-3)
        found.append(len(np.intersect1d(hits.ids, truth.top(q, k))) / k)
    return float(np.mean(found))


def _bulk(draw: _Draw, n: int, tmp_path, settings: AnnSettings = SETTINGS):
    vectors = draw(n)
    ids = np.arange(10_000, 10_000 + n, dtype=np.int64)
    index = ParagraphIndex(D, settings=settings, directory=tmp_path)
    index.upsert(ids, vectors)
    truth = Truth()
    truth.upsert(ids, vectors)
    return index, truth, vectors


def test_compressed_recall_against_brute_force(tmp_path):
    draw = _Draw(11)
    index, truth, _ = _bulk(draw, 20_000, tmp_path)
    assert index.kind is Kind.COMPRESSED and len(index) == 20_000
    queries = _queries(12, 40)
    assert _recall(index, truth, queries) >= 0.95
    # The float vectors live in a file (float16), read row by row, not in the FAISS index.
    base = index._layout.base  # type: ignore[union-attr]
    assert isinstance(base, compressed.CompressedBase) and isinstance(base.vectors, compressed.VectorFile)
    assert base.files.vectors.stat().st_size == 20_000 * D * 2
    assert base.files.index.stat().st_size < 20_000 * D  # PQ codes: well under a byte a dimension


def test_searches_and_writes_go_on_during_a_background_build(tmp_path, monkeypatch):
    """Growing past the threshold freezes the HNSW layout as the base and builds the compressed
    one in a thread; meanwhile searches are answered and upserts and deletes take effect at once.

    The build is held at its start until the writes are done, so "meanwhile" is a fact of the
    test, not a race against the machine's speed: a write or search that waited for the build
    would never finish, and the bounded join below would say so."""
    held = threading.Event()
    real_build_base = compressed.build_base

    def build_base_when_released(*args: object, **kwargs: object) -> compressed.CompressedBase:
        if not held.wait(timeout=300):
            raise TimeoutError("the test never released the build")
        return real_build_base(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(compressed, "build_base", build_base_when_released)
    rng = np.random.default_rng(5)
    vectors = _Draw(5)(30_000)
    ids = np.arange(30_000, dtype=np.int64)
    index = ParagraphIndex(D, settings=SETTINGS, directory=tmp_path)
    truth = Truth()
    index.upsert(ids[:9_900], vectors[:9_900])
    truth.upsert(ids[:9_900], vectors[:9_900])
    assert index.kind is Kind.HNSW and not index.building
    index.upsert(ids[9_900:10_100], vectors[9_900:10_100])  # crosses 10k: a build starts
    truth.upsert(ids[9_900:10_100], vectors[9_900:10_100])
    assert index.kind is Kind.COMPRESSED and index.building

    queries = _queries(6, 30)
    removed: list[int] = []
    failures: list[BaseException] = []

    def write_and_search_while_building() -> None:
        try:
            for step, next_id in enumerate(range(10_100, 14_100, 100)):
                batch = np.arange(next_id, next_id + 100)
                index.upsert(batch, vectors[batch])
                truth.upsert(batch, vectors[batch])
                gone = rng.choice(next_id, 20, replace=False).astype(np.int64)
                index.remove(gone)
                truth.remove(gone)
                removed.extend(gone.tolist())
                hits = index.search(vectors[batch[0]], 1)
                assert list(hits.ids) == [batch[0]]  # just written: found at once, from the delta
                found = index.search(queries[step % len(queries)], 10)
                assert not set(found.ids.tolist()) & set(removed)
        except BaseException as error:  # reported to the test thread below
            failures.append(error)

    writer = threading.Thread(target=write_and_search_while_building)
    writer.start()
    writer.join(timeout=120)
    still_waiting = writer.is_alive()
    was_building = index.building
    held.set()
    writer.join()
    assert not still_waiting, "a write or search waited for the held build"
    assert not failures, failures
    assert was_building, "the build ended before the writes were done"

    index.wait_for_build()
    assert not index.building and index.kind is Kind.COMPRESSED
    assert isinstance(index._layout.base, compressed.CompressedBase)  # type: ignore[union-attr]
    assert len(index) == len(truth.vectors)
    assert set(index.ids().tolist()) == set(truth.vectors)
    assert _recall(index, truth, queries) >= 0.95
    for i in removed[:200]:
        assert i not in index.search(vectors[i], 10).ids.tolist()


def test_deletes_and_replacements_survive_a_rebuild(tmp_path):
    draw = _Draw(21)
    index, truth, vectors = _bulk(draw, 15_000, tmp_path)
    ids = np.arange(10_000, 25_000, dtype=np.int64)
    gone = ids[:500]
    index.remove(gone)
    truth.remove(gone)
    replaced = ids[1_000:1_300]
    fresh = draw(len(replaced))
    index.upsert(replaced, fresh)
    truth.upsert(replaced, fresh)
    assert len(index) == 14_500
    for i in gone[:100]:
        assert i not in index.search(vectors[i - 10_000], 10).ids.tolist()
    for i, v in zip(replaced[:50], fresh[:50], strict=True):
        hits = index.search(v, 1)
        assert list(hits.ids) == [i] and hits.scores[0] == pytest.approx(1.0, abs=1e-3)
    # Enough new vectors to pass compressed_delta_max: a rebuild; one deletes a delta id meanwhile.
    new_ids = np.arange(50_000, 52_500, dtype=np.int64)
    new_vectors = draw(len(new_ids))
    index.upsert(new_ids, new_vectors)
    truth.upsert(new_ids, new_vectors)
    assert index.building
    index.remove(new_ids[:10])  # in the snapshot being built: must stay gone after the swap
    truth.remove(new_ids[:10])
    index.wait_for_build()
    layout = index._layout
    assert len(layout.delta) == 0 and len(layout.hidden) == 10  # type: ignore[union-attr]
    assert len(index) == len(truth.vectors)
    for i, v in zip(new_ids[:10], new_vectors[:10], strict=True):
        assert i not in index.search(v, 10).ids.tolist()
    for i in gone[:100]:
        assert i not in index.search(vectors[i - 10_000], 10).ids.tolist()
    assert _recall(index, truth, _queries(24, 30)) >= 0.95


def test_restart_loads_the_compressed_layout(tmp_path):
    draw = _Draw(31)
    work = tmp_path / "work"
    index, truth, vectors = _bulk(draw, 12_000, work)
    index.remove(np.arange(10_000, 10_100))
    truth.remove(np.arange(10_000, 10_100))
    extra = draw(50)
    index.upsert(np.arange(90_000, 90_050), extra)
    truth.upsert(np.arange(90_000, 90_050), extra)
    index.generation = 77
    saved = tmp_path / "saved"
    index.save(saved)  # another directory: the base files are linked or copied there
    meta = json.loads((saved / "paragraphs.json").read_text())
    assert meta["kind"] == "compressed" and meta["generation"] == 77
    queries = _queries(33, 20)
    before = [index.search(q, 10).ids.tolist() for q in queries]

    loaded = ParagraphIndex.load(saved, D, SETTINGS)
    assert loaded is not None and loaded.kind is Kind.COMPRESSED and loaded.generation == 77
    assert len(loaded) == len(truth.vectors) == 12_000 - 100 + 50
    assert [loaded.search(q, 10).ids.tolist() for q in queries] == before
    assert 10_050 not in loaded.search(vectors[50], 10).ids.tolist()
    assert list(loaded.search(extra[3], 1).ids) == [90_003]
    assert _recall(loaded, truth, queries) >= 0.95
    assert ParagraphIndex.load(saved, 2 * D, SETTINGS) is None

    # Writes after the restart, a rebuild, a save: the superseded base's files are removed.
    old_tag = meta["base"]
    more = draw(2_100)
    loaded.upsert(np.arange(100_000, 102_100), more)
    truth.upsert(np.arange(100_000, 102_100), more)
    loaded.wait_for_build()
    loaded.generation = 78
    loaded.save(saved)
    meta = json.loads((saved / "paragraphs.json").read_text())
    assert meta["base"] != old_tag
    assert compressed.base_tags(saved) == {meta["base"]}
    again = ParagraphIndex.load(saved, D, SETTINGS)
    assert again is not None and len(again) == len(truth.vectors)
    assert _recall(again, truth, queries) >= 0.95


def test_save_during_the_first_build_keeps_the_frozen_layout(tmp_path):
    vectors = _Draw(41)(11_000)
    index = ParagraphIndex(D, settings=SETTINGS, directory=tmp_path / "work")
    index.upsert(np.arange(9_000), vectors[:9_000])
    index.upsert(np.arange(9_000, 11_000), vectors[9_000:])
    assert index.building
    index.save(tmp_path / "saved")
    loaded = ParagraphIndex.load(tmp_path / "saved", D, SETTINGS)
    index.wait_for_build()
    assert loaded is not None and loaded.kind is Kind.COMPRESSED and len(loaded) == 11_000
    loaded.wait_for_build()  # it resumes the build from the frozen layout
    assert isinstance(loaded._layout.base, compressed.CompressedBase)  # type: ignore[union-attr]
    assert list(loaded.search(vectors[10_500], 1).ids) == [10_500]


def test_shrinking_goes_back_to_the_smaller_layout(tmp_path):
    index, truth, _ = _bulk(_Draw(51), 12_000, tmp_path)
    index.remove(np.arange(10_000, 17_500))
    assert index.kind is Kind.HNSW and len(index) == 4_500
    truth.remove(np.arange(10_000, 17_500))
    assert set(index.ids().tolist()) == set(truth.vectors)
