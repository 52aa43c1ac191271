"""FAISS's OpenMP thread count, applied in whichever thread calls FAISS.

Why a module of its own: libgomp keeps the thread count as a per-thread setting, so
``faiss.omp_set_num_threads`` at start-up set it for the main thread only. Every other thread kept
the default of one OpenMP thread per core: the service's query and write threads ran each HNSW
search and add with a team whose second thread spun on the other core, the one spaCy and the
encoder need (on a 12k-paragraph HNSW index, twice the CPU per search for 12% less wall, 1.5x per
vector added: ``python -m bench.faiss_threads``). The index applies the configured count on each
call, once per thread; a direct ``faiss.omp_set_num_threads`` in a thread is not seen by that
cache, so code outside the index sets the count through ``set_faiss_threads``.
"""

from __future__ import annotations

import threading

import faiss

_configured: int | None = None  # None until start-up configures it: FAISS's defaults then stand
_applied = threading.local()


def set_faiss_threads(count: int) -> None:
    """The OpenMP thread count FAISS gets in every thread from now on (start-up, once)."""
    global _configured
    if count < 1:
        raise ValueError("the FAISS thread count must be positive")
    _configured = count
    apply_faiss_threads()


def apply_faiss_threads() -> None:
    """Give the calling thread the configured count unless it has it already (a thread-local read
    per call after the first)."""
    if _configured is not None and getattr(_applied, "count", None) != _configured:
        faiss.omp_set_num_threads(_configured)
        _applied.count = _configured
