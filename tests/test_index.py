"""The FAISS paragraph index: results checked against brute force, persistence, replay."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.index import ParagraphIndex


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
