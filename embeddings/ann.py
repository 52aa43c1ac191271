"""The three FAISS layouts behind ``ParagraphIndex``: exact, IVF and HNSW, with one small interface.

Why several: exact search is perfect and cheap to maintain but costs ~15 ms per query at 100k
paragraphs and ~150 ms at 1M (one thread), far over the ~1 ms the check budget leaves for it.
The approximate layouts answer in well under a millisecond at the same recall target (recall@10
of at least 0.95 against exact search, measured by ``bench/scale.py``) but each needs care with
deletions, which ingest makes constantly (a re-submitted document replaces all its paragraphs):

* ``IvfLayout`` (IVF-Flat, inner product) removes ids natively; a hashtable direct map makes
  removal O(ids removed) instead of a scan of every inverted list. Its only upkeep is re-training
  the coarse centroids once the collection has grown well past the size they were trained for.
* ``HnswLayout`` (HNSW-Flat) cannot remove nodes from its graph, so a removed or replaced
  vector becomes a tombstone: its external id is overwritten with -1 and every search passes an
  ``IDSelectorRange`` that admits only non-negative ids. Past a tombstone fraction the graph is
  rebuilt from the live vectors it still holds (compaction).

Why HNSW is the default (``bench/scale.py``, one search thread, 384-d): at 100k vectors both
reach recall@10 0.97 at ~0.33 ms (HNSW efSearch 128, IVF1024 nprobe 32) on the synthetic set,
but on real MiniLM vectors of Reuters paragraphs IVF needs about twice the nprobe that synthetic
data suggests while HNSW's recall matches it; HNSW's cost also grows ~log n where IVF's grows
~sqrt n. What HNSW costs in exchange: builds ~3.5x slower than IVF (37 s vs 11 s per 100k at
one thread), ~20% more memory for the graph, and tombstones with periodic compaction. IVF stays
selectable (``AnnSettings.approximate``) and measured.

Every layout stores the full float vectors, so switching layout never needs the store: the
vectors are read back from the index being replaced.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import faiss
import numpy as np
import numpy.typing as npt

from embeddings.encoder import Vectors

Ids = npt.NDArray[np.int64]
"""Paragraph ids, parallel to the rows of a ``Vectors`` matrix."""

# FAISS's bundled stubs cover the base ``Index`` API only; the SWIG attributes used here (id maps,
# inverted lists, direct maps, HNSW parameters) are reached through this untyped alias.
_swig: Any = faiss

# Largest id an IDSelectorRange can admit (exclusive bound); tombstones are negative.
_MAX_ID = np.iinfo(np.int64).max


class Kind(StrEnum):
    FLAT = "flat"
    IVF = "ivf"
    HNSW = "hnsw"
    COMPRESSED = "compressed"  # IVF-PQ + vectors on disk + exact delta: embeddings/compressed.py


@dataclass(frozen=True, slots=True)
class AnnSettings:
    """When to leave exact search, for which layout, and how hard the approximate ones search.

    The defaults reach recall@10 >= 0.95 against exact search on clustered 384-d unit vectors
    shaped like MiniLM paragraph embeddings (``bench/scale.py`` measures them per size).
    ``threshold``: exact search below this many live vectors (flat costs ~0.2 us per vector per
    query at one thread, so 10k vectors is ~2 ms; HNSW is ~0.3 ms from 10k to 100k and builds
    10k vectors in ~4 s); the approximate layout at or above it. Going back to exact happens
    only below half the threshold so an index hovering at the boundary does not flap.
    """

    threshold: int = 10_000
    approximate: Kind = Kind.HNSW
    # IVF: nlist = lists_per_sqrt * sqrt(n), rounded to a power of two; nprobe lists searched.
    ivf_lists_per_sqrt: float = 4.0
    ivf_nprobe: int = 64
    ivf_train_per_list: int = 40
    # Re-train the centroids once the collection is this many times the size they were made for.
    ivf_regrow_factor: float = 4.0
    # HNSW: graph degree, construction breadth, search breadth (raised to k when k is larger).
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    hnsw_ef_search: int = 128
    # ...doubled from this many vectors on: measured recall@10 at ef 128 is 0.969 at 100k but 0.929
    # at 1M (ef 256: 0.962 at 1M, 0.83 ms); see bench/scale.py.
    hnsw_large: int = 300_000
    # HNSW: rebuild once this fraction of the nodes are tombstones.
    hnsw_tombstone_fraction: float = 0.2
    # Compressed layout (embeddings/compressed.py) at or above this many live vectors, back to
    # ``approximate`` below half of it. HNSW-Flat costs ~1.9 KB a vector, so 3M is ~5.5 GB and
    # 4M would pass 8 GB; the compressed layout keeps ~0.1 KB a vector resident.
    compressed_threshold: int = 3_000_000
    # index_factory code spec after "IVF<nlist>,": 192 4-bit PQ codes of residuals (96 bytes a
    # vector), SIMD fast scan. Measured at 3M (bench/scale.py): recall@10 0.978 at nprobe 32 x10
    # where 96 codes (48 bytes) reach only 0.934 at x20 and need x40 (twice the CPU) for 0.970.
    compressed_codes: str = "PQ192x4fsr"
    # nlist = lists_per_sqrt * sqrt(n) as a power of two (1M: 512, 3M: 1024, 10M: 2048). Adding a
    # vector costs nlist inner products, the bulk of a build (10M at 4096 lists: ~3x longer).
    compressed_lists_per_sqrt: float = 0.5
    compressed_nprobe: int = 32
    # PQ shortlist of k * factor rows re-ranked exactly from the float16 vector file.
    compressed_rerank_factor: int = 10
    compressed_train_per_list: int = 40
    compressed_train_minimum: int = 20_000
    compressed_train_iterations: int = 10
    # Rebuild in the background once the exact delta holds this many vectors (flat: ~0.15 ms per
    # 1k vectors a query) or tombstones pass this fraction of the base.
    compressed_delta_max: int = 20_000
    compressed_tombstone_fraction: float = 0.1
    compressed_retry_seconds: float = 300.0
    seed: int = 1234

    def __post_init__(self) -> None:
        if self.approximate not in (Kind.IVF, Kind.HNSW):
            raise ValueError("approximate must be ivf or hnsw")
        if self.threshold < 1:
            raise ValueError("threshold must be positive")
        if self.compressed_threshold < self.threshold:
            raise ValueError("compressed_threshold must be at least threshold")
        if self.compressed_rerank_factor < 1 or self.compressed_nprobe < 1 or self.compressed_delta_max < 1:
            raise ValueError("compressed search and delta settings must be positive")

    def compressed_lists(self, n: int) -> int:
        """Power-of-two IVF list count of the compressed layout for ``n`` vectors (at least 8)."""
        target = max(8.0, self.compressed_lists_per_sqrt * math.sqrt(max(n, 1)))
        return int(2 ** round(math.log2(target)))

    def ivf_lists(self, n: int) -> int:
        """Power-of-two list count for ``n`` vectors, at least 8 so tiny test indexes still work."""
        target = max(8.0, self.ivf_lists_per_sqrt * math.sqrt(max(n, 1)))
        return int(2 ** round(math.log2(target)))


class Layout(Protocol):
    """One FAISS layout holding unit vectors under int64 ids (non-negative)."""

    @property
    def kind(self) -> Kind: ...

    @property
    def index(self) -> faiss.Index:
        """The FAISS object to persist with ``faiss.write_index``."""

    def __len__(self) -> int:
        """Live vectors (tombstones excluded)."""

    def add(self, ids: Ids, vectors: Vectors) -> None:
        """Add vectors under ids that are not present (callers remove first)."""

    def remove(self, ids: Ids) -> None:
        """Forget ``ids``; absent ids are ignored."""

    def search(self, query: Vectors, k: int) -> tuple[Vectors, Ids]:
        """FAISS-style ``(scores, ids)`` of shape ``(1, k)``; empty slots have id -1."""

    def export(self) -> tuple[Ids, Vectors]:
        """Every live id and its vector, to rebuild in another layout."""

    def live_ids(self) -> Ids:
        """Every live id (without reading the vectors, which may live on disk)."""

    def stale(self, settings: AnnSettings) -> bool:
        """Whether upkeep is due: too many tombstones, or centroids trained for a much smaller n."""


def _labels_view(id_map: faiss.Int64Vector, count: int) -> Ids:
    """Writable view of an IndexIDMap's id vector (valid until the next add reallocates it)."""
    return np.asarray(faiss.rev_swig_ptr(id_map.data(), count), dtype=np.int64)


def _flat_vectors(codes: faiss.UInt8Vector, count: int, dimension: int) -> Vectors:
    """Read-only-by-convention view of an IndexFlat's float storage as ``(count, dimension)``."""
    raw = np.asarray(faiss.rev_swig_ptr(codes.data(), count * dimension * 4), dtype=np.uint8)
    return raw.view(np.float32).reshape(count, dimension)


class FlatLayout:
    """Exact inner product (IDMap2 over IndexFlatIP): reconstructible, removable, O(n) per query."""

    kind = Kind.FLAT

    def __init__(self, dimension: int, index: faiss.Index | None = None) -> None:
        self._index: Any = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self._dimension = dimension

    @property
    def index(self) -> faiss.Index:
        index: faiss.Index = self._index
        return index

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: Ids, vectors: Vectors) -> None:
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: Ids) -> None:
        self._index.remove_ids(ids)  # FAISS's wrapper picks a bloom-filtered IDSelectorBatch

    def search(self, query: Vectors, k: int) -> tuple[Vectors, Ids]:
        scores, ids = self._index.search(query, k)
        return scores, ids

    def export(self) -> tuple[Ids, Vectors]:
        n = len(self)
        if n == 0:
            return np.zeros(0, np.int64), np.zeros((0, self._dimension), np.float32)
        flat = _swig.downcast_index(self._index.index)
        ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
        return ids, _flat_vectors(flat.codes, n, self._dimension)

    def live_ids(self) -> Ids:
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def stale(self, settings: AnnSettings) -> bool:
        return False


class IvfLayout:
    """IVF-Flat over inner product with a hashtable direct map (removal by id, reconstruction)."""

    kind = Kind.IVF

    def __init__(self, index: faiss.Index, nprobe: int) -> None:
        self._owner = index  # the proxy that frees the C++ index; the downcast view does not
        self._index: Any = faiss.extract_index_ivf(index)
        self._index.nprobe = min(nprobe, self._index.nlist)

    @classmethod
    def build(
        cls, dimension: int, ids: Ids, vectors: Vectors, settings: AnnSettings, expected: int | None = None
    ) -> IvfLayout:
        """Train centroids on a sample of ``vectors``, then add them all.

        The list count suits ``expected`` vectors (default: these), so a caller streaming a large
        collection in chunks can train on the first chunk and ``add`` the rest.
        """
        nlist = settings.ivf_lists(expected if expected is not None else len(ids))
        index = faiss.index_factory(dimension, f"IVF{nlist},Flat", faiss.METRIC_INNER_PRODUCT)
        sample_size = min(len(ids), settings.ivf_train_per_list * nlist)
        rng = np.random.default_rng(settings.seed)
        sample = vectors[np.sort(rng.choice(len(ids), sample_size, replace=False))] if len(ids) else vectors
        ivf: Any = faiss.extract_index_ivf(index)
        ivf.cp.seed = settings.seed
        ivf.cp.min_points_per_centroid = 1  # tiny test sets: no warning, no degenerate retries
        index.train(np.ascontiguousarray(sample))
        ivf.set_direct_map_type(_swig.DirectMap.Hashtable)
        layout = cls(index, settings.ivf_nprobe)
        if len(ids):
            layout.add(ids, vectors)
        return layout

    @property
    def index(self) -> faiss.Index:
        index: faiss.Index = self._owner
        return index

    @property
    def nlist(self) -> int:
        return int(self._index.nlist)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: Ids, vectors: Vectors) -> None:
        for start in range(0, len(ids), 65_536):  # bounded temporaries for the list assignment
            end = start + 65_536
            self._index.add_with_ids(
                np.ascontiguousarray(vectors[start:end]), np.ascontiguousarray(ids[start:end])
            )

    def remove(self, ids: Ids) -> None:
        # FAISS's wrapper passes an IDSelectorArray, the only selector the hashtable map accepts:
        # O(ids removed) rather than a scan of every inverted list.
        self._index.remove_ids(ids)

    def search(self, query: Vectors, k: int) -> tuple[Vectors, Ids]:
        scores, ids = self._index.search(query, k)
        return scores, ids

    def export(self) -> tuple[Ids, Vectors]:
        invlists = self._index.invlists
        dimension = int(self._index.d)
        id_parts, vector_parts = [], []
        for list_no in range(self.nlist):
            size = int(invlists.list_size(list_no))
            if size == 0:
                continue
            id_parts.append(faiss.rev_swig_ptr(invlists.get_ids(list_no), size).copy())
            codes = faiss.rev_swig_ptr(invlists.get_codes(list_no), size * dimension * 4)
            vector_parts.append(np.frombuffer(codes, dtype=np.float32).reshape(size, dimension).copy())
        if not id_parts:
            return np.zeros(0, np.int64), np.zeros((0, dimension), np.float32)
        return np.concatenate(id_parts).astype(np.int64), np.vstack(vector_parts)

    def live_ids(self) -> Ids:
        return self.export()[0]

    def stale(self, settings: AnnSettings) -> bool:
        return settings.ivf_lists(len(self)) >= self.nlist * math.sqrt(settings.ivf_regrow_factor)


class HnswLayout:
    """HNSW-Flat behind an IndexIDMap; removed vectors stay in the graph as id -1 (tombstones)."""

    kind = Kind.HNSW

    def __init__(self, index: faiss.Index, ef_search: int, large: int = 300_000) -> None:
        self._index: Any = index  # IndexIDMap over IndexHNSWFlat
        self._ef_search = ef_search
        self._large = large
        self._live_only = faiss.IDSelectorRange(0, _MAX_ID)
        self._dead = int(np.count_nonzero(self._labels() < 0))

    @classmethod
    def build(cls, dimension: int, ids: Ids, vectors: Vectors, settings: AnnSettings) -> HnswLayout:
        hnsw: Any = faiss.IndexHNSWFlat(dimension, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = settings.hnsw_ef_construction
        index = faiss.IndexIDMap(hnsw)
        index.own_fields = True
        hnsw.this.disown()
        layout = cls(index, settings.hnsw_ef_search, settings.hnsw_large)
        if len(ids):
            layout.add(ids, vectors)
        return layout

    @property
    def index(self) -> faiss.Index:
        index: faiss.Index = self._index
        return index

    @property
    def tombstones(self) -> int:
        return self._dead

    def __len__(self) -> int:
        return int(self._index.ntotal) - self._dead

    def _labels(self) -> Ids:
        return _labels_view(self._index.id_map, int(self._index.ntotal))

    def add(self, ids: Ids, vectors: Vectors) -> None:
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: Ids) -> None:
        ids = ids[ids >= 0]  # -1 marks tombstones: never "remove" one twice
        labels = self._labels()
        # O(n) scan, no reverse map: a few ms at 5M vectors, and no extra memory per vector.
        positions = np.flatnonzero(np.isin(labels, ids))
        labels[positions] = -1
        self._dead += len(positions)

    def search(self, query: Vectors, k: int) -> tuple[Vectors, Ids]:
        params = _swig.SearchParametersHNSW()
        ef = self._ef_search * (2 if self._index.ntotal >= self._large else 1)
        params.efSearch = max(ef, k)
        if self._dead:
            params.sel = self._live_only
        scores, ids = self._index.search(query, k, params=params)
        return scores, ids

    def export(self) -> tuple[Ids, Vectors]:
        n, dimension = int(self._index.ntotal), int(self._index.d)
        storage = _swig.downcast_index(_swig.downcast_index(self._index.index).storage)
        vectors = _flat_vectors(storage.codes, n, dimension)
        labels = self._labels()
        live = labels >= 0
        if live.all():
            return labels.copy(), vectors
        return labels[live], vectors[live]

    def live_ids(self) -> Ids:
        labels = self._labels()
        return labels[labels >= 0].copy()

    def stale(self, settings: AnnSettings) -> bool:
        total = int(self._index.ntotal)
        return total > 0 and self._dead / total > settings.hnsw_tombstone_fraction


def build(
    kind: Kind, dimension: int, ids: Ids, vectors: Vectors, settings: AnnSettings, expected: int | None = None
) -> Layout:
    """A fresh layout of ``kind`` holding ``vectors`` under ``ids`` (``expected``: see IVF)."""
    if kind is Kind.IVF:
        return IvfLayout.build(dimension, ids, vectors, settings, expected)
    if kind is Kind.HNSW:
        return HnswLayout.build(dimension, ids, vectors, settings)
    layout = FlatLayout(dimension)
    if len(ids):
        layout.add(ids, vectors)
    return layout


def wrap(index: Any, settings: AnnSettings) -> Layout | None:
    """The layout for an index read from disk, or ``None`` for a layout this module did not write."""
    inner = _swig.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else None  # IDMap2 too
    if isinstance(index, faiss.IndexIDMap2) and isinstance(inner, faiss.IndexFlat):
        return FlatLayout(int(index.d), index)
    if isinstance(index, faiss.IndexIDMap) and isinstance(inner, faiss.IndexHNSWFlat):
        return HnswLayout(index, settings.hnsw_ef_search, settings.hnsw_large)
    ivf = _swig.downcast_index(index)
    if isinstance(ivf, faiss.IndexIVFFlat) and ivf.direct_map.type == _swig.DirectMap.Hashtable:
        return IvfLayout(index, settings.ivf_nprobe)
    return None
