"""The compressed layout for millions of paragraphs: IVF with 4-bit PQ codes in memory, float vectors
on disk, a small exact delta index for recent writes, and rebuilds in a background thread.

Why: HNSW over float vectors costs ~1.9 KB a paragraph (1.5 KB of vectors, the graph, ids), so
about 4M paragraphs fill 8 GB, and its build (~37 s per 100k at one thread) would block ingest for
hours at 10M. Here the resident part is the IVF index built by ``faiss.index_factory`` with
fast-scan PQ codes (96 bytes a vector at the default ``PQ192x4fsr``) plus the paragraph id of each
row: ~1.2 GB at 10M. The float vectors (float16, 768 bytes each) live in a file in the index
directory, read row by row (``pread``), never loaded: a search reads only the ``k * rerank_factor``
rows of its shortlist, whose exact inner products decide the final order.

The data a search sees is an *overlay* of three parts:

* the **base**: an immutable ``CompressedBase`` (IVF-PQ + vector file + the paragraph id of each
  row, rows sorted by id), or, while the first compressed base is being built, the previous layout
  frozen as it was (``FrozenBase``);
* the **delta**: an exact flat index of vectors written since the base was snapshotted;
* the **hidden** ids: tombstones for base rows that were removed or replaced since.

Writes touch only the delta and the tombstones (microseconds). Once the delta or the tombstones
grow past their limits, ``maintain`` starts a rebuild in a background thread from a snapshot (base
minus tombstones plus delta, each write numbered by a sequence counter): training and adding run
while searches and writes go on; the swap takes the owner's exclusive lock only to replace the
base and drop the delta entries and tombstones the new base already reflects (those numbered up to
the snapshot). The base's files are written, fsynced and never changed, so saving the index writes
only the delta, the tombstones and the metadata that names the base.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import faiss
import numpy as np

from embeddings import ann
from embeddings.ann import AnnSettings, Ids, Kind
from embeddings.encoder import Vectors
from embeddings.threads import apply_faiss_threads

log = logging.getLogger("claimcheck")

_swig: Any = faiss

# Rows per step when copying, training or adding: bounds the float32 temporaries (~150 MB).
CHUNK = 100_000
BASE_PREFIX = "compressed."


@dataclass(frozen=True, slots=True)
class BaseFiles:
    """The three files of one compressed base, named by its tag."""

    directory: Path
    tag: str

    @property
    def index(self) -> Path:
        return self.directory / f"{BASE_PREFIX}{self.tag}.faiss"

    @property
    def vectors(self) -> Path:
        return self.directory / f"{BASE_PREFIX}{self.tag}.vectors"

    @property
    def ids(self) -> Path:
        return self.directory / f"{BASE_PREFIX}{self.tag}.ids"

    def all(self) -> tuple[Path, Path, Path]:
        return self.index, self.vectors, self.ids


def new_tag() -> str:
    """A base name unique to this process (its pid first: see ``stale_bases``)."""
    return f"{os.getpid()}-{time.time_ns()}"


def base_tags(directory: Path) -> set[str]:
    return {path.name[len(BASE_PREFIX) :].rsplit(".", 1)[0] for path in directory.glob(f"{BASE_PREFIX}*")}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_unused_bases(directory: Path, keep: set[str]) -> None:
    """Delete base files not in ``keep`` written by this process or by a process no longer alive
    (another live worker sharing the directory may be building or using its own)."""
    for tag in base_tags(directory) - keep:
        try:
            pid = int(tag.split("-", 1)[0])
        except ValueError:
            continue
        if pid == os.getpid() or not _pid_alive(pid):
            for path in BaseFiles(directory, tag).all():
                path.unlink(missing_ok=True)


def named_base(directory: Path) -> set[str]:
    """The base tag the saved metadata in ``directory`` names, if any."""
    try:
        named = json.loads((directory / "paragraphs.json").read_text()).get("base")
    except (OSError, ValueError, AttributeError):
        return set()
    return {named} if isinstance(named, str) else set()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class VectorFile:
    """Float16 rows of a base's vector file, read with ``pread``.

    Not a memory map: the kernel maps pages around each faulting one into the process, so after
    a few thousand searches most of a memory-mapped file counts in the service's RSS (measured:
    the whole 0.8 GB file at 1M after 200 searches). Reads leave the data in the page cache,
    which the kernel shares and evicts as it needs, and cost ~2 us a row.
    """

    def __init__(self, path: Path, n: int, dimension: int) -> None:
        self.path = path
        self.n = n
        self.dimension = dimension
        self._row_bytes = dimension * 2
        self._file = path.open("rb", buffering=0)
        size = os.fstat(self._file.fileno()).st_size
        if size < n * self._row_bytes:
            raise ValueError(f"{path}: {size} bytes for {n} vectors")

    def __len__(self) -> int:
        return self.n

    def rows(self, rows: Ids) -> Vectors:
        """The float32 vectors of ``rows`` (any order; ascending is kinder to readahead)."""
        size, fd = self._row_bytes, self._file.fileno()
        data = b"".join([os.pread(fd, size, row * size) for row in rows.tolist()])
        if len(data) != len(rows) * size:
            raise OSError(f"short read in {self.path}")
        return np.frombuffer(data, dtype=np.float16).reshape(len(rows), self.dimension).astype(np.float32)

    def range(self, start: int, stop: int) -> Vectors:
        """Rows ``start``..``stop - 1`` as float32 (one sequential read)."""
        count = max(0, min(stop, self.n) - start)
        data = (
            os.pread(self._file.fileno(), count * self._row_bytes, start * self._row_bytes) if count else b""
        )
        if len(data) != count * self._row_bytes:
            raise OSError(f"short read in {self.path} at row {start}")
        return np.frombuffer(data, dtype=np.float16).reshape(count, self.dimension).astype(np.float32)


class Source(Protocol):
    """Where a build reads the live vectors of a base from, in chunks."""

    def live_chunks(self, hidden: set[int]) -> Iterator[tuple[Ids, Vectors]]: ...


class CompressedBase:
    """An immutable IVF-PQ index whose FAISS ids are row numbers of a float16 vector file (read by pread)."""

    kind = Kind.COMPRESSED

    def __init__(self, files: BaseFiles, index: faiss.Index, dimension: int) -> None:
        self.files = files
        self.index = index
        self._ivf: Any = faiss.extract_index_ivf(index)
        self.dimension = dimension
        self.ids: Ids = np.fromfile(files.ids, dtype=np.int64)  # sorted: rows in id order (8 B each)
        n = len(self.ids)
        self.vectors = VectorFile(files.vectors, n, dimension)
        if int(index.ntotal) != n:
            raise ValueError(f"compressed base {files.tag}: {index.ntotal} codes for {n} vectors")

    @classmethod
    def open(cls, files: BaseFiles, dimension: int) -> CompressedBase:
        index = faiss.read_index(str(files.index))
        if index.d != dimension:
            raise ValueError(f"compressed base {files.tag} has dimension {index.d}")
        return cls(files, index, dimension)

    def __len__(self) -> int:
        return len(self.ids)

    def contains(self, ids: Ids) -> np.ndarray:
        """Which of ``ids`` have a row here (binary search in the sorted id file)."""
        if len(self.ids) == 0:
            return np.zeros(len(ids), dtype=bool)
        at = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return np.asarray(self.ids[at] == ids)

    def search(
        self, query: Vectors, k: int, settings: AnnSettings, hidden: Callable[[Ids], np.ndarray]
    ) -> tuple[np.ndarray, Ids]:
        """Exact scores of the best ``k`` among a PQ shortlist of ``k * rerank_factor`` rows,
        skipping ids that ``hidden`` flags (tombstoned or superseded by the delta)."""
        if len(self.ids) == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        params = _swig.SearchParametersIVF()
        params.nprobe = min(settings.compressed_nprobe, int(self._ivf.nlist))
        shortlist = min(len(self.ids), k * settings.compressed_rerank_factor)
        _, rows = self.index.search(query, shortlist, params=params)
        rows = rows[0][rows[0] >= 0]
        rows.sort()  # ascending file offsets: friendlier to the page cache and readahead
        ids = np.asarray(self.ids[rows])
        keep = ~hidden(ids)
        rows, ids = rows[keep], ids[keep]
        scores = self.vectors.rows(rows) @ query[0]
        best = np.argsort(-scores)[:k]
        return scores[best], ids[best]

    def live_chunks(self, hidden: set[int]) -> Iterator[tuple[Ids, Vectors]]:
        hidden_array = np.fromiter(hidden, dtype=np.int64, count=len(hidden))
        for start in range(0, len(self.ids), CHUNK):
            ids = np.asarray(self.ids[start : start + CHUNK])
            vectors = self.vectors.range(start, start + CHUNK)
            if len(hidden_array):
                keep = ~np.isin(ids, hidden_array)
                ids, vectors = ids[keep], vectors[keep]
            yield ids, vectors


class FrozenBase:
    """A previous layout (flat, IVF or HNSW) that no longer changes, serving as the base while the
    first compressed base is built from it."""

    def __init__(self, layout: ann.Layout) -> None:
        self.layout = layout
        self.kind = layout.kind
        self._ids = np.sort(layout.live_ids())

    def __len__(self) -> int:
        return len(self._ids)

    def contains(self, ids: Ids) -> np.ndarray:
        if len(self._ids) == 0:
            return np.zeros(len(ids), dtype=bool)
        at = np.minimum(np.searchsorted(self._ids, ids), len(self._ids) - 1)
        return np.asarray(self._ids[at] == ids)

    def search(
        self, query: Vectors, k: int, settings: AnnSettings, hidden: Callable[[Ids], np.ndarray]
    ) -> tuple[np.ndarray, Ids]:
        # Over-fetch to make up for hidden ids (capped: a transition is short and tombstones few).
        fetch = min(len(self.layout), k * settings.compressed_rerank_factor)
        if fetch <= 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        scores, ids = self.layout.search(query, fetch)
        keep = ids[0] >= 0
        scores, ids = scores[0][keep], ids[0][keep]
        keep = ~hidden(ids)
        return scores[keep][:k], ids[keep][:k]

    def live_chunks(self, hidden: set[int]) -> Iterator[tuple[Ids, Vectors]]:
        ids, vectors = self.layout.export()
        hidden_array = np.fromiter(hidden, dtype=np.int64, count=len(hidden))
        keep = ~np.isin(ids, hidden_array) if len(hidden_array) else np.ones(len(ids), dtype=bool)
        positions = np.flatnonzero(keep)
        for start in range(0, len(positions), CHUNK):
            chosen = positions[start : start + CHUNK]
            yield ids[chosen], np.asarray(vectors[chosen], dtype=np.float32)


Base = CompressedBase | FrozenBase


def build_base(
    directory: Path,
    dimension: int,
    chunks: Iterator[tuple[Ids, Vectors]],
    settings: AnnSettings,
    tag: str | None = None,
    count: int | None = None,
) -> CompressedBase:
    """Write the vectors of ``chunks`` to a new base's files, then train and fill its index.

    Peak memory beyond the index: the ids (8 bytes each) and a few chunks of float32 vectors.
    With ``count`` given and the chunks' ids ascending (a bulk build), the vectors are written
    straight into the file; otherwise they are spooled to a scratch file and copied in id order.
    """
    files = write_vectors(directory, dimension, chunks, tag, count)
    return index_vectors(files, dimension, settings)


def write_vectors(
    directory: Path,
    dimension: int,
    chunks: Iterator[tuple[Ids, Vectors]],
    tag: str | None = None,
    count: int | None = None,
) -> BaseFiles:
    """The vector and id files of a new base (float16 rows in ascending id order)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    files = BaseFiles(directory, tag or new_tag())
    try:
        _write_sorted(files, dimension, chunks, count)
    except BaseException:
        for path in files.all():
            path.unlink(missing_ok=True)
        raise
    return files


def index_vectors(files: BaseFiles, dimension: int, settings: AnnSettings) -> CompressedBase:
    """Train the IVF-PQ index on a sample of the vector file and add every row, then persist it.

    Rows are read with plain file reads, not through a memory map, so the build does not leave
    gigabytes of file pages mapped into (and counted in the RSS of) the serving process.
    """
    try:
        n = files.ids.stat().st_size // 8
        index = _train(dimension, files.vectors, n, settings)
        with files.vectors.open("rb") as handle:
            for start in range(0, n, CHUNK):
                m = min(CHUNK, n - start)
                block = np.fromfile(handle, dtype=np.float16, count=m * dimension, offset=0)
                if block.size != m * dimension:
                    raise OSError(f"short read in {files.vectors} at row {start}")
                index.add(block.reshape(m, dimension).astype(np.float32))
                del block
        faiss.write_index(index, str(files.index))
        for path in files.all():
            _fsync(path)
        return CompressedBase(files, index, dimension)
    except BaseException:
        for path in files.all():
            path.unlink(missing_ok=True)
        raise


def _write_sorted(
    files: BaseFiles, dimension: int, chunks: Iterator[tuple[Ids, Vectors]], count: int | None
) -> Ids:
    """Vectors to ``files.vectors`` (float16) in ascending id order; the ids to ``files.ids``."""
    if count is not None:
        # Plain writes, not a writable memory map: mapped dirty pages would count in this process's
        # RSS (gigabytes at 10M) although they are only page cache on their way to the disk.
        id_parts, at, last = [], 0, -1
        with files.vectors.open("wb") as handle:
            for ids, vectors in chunks:
                if len(ids) and (ids[0] <= last or np.any(np.diff(ids) <= 0)):
                    raise ValueError("a counted build needs ascending unique ids")
                handle.write(np.ascontiguousarray(vectors, dtype=np.float16).tobytes())
                at += len(ids)
                last = int(ids[-1]) if len(ids) else last
                id_parts.append(np.asarray(ids, np.int64))
        if at != count:
            raise ValueError(f"expected {count} vectors, got {at}")
        all_ids = np.concatenate(id_parts) if id_parts else np.zeros(0, np.int64)
    else:
        spool = files.directory / f"{files.vectors.name}.spool"
        try:
            id_parts = []
            with spool.open("wb") as handle:
                for ids, vectors in chunks:
                    handle.write(np.ascontiguousarray(vectors, dtype=np.float16).tobytes())
                    id_parts.append(np.asarray(ids, np.int64))
            unsorted = np.concatenate(id_parts) if id_parts else np.zeros(0, np.int64)
            order = np.argsort(unsorted, kind="stable")
            all_ids = unsorted[order]
            if len(all_ids) > 1 and np.any(np.diff(all_ids) == 0):
                raise ValueError("duplicate ids in a compressed build")
            n = len(all_ids)
            with files.vectors.open("wb") as handle:
                if n:
                    source = np.memmap(spool, dtype=np.float16, mode="r", shape=(n, dimension))
                    for start in range(0, n, CHUNK):
                        rows = np.sort(order[start : start + CHUNK])
                        # rows ascending within the chunk for the read; written in id order
                        block = np.asarray(source[rows])
                        handle.write(block[np.argsort(np.argsort(order[start : start + CHUNK]))].tobytes())
                    del source
        finally:
            spool.unlink(missing_ok=True)
    all_ids.tofile(files.ids)
    return all_ids


def _train(dimension: int, path: Path, n: int, settings: AnnSettings) -> faiss.Index:
    """An empty trained IVF-PQ index: centroids and codebooks from an evenly spread sample."""
    nlist = settings.compressed_lists(n)
    index = faiss.index_factory(
        dimension, f"IVF{nlist},{settings.compressed_codes}", faiss.METRIC_INNER_PRODUCT
    )
    ivf: Any = faiss.extract_index_ivf(index)
    ivf.cp.seed = settings.seed
    ivf.cp.niter = settings.compressed_train_iterations
    ivf.cp.min_points_per_centroid = 1
    ivf.cp.max_points_per_centroid = 1_000_000  # the sample is already sized; no silent subsampling
    size = min(n, max(settings.compressed_train_per_list * nlist, settings.compressed_train_minimum))
    rng = np.random.default_rng(settings.seed)
    if n:
        rows = np.sort(rng.choice(n, size, replace=False))
        vectors = np.memmap(path, dtype=np.float16, mode="r", shape=(n, dimension))
        sample = np.ascontiguousarray(vectors[rows], dtype=np.float32)
        del vectors  # unmapped: the sampled pages leave this process's RSS
    else:
        sample = np.zeros((0, dimension), np.float32)
    if len(sample) < 1024:  # PQ codebooks need some points; tiny indexes repeat theirs
        noise = np.random.default_rng(settings.seed).standard_normal((1024, dimension)).astype(np.float32)
        sample = np.vstack([sample, noise / np.linalg.norm(noise, axis=1, keepdims=True)])
    index.train(sample)
    return index


class Overlay:
    """The compressed layout as ``ParagraphIndex`` sees it: base + exact delta - tombstones.

    Mutations (``add``/``remove``) are called under the owner's exclusive lock, searches under its
    shared lock; the background build reads only immutable state (the base and a snapshot of the
    delta) and takes the exclusive lock through ``swap_lock`` for the swap alone.
    """

    kind = Kind.COMPRESSED

    def __init__(
        self,
        dimension: int,
        base: Base,
        directory: Path,
        settings: AnnSettings,
        swap_lock: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self.dimension = dimension
        self.base: Base = base
        self.directory = directory
        self.settings = settings
        self._swap_lock = swap_lock
        self.delta = ann.FlatLayout(dimension)
        self._delta_seq: dict[int, int] = {}  # id -> sequence number of its last write
        self.hidden: dict[int, int] = {}  # base id -> sequence number of the write that hid it
        self._seq = 0
        # While a build runs: every id written or removed since its snapshot (id -> sequence).
        self._pending: dict[int, int] | None = None
        self._state_lock = threading.Lock()  # the build thread's handle and its outcome
        self._builder: threading.Thread | None = None
        self.building_tag: str | None = None
        self._failed_at: float | None = None
        self.builds = 0

    # -- the Layout protocol -----------------------------------------------------------------------

    @property
    def index(self) -> faiss.Index:
        """The delta (what ``ParagraphIndex.save`` writes; the base is saved when built)."""
        return self.delta.index

    def __len__(self) -> int:
        return len(self.base) - len(self.hidden) + len(self.delta)

    def add(self, ids: Ids, vectors: Vectors) -> None:
        """Upsert into the delta; base rows under the same ids become hidden."""
        self._seq += 1
        self.delta.remove(ids)
        self.delta.add(ids, vectors)
        for paragraph in ids.tolist():
            self._delta_seq[paragraph] = self._seq
        self._hide(ids)

    def remove(self, ids: Ids) -> None:
        self._seq += 1
        in_delta = np.fromiter((i in self._delta_seq for i in ids.tolist()), dtype=bool, count=len(ids))
        if in_delta.any():
            self.delta.remove(ids[in_delta])
            for paragraph in ids[in_delta].tolist():
                del self._delta_seq[paragraph]
        self._hide(ids)

    def _hide(self, ids: Ids) -> None:
        in_base = self.base.contains(ids)
        for paragraph in ids[in_base].tolist():
            self.hidden[paragraph] = self._seq
        if self._pending is not None:  # a build runs: its base may hold any of these ids
            for paragraph in ids.tolist():
                self._pending[paragraph] = self._seq

    def _hidden_or_superseded(self, ids: Ids) -> np.ndarray:
        hidden = self.hidden
        return np.fromiter((i in hidden for i in ids.tolist()), dtype=bool, count=len(ids))

    def search(self, query: Vectors, k: int) -> tuple[Vectors, Ids]:
        base_scores, base_ids = self.base.search(query, k, self.settings, self._hidden_or_superseded)
        if len(self.delta):
            delta_scores, delta_ids = self.delta.search(query, min(k, len(self.delta)))
            keep = delta_ids[0] >= 0
            scores = np.concatenate([base_scores, delta_scores[0][keep]])
            ids = np.concatenate([base_ids, delta_ids[0][keep]])
        else:
            scores, ids = base_scores, base_ids
        best = np.argsort(-scores, kind="stable")[:k]
        out_scores = np.full((1, k), -np.inf, dtype=np.float32)
        out_ids = np.full((1, k), -1, dtype=np.int64)
        out_scores[0, : len(best)] = scores[best]
        out_ids[0, : len(best)] = ids[best]
        return out_scores, out_ids

    def live_ids(self) -> Ids:
        parts = [np.asarray(ids) for ids, _ in self._live_id_chunks()]
        parts.append(self.delta.live_ids())
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def _live_id_chunks(self) -> Iterator[tuple[Ids, None]]:
        hidden = np.fromiter(self.hidden, dtype=np.int64, count=len(self.hidden))
        if isinstance(self.base, CompressedBase):
            for start in range(0, len(self.base), CHUNK * 10):
                ids = np.asarray(self.base.ids[start : start + CHUNK * 10])
                yield (ids[~np.isin(ids, hidden)] if len(hidden) else ids), None
        else:
            ids = self.base.layout.live_ids()
            yield (ids[~np.isin(ids, hidden)] if len(hidden) else ids), None

    def export(self) -> tuple[Ids, Vectors]:
        """Every live vector in memory (float32): only for switching back to a smaller layout."""
        parts = list(self.base.live_chunks(set(self.hidden)))
        parts.append(self.delta.export())
        return np.concatenate([i for i, _ in parts]), np.vstack([v for _, v in parts])

    def stale(self, settings: AnnSettings) -> bool:
        """Whether a rebuild is due (``maintain`` runs it in the background, never the caller)."""
        if isinstance(self.base, FrozenBase):
            return True
        return len(self.delta) >= settings.compressed_delta_max or len(self.hidden) > max(
            settings.compressed_delta_max, settings.compressed_tombstone_fraction * len(self.base)
        )

    # -- background builds -------------------------------------------------------------------------

    @property
    def building(self) -> bool:
        builder = self._builder
        return builder is not None and builder.is_alive()

    def maintain(self) -> bool:
        """Start a background rebuild if one is due and none runs; True when one was started.

        Called by the owner with its writer lock held (so the snapshot is consistent); returns at
        once. After a failed build (a full disk, say) the next try waits ``compressed_retry_seconds``.
        """
        with self._state_lock:
            if self.building or not self.stale(self.settings):
                return False
            failed_at = self._failed_at
            if (
                failed_at is not None
                and time.monotonic() - failed_at < self.settings.compressed_retry_seconds
            ):
                return False
            snapshot = self._snapshot()
            self._pending = {}
            self.building_tag = new_tag()
            self._builder = threading.Thread(
                target=self._build,
                args=(snapshot, self.building_tag),
                name="compressed-index-build",
                daemon=True,
            )
            self._builder.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running build (if any) has swapped in or failed: tests, bulk ingest."""
        builder = self._builder
        if builder is not None:
            builder.join(timeout)

    def _snapshot(self) -> _Snapshot:
        ids, vectors = self.delta.export()
        return _Snapshot(self._seq, self.base, set(self.hidden), ids.copy(), np.array(vectors, copy=True))

    def restore(self, delta: ann.FlatLayout, hidden: Ids) -> None:
        """The delta and tombstones of a saved overlay (at load, before any search or write)."""
        self.delta = delta
        self._delta_seq = dict.fromkeys(delta.live_ids().tolist(), 0)
        self.hidden = dict.fromkeys(hidden.tolist(), 0)

    def _build(self, snapshot: _Snapshot, tag: str) -> None:
        apply_faiss_threads()  # this thread's own OpenMP setting (embeddings.threads)
        started = time.perf_counter()
        try:
            base = build_base(self.directory, self.dimension, snapshot.chunks(), self.settings, tag=tag)
        except Exception:
            log.exception("building the compressed paragraph index failed; the current one stays in use")
            with self._swap_lock(), self._state_lock:
                self._failed_at = time.monotonic()
                self._pending = None
                self.building_tag = None
            return
        with self._swap_lock():
            self._swap(base, snapshot)
            self.building_tag = None
        self.builds += 1
        # Old bases in the work directory go, unless the saved metadata still names one there
        # (a restart before the next save needs it); ``ParagraphIndex.save`` removes that later.
        keep = {base.files.tag} | named_base(self.directory)
        remove_unused_bases(self.directory, keep)
        log.info(
            "compressed paragraph index rebuilt: %d vectors in %.1f s (%d writes arrived meanwhile)",
            len(base),
            time.perf_counter() - started,
            len(self.delta) + len(self.hidden),
        )

    def _swap(self, base: CompressedBase, snapshot: _Snapshot) -> None:
        """Keep only what the new base does not reflect: writes numbered after the snapshot."""
        self.base = base
        newer = [i for i, seq in self._delta_seq.items() if seq > snapshot.seq]
        delta = ann.FlatLayout(self.dimension)
        if newer:
            old_ids, old_vectors = self.delta.export()
            position = {paragraph: row for row, paragraph in enumerate(old_ids.tolist())}
            rows = [position[i] for i in newer]
            delta.add(np.asarray(newer, dtype=np.int64), np.ascontiguousarray(old_vectors[rows]))
        self.delta = delta
        self._delta_seq = {i: self._delta_seq[i] for i in newer}
        # Every id written or removed since the snapshot that the new base holds is hidden there.
        pending = self._pending or {}
        ids = np.fromiter(pending, dtype=np.int64, count=len(pending))
        self.hidden = {i: pending[i] for i in ids[base.contains(ids)].tolist()}
        self._pending = None
        self._failed_at = None


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """What a background build reads: immutable while it runs."""

    seq: int
    base: Base
    hidden: set[int]
    delta_ids: Ids
    delta_vectors: Vectors

    def chunks(self) -> Iterator[tuple[Ids, Vectors]]:
        superseded = self.hidden | set(self.delta_ids.tolist())
        yield from self.base.live_chunks(superseded)
        for start in range(0, len(self.delta_ids), CHUNK):
            yield self.delta_ids[start : start + CHUNK], self.delta_vectors[start : start + CHUNK]
