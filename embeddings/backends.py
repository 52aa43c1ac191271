"""Choose how MiniLM runs: onnxruntime (fast, the default candidate) or torch (the reference).

Why a factory: callers (start-up, benches, tests) should not know that the ONNX backend needs a
one-off export into a cache directory first; both backends load the same installed weights.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from embeddings.encoder import Encoder, MiniLMEncoder, model_path

EncoderBackend = Literal["onnx", "torch"]
ONNX_FILE_NAME = "all-MiniLM-L6-v2.onnx"
# Texts per forward pass. Inputs are sorted by length and padded per batch, so small batches pad
# little: measured with onnxruntime on one thread, 64 mixed news sentences cost ~335 ms CPU in
# batches of 4-8, ~450 ms in batches of 16 and ~1230 ms as one batch of 64.
BATCH_SIZE = 8


def load_encoder(backend: EncoderBackend, cache_dir: Path, threads: int) -> Encoder:
    """An ``Encoder`` for ``backend`` with ``threads`` intra-op threads.

    ``onnx`` exports the installed weights to ``cache_dir/all-MiniLM-L6-v2.onnx`` on first use (a few
    seconds; redone only when the weights change) and loads that. ``torch`` sets torch's process-wide
    thread count, as ``configure_threads`` does, and returns the sentence-transformers encoder.
    """
    if threads < 1:
        raise ValueError("threads must be positive")
    if backend == "onnx":
        from embeddings.onnx_encoder import OnnxMiniLMEncoder, export_onnx

        source = model_path()
        onnx_path = export_onnx(source, Path(cache_dir) / ONNX_FILE_NAME)
        return OnnxMiniLMEncoder(onnx_path, source, batch_size=BATCH_SIZE, threads=threads)
    if backend == "torch":
        import torch

        torch.set_num_threads(threads)
        return MiniLMEncoder(batch_size=BATCH_SIZE)
    raise ValueError(f"unknown encoder backend {backend!r}; expected 'onnx' or 'torch'")
