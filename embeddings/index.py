"""The paragraph vector index: FAISS inner product over unit vectors, keyed by paragraph id.

The SQLite store is the source of truth (it keeps every vector); this index is a derived, on-disk
cache of it. ``generation`` records which store change it reflects, so start-up replays only the
changes made since the last save instead of re-embedding anything.

Exact search costs ~15 ms per query at 100k paragraphs and ~150 ms at 1M, so above
``AnnSettings.threshold`` live vectors the index switches to an approximate layout (HNSW by
default; ``embeddings/ann.py`` says why), and back below half of it. The layout is saved with the
generation, and converted at load time when the size or settings call for another one.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import faiss
import numpy as np
import numpy.typing as npt

from embeddings import ann
from embeddings.ann import AnnSettings, Ids, Kind
from embeddings.encoder import Vectors


@dataclass(frozen=True, slots=True)
class SearchHits:
    """Parallel arrays for one query, best first; ids of empty slots are dropped."""

    ids: Ids
    scores: npt.NDArray[np.float32]


TEMP_SUFFIX = ".tmp"


def temp_name(name: str) -> str:
    """A temp file name for ``name`` unique to this process and thread: ``name.<pid>.<thread>.tmp``.

    The writer's pid in the name lets start-up tell a leftover of a dead process (removed) from a
    save another live worker is making right now (kept): see ``temp_writer``.
    """
    return f"{name}.{os.getpid()}.{threading.get_ident()}{TEMP_SUFFIX}"


def temp_writer(path: Path) -> int | None:
    """The pid that wrote a temp file named by ``temp_name`` (None for any other name)."""
    parts = path.name.split(".")
    if len(parts) < 4 or "." + parts[-1] != TEMP_SUFFIX:
        return None
    try:
        return int(parts[-3])
    except ValueError:
        return None


@contextmanager
def _written(path: Path) -> Iterator[BinaryIO]:
    """``path`` open for writing, flushed and fsynced on success, removed on any failure.

    fsync before the rename: without it a crash could leave the new name on a file whose blocks
    never reached the disk, and some filesystems (NFS, delayed allocation) report ENOSPC only here.
    """
    try:
        with path.open("wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _writer_to(handle: BinaryIO) -> Callable[[bytes], int]:
    """A callback for ``faiss.PyCallbackIOWriter``: FAISS hands it chunks, and an ``OSError`` it
    raises comes out of ``faiss.write_index`` unchanged."""

    def write(chunk: bytes) -> int:
        handle.write(chunk)  # a buffered file writes all of it or raises
        return len(chunk)

    return write


def _generation_of(path: Path) -> int:
    """Generation in a saved index's file name ("paragraphs.41.faiss" -> 41; -1 if unreadable)."""
    try:
        return int(path.name.split(".")[1])
    except (IndexError, ValueError):
        return -1


class ParagraphIndex:
    """Inner-product search with add/remove by id; exact when small, approximate when large.

    The layout follows the live size (``AnnSettings.threshold``): exact FAISS search below it,
    HNSW (default) or IVF at or above it, switched automatically at open time and by the write
    that crosses the threshold. See ``embeddings/ann.py`` for the layouts and why HNSW.

    FAISS tolerates concurrent searches but not a write during a search, hence the reader/writer
    split: searches take the shared side, mutations the exclusive one. Writers are serialised by
    ``_writer``, which lets a layout switch or compaction build the replacement index while
    searches keep running on the old one; only the final swap is exclusive.
    """

    def __init__(
        self,
        dimension: int,
        generation: int = 0,
        index: faiss.Index | None = None,
        settings: AnnSettings | None = None,
    ) -> None:
        self.dimension = dimension
        self.generation = generation
        self.settings = settings if settings is not None else AnnSettings()
        layout = ann.wrap(index, self.settings) if index is not None else ann.FlatLayout(dimension)
        if layout is None:
            raise ValueError(f"unsupported FAISS index type {type(index).__name__}")
        self._layout: ann.Layout = layout
        self._writer = threading.Lock()
        self._write_lock = threading.Lock()
        self._readers = 0
        self._readers_lock = threading.Condition()

    def __len__(self) -> int:
        return len(self._layout)

    @property
    def kind(self) -> Kind:
        """The layout in use now (``flat``, ``ivf`` or ``hnsw``)."""
        return self._layout.kind

    def upsert(self, ids: Ids, vectors: Vectors) -> None:
        """Add vectors under ``ids``, replacing any already stored under those ids (idempotent)."""
        if len(ids) == 0:
            return
        if vectors.shape != (len(ids), self.dimension):
            raise ValueError(f"expected {len(ids)} x {self.dimension} vectors, got {vectors.shape}")
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if ids.min() < 0:
            raise ValueError("paragraph ids must be non-negative")  # negative ids mark tombstones
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        with self._writer:
            if self._layout.kind is Kind.FLAT and len(self._layout) + len(ids) >= self.settings.threshold:
                # Crossing the threshold (or a bulk rebuild): build the approximate layout straight
                # from old + new vectors instead of growing the exact index first.
                old_ids, old_vectors = self._layout.export()
                keep = ~np.isin(old_ids, ids)
                merged_ids = np.concatenate([old_ids[keep], ids])
                self._switch(merged_ids, np.vstack([old_vectors[keep], vectors]), self.settings.approximate)
                return
            with self._exclusive():
                self._layout.remove(ids)
                self._layout.add(ids, vectors)
            self._upkeep()

    def remove(self, ids: Ids) -> None:
        if len(ids) == 0:
            return
        with self._writer:
            with self._exclusive():
                self._layout.remove(np.ascontiguousarray(ids, dtype=np.int64))
            self._upkeep()

    def ids(self) -> Ids:
        """Every live paragraph id (tombstones excluded), to compare the index with the store."""
        with self._shared():
            return np.array(self._layout.export()[0], dtype=np.int64)

    def search(self, query: Vectors, k: int) -> SearchHits:
        """Top ``k`` paragraphs for one query vector (shape ``(dimension,)`` or ``(1, dimension)``)."""
        q = np.ascontiguousarray(query.reshape(1, self.dimension), dtype=np.float32)
        with self._shared():
            k = min(k, len(self._layout))
            if k <= 0:
                return SearchHits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
            scores, ids = self._layout.search(q, k)
        keep = ids[0] >= 0
        return SearchHits(ids[0][keep].astype(np.int64), scores[0][keep].astype(np.float32))

    def rebalance(self) -> None:
        """Switch layout or compact now if the size or upkeep calls for it (writes do this too)."""
        with self._writer:
            self._upkeep()

    def _target_kind(self) -> Kind:
        n, threshold = len(self._layout), self.settings.threshold
        if self._layout.kind is Kind.FLAT:
            return self.settings.approximate if n >= threshold else Kind.FLAT
        return Kind.FLAT if n < threshold // 2 else self.settings.approximate

    def _upkeep(self) -> None:
        """Rebuild in the layout the size calls for, or in the same one when it is stale.

        Called with ``_writer`` held, so no write can interleave: reading the old layout's
        vectors while searches run is safe (both only read), and searches see the old index
        until the swap.
        """
        target = self._target_kind()
        if target is self._layout.kind and not self._layout.stale(self.settings):
            return
        ids, vectors = self._layout.export()
        self._switch(ids, vectors, target)

    def _switch(self, ids: Ids, vectors: Vectors, kind: Kind) -> None:
        layout = ann.build(kind, self.dimension, ids, vectors, self.settings)
        with self._exclusive():
            self._layout = layout

    def save(self, directory: Path) -> None:
        """Write the index under a name that carries its generation, then the metadata that points
        at it, each atomically (unique temp file + rename).

        Several worker processes share one data directory and may save at once: each writes its
        own temp files, and the metadata always names a complete file of the generation it states,
        so no interleaving pairs an index with another save's generation. Older files are removed.

        The bytes go through Python's file object rather than ``faiss.write_index(index, path)``:
        FAISS reports a failed ``fclose`` only on stderr, so a small index written to a full disk
        came back as success with a 0-byte file. Here a short write or a failed flush or fsync
        raises ``OSError`` (errno ENOSPC, EDQUOT, EROFS …), the temp file is removed, and the files
        already in place stay as they were.
        """
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self._shared():
            generation, kind = self.generation, self._layout.kind
            name = f"paragraphs.{generation}.faiss"
            tmp = directory / temp_name(name)
            with _written(tmp) as handle:
                writer = faiss.PyCallbackIOWriter(_writer_to(handle))  # type: ignore[attr-defined]
                faiss.write_index(self._layout.index, writer)
        tmp.replace(directory / name)
        meta = {"generation": generation, "dimension": self.dimension, "kind": kind, "file": name}
        meta_tmp = directory / temp_name("paragraphs.json")
        with _written(meta_tmp) as handle:
            handle.write(json.dumps(meta).encode())
        meta_tmp.replace(directory / "paragraphs.json")
        for old in directory.glob("paragraphs.*.faiss"):
            if old.name != name and _generation_of(old) < generation:
                old.unlink(missing_ok=True)

    @classmethod
    def load(
        cls, directory: Path, dimension: int, settings: AnnSettings | None = None
    ) -> ParagraphIndex | None:
        """The saved index, or ``None`` when there is none or it does not fit this model.

        A layout that no longer suits the size or the settings (say the threshold was changed)
        is converted here, from the vectors the file holds.
        """
        meta_path = directory / "paragraphs.json"
        try:
            meta = json.loads(meta_path.read_text())
            index = faiss.read_index(str(directory / str(meta["file"])))
        except (OSError, ValueError, RuntimeError, KeyError, TypeError):
            return None  # missing, torn or from another layout: the caller rebuilds from the store
        if meta.get("dimension") != dimension or index.d != dimension:
            return None
        try:
            loaded = cls(dimension, generation=int(meta.get("generation", 0)), index=index, settings=settings)
        except ValueError:
            return None
        if meta.get("kind", Kind.FLAT) != loaded.kind:
            return None  # a metadata file from another save: rebuild rather than guess
        if loaded.kind not in (Kind.FLAT, loaded.settings.approximate):
            with loaded._writer:
                loaded._switch(*loaded._layout.export(), loaded._target_kind())
        loaded.rebalance()
        return loaded

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
