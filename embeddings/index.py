"""The paragraph vector index: FAISS inner product over unit vectors, keyed by paragraph id.

The SQLite store is the source of truth (it keeps every vector); this index is a derived, on-disk
cache of it. ``generation`` records which store change it reflects, so start-up replays only the
changes made since the last save instead of re-embedding anything.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt

from embeddings.encoder import Vectors

Ids = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class SearchHits:
    """Parallel arrays for one query, best first; ids of empty slots are dropped."""

    ids: Ids
    scores: npt.NDArray[np.float32]


def _selector(ids: Ids) -> faiss.IDSelector:
    return faiss.IDSelectorBatch(np.ascontiguousarray(ids, dtype=np.int64))


class ParagraphIndex:
    """Exact inner-product search with add/remove by id.

    FAISS tolerates concurrent searches but not a write during a search, hence the lock around
    writes and the reader/writer split: searches take the shared side, writes the exclusive one.
    """

    def __init__(self, dimension: int, generation: int = 0, index: faiss.Index | None = None) -> None:
        self.dimension = dimension
        self.generation = generation
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self._write_lock = threading.Lock()
        self._readers = 0
        self._readers_lock = threading.Condition()

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def upsert(self, ids: Ids, vectors: Vectors) -> None:
        """Add vectors under ``ids``, replacing any already stored under those ids (idempotent)."""
        if len(ids) == 0:
            return
        if vectors.shape != (len(ids), self.dimension):
            raise ValueError(f"expected {len(ids)} x {self.dimension} vectors, got {vectors.shape}")
        with self._exclusive():
            self._index.remove_ids(_selector(ids))
            self._index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.ascontiguousarray(ids, dtype=np.int64)
            )

    def remove(self, ids: Ids) -> None:
        if len(ids) == 0:
            return
        with self._exclusive():
            self._index.remove_ids(_selector(ids))

    def search(self, query: Vectors, k: int) -> SearchHits:
        """Top ``k`` paragraphs for one query vector (shape ``(dimension,)`` or ``(1, dimension)``)."""
        q = np.ascontiguousarray(query.reshape(1, self.dimension), dtype=np.float32)
        with self._shared():
            k = min(k, int(self._index.ntotal))
            if k <= 0:
                return SearchHits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
            scores, ids = self._index.search(q, k)
        keep = ids[0] >= 0
        return SearchHits(ids[0][keep].astype(np.int64), scores[0][keep].astype(np.float32))

    def save(self, directory: Path) -> None:
        """Write index then its generation, each atomically (temp file + rename).

        A crash between the two leaves an index newer than its recorded generation; replaying
        from the older generation is harmless because ``upsert`` and ``remove`` are idempotent.
        """
        directory.mkdir(parents=True, exist_ok=True)
        with self._shared():
            tmp = directory / "paragraphs.faiss.tmp"
            faiss.write_index(self._index, str(tmp))
            generation = self.generation
        tmp.replace(directory / "paragraphs.faiss")
        meta_tmp = directory / "paragraphs.json.tmp"
        meta_tmp.write_text(json.dumps({"generation": generation, "dimension": self.dimension}))
        meta_tmp.replace(directory / "paragraphs.json")

    @classmethod
    def load(cls, directory: Path, dimension: int) -> ParagraphIndex | None:
        """The saved index, or ``None`` when there is none or it does not fit this model."""
        index_path, meta_path = directory / "paragraphs.faiss", directory / "paragraphs.json"
        if not index_path.exists() or not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text())
            index = faiss.read_index(str(index_path))
        except (OSError, ValueError, RuntimeError):
            return None
        if meta.get("dimension") != dimension or index.d != dimension:
            return None
        return cls(dimension, generation=int(meta.get("generation", 0)), index=index)

    # -- reader/writer exclusion -------------------------------------------------------------

    @contextmanager
    def _shared(self) -> Iterator[None]:
        """Many searches at once; a waiting writer holds ``_write_lock`` so new readers queue."""
        with self._write_lock, self._readers_lock:
            self._readers += 1
        try:
            yield
        finally:
            with self._readers_lock:
                self._readers -= 1
                self._readers_lock.notify_all()

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with self._write_lock:
            with self._readers_lock:
                self._readers_lock.wait_for(lambda: self._readers == 0)
            yield
