"""The paragraph vector index: FAISS inner product over unit vectors, keyed by paragraph id.

The SQLite store is the source of truth (it keeps every vector); this index is a derived, on-disk
cache of it. ``generation`` records which store change it reflects, so start-up replays only the
changes made since the last save instead of re-embedding anything.

Exact search costs ~15 ms per query at 100k paragraphs and ~150 ms at 1M, so above
``AnnSettings.threshold`` live vectors the index switches to an approximate layout (HNSW by
default; ``embeddings/ann.py`` says why), and back below half of it. Above
``AnnSettings.compressed_threshold`` (millions) it switches to the compressed layout of
``embeddings/compressed.py`` (IVF-PQ in memory, float vectors in a file, rebuilt in a background
thread while searches and writes go on). The layout is saved with the generation, and converted at
load time when the size or settings call for another one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import faiss
import numpy as np
import numpy.typing as npt

from embeddings import ann, compressed
from embeddings.ann import AnnSettings, Ids, Kind
from embeddings.encoder import Vectors
from embeddings.threads import apply_faiss_threads


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


def _write_index(index: faiss.Index, directory: Path, name: str) -> None:
    """``faiss.write_index`` to ``directory / name`` atomically, with write errors raised."""
    tmp = directory / temp_name(name)
    with _written(tmp) as handle:
        writer = faiss.PyCallbackIOWriter(_writer_to(handle))  # type: ignore[attr-defined]
        faiss.write_index(index, writer)
    tmp.replace(directory / name)


def _save_overlay_parts(layout: compressed.Overlay, directory: Path, generation: int) -> dict[str, object]:
    """Write what a compressed layout needs beside its delta; the metadata entries naming it.

    A compressed base's files are immutable and already on disk (fsynced by the build): they are
    only linked (or copied) into ``directory`` when it is not where they were built. A frozen
    base (the previous layout, while the first compressed base is built) is written whole.
    """
    parts: dict[str, object] = {}
    base = layout.base
    if isinstance(base, compressed.CompressedBase):
        target = compressed.BaseFiles(directory, base.files.tag)
        for source, destination in zip(base.files.all(), target.all(), strict=True):
            if destination.exists() and source.samefile(destination):
                continue
            tmp = directory / temp_name(destination.name)
            try:
                os.link(source, tmp)
            except OSError:
                shutil.copyfile(source, tmp)
            tmp.replace(destination)
        parts["base"] = base.files.tag
    else:
        frozen = f"paragraphs.{generation}.frozen.faiss"
        _write_index(base.layout.index, directory, frozen)
        parts["frozen"] = frozen
    hidden = f"paragraphs.{generation}.hidden.npy"
    tmp = directory / temp_name(hidden)
    with _written(tmp) as handle:
        np.save(handle, np.fromiter(layout.hidden, dtype=np.int64, count=len(layout.hidden)))
    tmp.replace(directory / hidden)
    parts["hidden"] = hidden
    return parts


def _bases_in_use(layout: object, directory: Path) -> set[str]:
    """Compressed base tags this process must keep in ``directory``: the current base, one being
    built, and the one the metadata names."""
    keep: set[str] = set()
    if isinstance(layout, compressed.Overlay):
        if isinstance(layout.base, compressed.CompressedBase):
            keep.add(layout.base.files.tag)
        if layout.building_tag is not None:
            keep.add(layout.building_tag)
    return keep | compressed.named_base(directory)


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
        directory: Path | None = None,
    ) -> None:
        self.dimension = dimension
        self.generation = generation
        self.settings = settings if settings is not None else AnnSettings()
        # Where the compressed layout writes its base files (the index directory of the data
        # directory in the service; a private temporary directory when none is given).
        self.directory = directory
        layout = ann.wrap(index, self.settings) if index is not None else ann.FlatLayout(dimension)
        if layout is None:
            raise ValueError(f"unsupported FAISS index type {type(index).__name__}")
        self._layout: ann.Layout | compressed.Overlay = layout
        self._writer = threading.Lock()
        self._write_lock = threading.Lock()
        self._readers = 0
        self._readers_lock = threading.Condition()

    def __len__(self) -> int:
        return len(self._layout)

    @property
    def kind(self) -> Kind:
        """The layout in use now (``flat``, ``ivf``, ``hnsw`` or ``compressed``)."""
        return self._layout.kind

    @property
    def building(self) -> bool:
        """Whether a background build of the compressed layout is running."""
        return isinstance(self._layout, compressed.Overlay) and self._layout.building

    def wait_for_build(self, timeout: float | None = None) -> None:
        """Wait for a running background build to swap in (bulk ingest, tests, the benchmark)."""
        layout = self._layout
        if isinstance(layout, compressed.Overlay):
            layout.wait(timeout)

    def _work_directory(self) -> Path:
        """Where to build: the index directory, or a private temporary one when there is none or
        it cannot be written (a read-only data directory keeps its index in memory and /tmp)."""
        directory = self.directory
        if directory is not None:
            try:
                directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            except OSError:
                directory = None
            else:
                if not os.access(directory, os.W_OK):
                    directory = None
        if directory is None:
            directory = Path(tempfile.mkdtemp(prefix="claimcheck-index-"))
        self.directory = directory
        return directory

    @contextmanager
    def _swap_lock(self) -> Iterator[None]:
        """What a background build holds to swap in its result: no write, no search meanwhile."""
        with self._writer, self._exclusive():
            yield

    def upsert(self, ids: Ids, vectors: Vectors) -> None:
        """Add vectors under ``ids``, replacing any already stored under those ids (idempotent)."""
        apply_faiss_threads()
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
                kind = (
                    Kind.COMPRESSED
                    if len(merged_ids) >= self.settings.compressed_threshold
                    else self.settings.approximate
                )
                self._switch(merged_ids, np.vstack([old_vectors[keep], vectors]), kind)
                return
            with self._exclusive():
                self._layout.remove(ids)
                self._layout.add(ids, vectors)
            self._upkeep()

    def remove(self, ids: Ids) -> None:
        apply_faiss_threads()
        if len(ids) == 0:
            return
        with self._writer:
            with self._exclusive():
                self._layout.remove(np.ascontiguousarray(ids, dtype=np.int64))
            self._upkeep()

    def ids(self) -> Ids:
        """Every live paragraph id (tombstones excluded), to compare the index with the store."""
        with self._shared():
            return np.array(self._layout.live_ids(), dtype=np.int64)

    def search(self, query: Vectors, k: int) -> SearchHits:
        """Top ``k`` paragraphs for one query vector (shape ``(dimension,)`` or ``(1, dimension)``)."""
        apply_faiss_threads()
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
        apply_faiss_threads()
        with self._writer:
            self._upkeep()

    def _target_kind(self) -> Kind:
        n, threshold = len(self._layout), self.settings.threshold
        if n >= self.settings.compressed_threshold or (
            self._layout.kind is Kind.COMPRESSED and n >= self.settings.compressed_threshold // 2
        ):
            return Kind.COMPRESSED
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
        if target is Kind.COMPRESSED:
            # Never built here: the current layout, frozen, serves as the base (writes go to an
            # exact delta) while a background thread builds the compressed one from it.
            if not isinstance(self._layout, compressed.Overlay):
                overlay = compressed.Overlay(
                    self.dimension,
                    compressed.FrozenBase(self._layout),
                    self._work_directory(),
                    self.settings,
                    self._swap_lock,
                )
                with self._exclusive():
                    self._layout = overlay
            self._layout.maintain()
            return
        if target is self._layout.kind and not self._layout.stale(self.settings):
            return
        ids, vectors = self._layout.export()
        self._switch(ids, vectors, target)

    def _switch(self, ids: Ids, vectors: Vectors, kind: Kind) -> None:
        layout: ann.Layout | compressed.Overlay
        if kind is Kind.COMPRESSED:  # a bulk load crossing the threshold: built in the caller
            order = np.argsort(ids)
            chunks = (
                (ids[order[i : i + compressed.CHUNK]], vectors[order[i : i + compressed.CHUNK]])
                for i in range(0, len(ids), compressed.CHUNK)
            )
            base = compressed.build_base(
                self._work_directory(), self.dimension, chunks, self.settings, count=len(ids)
            )
            layout = compressed.Overlay(
                self.dimension, base, self._work_directory(), self.settings, self._swap_lock
            )
        else:
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
        meta: dict[str, object]
        with self._shared():
            generation, kind, layout = self.generation, self._layout.kind, self._layout
            name = f"paragraphs.{generation}.faiss"
            meta = {"generation": generation, "dimension": self.dimension, "kind": kind, "file": name}
            if isinstance(layout, compressed.Overlay):
                meta.update(_save_overlay_parts(layout, directory, generation))
            _write_index(layout.index, directory, name)
        meta_tmp = directory / temp_name("paragraphs.json")
        with _written(meta_tmp) as handle:
            handle.write(json.dumps(meta).encode())
        meta_tmp.replace(directory / "paragraphs.json")
        referenced = {str(value) for value in meta.values()}
        for pattern in ("paragraphs.*.faiss", "paragraphs.*.hidden.npy"):
            for old in directory.glob(pattern):
                if old.name not in referenced and _generation_of(old) < generation:
                    old.unlink(missing_ok=True)
        if isinstance(layout, compressed.Overlay) or compressed.base_tags(directory):
            compressed.remove_unused_bases(directory, _bases_in_use(layout, directory))

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
            if meta.get("kind") == Kind.COMPRESSED:
                return cls._load_compressed(directory, dimension, meta, settings)
            index = faiss.read_index(str(directory / str(meta["file"])))
        except (OSError, ValueError, RuntimeError, KeyError, TypeError):
            return None  # missing, torn or from another layout: the caller rebuilds from the store
        if meta.get("dimension") != dimension or index.d != dimension:
            return None
        try:
            loaded = cls(
                dimension,
                generation=int(meta.get("generation", 0)),
                index=index,
                settings=settings,
                directory=directory,
            )
        except ValueError:
            return None
        if meta.get("kind", Kind.FLAT) != loaded.kind:
            return None  # a metadata file from another save: rebuild rather than guess
        if loaded.kind not in (Kind.FLAT, loaded.settings.approximate):
            with loaded._writer:
                loaded._switch(*loaded._layout.export(), loaded._target_kind())
        loaded.rebalance()
        return loaded

    @classmethod
    def _load_compressed(
        cls, directory: Path, dimension: int, meta: dict[str, object], settings: AnnSettings | None
    ) -> ParagraphIndex | None:
        """The compressed layout as saved: its base files, the delta index and the tombstones."""
        loaded = cls(dimension, generation=int(str(meta.get("generation", 0))), settings=settings)
        loaded.directory = directory
        try:
            delta = ann.wrap(faiss.read_index(str(directory / str(meta["file"]))), loaded.settings)
            hidden = np.load(directory / str(meta["hidden"]), allow_pickle=False)
            base: compressed.Base
            if "base" in meta:
                base = compressed.CompressedBase.open(
                    compressed.BaseFiles(directory, str(meta["base"])), dimension
                )
            else:
                frozen = ann.wrap(faiss.read_index(str(directory / str(meta["frozen"]))), loaded.settings)
                if frozen is None:
                    return None
                base = compressed.FrozenBase(frozen)
        except (OSError, ValueError, RuntimeError, KeyError, TypeError):
            return None
        if meta.get("dimension") != dimension or not isinstance(delta, ann.FlatLayout):
            return None
        overlay = compressed.Overlay(dimension, base, directory, loaded.settings, loaded._swap_lock)
        overlay.restore(delta, np.asarray(hidden, dtype=np.int64))
        loaded._layout = overlay
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
