"""Choose how MiniLM runs: onnxruntime in fp32 or int8, or torch (the reference).

Why a factory: callers (start-up, benches, tests) should not know that the ONNX backends need a
one-off export (and, for int8, a quantization of it) into a cache directory first; every backend
loads the same installed weights.

Each backend also names the *vector space* it encodes into. ``onnx`` and ``torch`` compute the same
fp32 function (cosine > 0.999 between them) and share one; ``onnx-int8`` differs by up to ~0.01 in
cosine, enough to move a near neighbour, so a data directory records the space of its stored
vectors and is never searched with query vectors from another (``claimcheck.checker``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from embeddings.encoder import FP32_SPACE, MODEL_NAME, Encoder, MiniLMEncoder, model_path

EncoderBackend = Literal["onnx-int8", "onnx", "torch"]
BACKENDS: tuple[EncoderBackend, ...] = ("onnx-int8", "onnx", "torch")
# What a new data directory gets when CLAIMCHECK_ENCODER is not set (an existing one keeps its own).
# int8 with its eight most sensitive MatMuls in fp32 (``embeddings.quantize.SENSITIVE_MATMULS``):
# every development gate the same as fp32 (seeds, Reuters dev, the held-out development sets,
# contrastive, Climate-FEVER), a claim's encode 30% and a sentence's 18% cheaper in CPU (README,
# "Encoder precision"). Quantizing every MatMul lost a seed and a Reuters dev claim to its noise.
DEFAULT_BACKEND: EncoderBackend = "onnx-int8"
ONNX_FILE_NAME = "all-MiniLM-L6-v2.onnx"
# Texts per forward pass. Inputs are sorted by length and padded per batch, so small batches pad
# little: measured with onnxruntime on one thread, 64 mixed news sentences cost ~335 ms CPU in
# batches of 4-8, ~450 ms in batches of 16 and ~1230 ms as one batch of 64.
BATCH_SIZE = 8
# int8 runs one text per forward pass. Its activations are quantized with one scale per tensor,
# computed at run time over the whole batch (padding included), so in a batch a text's vector
# depends on the texts beside it (cosine ~0.991 to the same text alone, measured): the same claim
# or sentence must always get the same vector. Alone, int8 still beats fp32 in batches of 8
# (6.35 vs 7.77 ms of CPU per Reuters sentence, one thread), though batched it took 5.40.
INT8_BATCH_SIZE = 1


def vector_space(backend: EncoderBackend) -> str:
    """The name a data directory records for vectors made by ``backend``."""
    if backend == "onnx-int8":
        from embeddings.quantize import DEFAULT_QUANT

        return f"{MODEL_NAME}/int8-{DEFAULT_QUANT.key}"
    if backend in ("onnx", "torch"):
        return FP32_SPACE
    raise ValueError(f"unknown encoder backend {backend!r}; expected one of {', '.join(BACKENDS)}")


def backend_for_space(space: str) -> EncoderBackend | None:
    """The backend that encodes into ``space`` (``onnx`` for fp32), or None if no backend here does."""
    for backend in ("onnx", "onnx-int8"):
        if vector_space(backend) == space:
            return backend
    return None


def load_encoder(backend: EncoderBackend, cache_dir: Path, threads: int) -> Encoder:
    """An ``Encoder`` for ``backend`` with ``threads`` intra-op threads.

    ``onnx`` exports the installed weights to ``cache_dir/all-MiniLM-L6-v2.onnx`` on first use (a few
    seconds; redone only when the weights change) and loads that; ``onnx-int8`` also quantizes that
    export beside it (``embeddings.quantize``, seconds, redone when it or the settings change).
    ``torch`` sets torch's process-wide thread count, as ``configure_threads`` does, and returns the
    sentence-transformers encoder.
    """
    if threads < 1:
        raise ValueError("threads must be positive")
    space = vector_space(backend)
    if backend in ("onnx", "onnx-int8"):
        from embeddings.onnx_encoder import OnnxMiniLMEncoder, export_onnx

        source = model_path()
        onnx_path = export_onnx(source, Path(cache_dir) / ONNX_FILE_NAME)
        batch_size = BATCH_SIZE
        if backend == "onnx-int8":
            from embeddings.quantize import quantize_onnx

            onnx_path, batch_size = quantize_onnx(onnx_path), INT8_BATCH_SIZE
        return OnnxMiniLMEncoder(onnx_path, source, batch_size=batch_size, threads=threads, space=space)
    import torch

    torch.set_num_threads(threads)
    return MiniLMEncoder(batch_size=BATCH_SIZE)
