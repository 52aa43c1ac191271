"""int8 dynamic quantization of the locally exported ONNX encoder (``onnxruntime.quantization``).

Why: a single-claim encode is most of a check's model time; int8 MatMuls (weights quantized once,
activations per call) run the same graph in about half the time on this CPU. Only the MatMuls are
quantized, per output channel, signed: measured over real Reuters paragraphs and claims, that kept
the lowest cosine to the fp32 vectors near 0.99, while onnxruntime's defaults (every supported op,
one scale per tensor) fell to ~0.94 (``bench/quantization.py``). The eight MatMuls whose
quantization moves the vectors most (``SENSITIVE_MATMULS``) stay fp32: a quarter of the error,
for three fifths of the saving on a claim's encode and a third of it at ingest.

The quantized graph is derived from the fp32 export and cached beside it under a file name keyed by
the settings, with a sidecar recording what it was made from (the fp32 export's own fingerprint,
the settings and the onnxruntime version): a changed model, exporter or setting re-quantizes
instead of serving vectors made another way. A published int8 MiniLM would not do: the one on PyPI
stores int8 weights but dequantizes them and computes in fp32 (no faster).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from embeddings.onnx_encoder import exclusive_lock, sidecar_path, temporary_sibling

WeightType = Literal["QInt8", "QUInt8"]
# Bump when the way a quantized graph is made changes in a way the settings do not show.
QUANT_FORMAT = 1

# The MatMuls whose int8 error moves the vectors most, kept in fp32. Quantizing one MatMul at a
# time over 300 Reuters dev paragraphs and 200 claims (``bench/quantization.py --sensitivity``),
# the feed-forward products of the lower layers cost the most (layer 0's output dense alone 0.0014
# of mean cosine, a query or key projection 0.00001-0.00003; value projections come next): the
# output dense of layers 0-2 and the intermediate dense of layers 0-4 (their inputs come out of
# GELU or a residual sum, where the outlier activations sit that one scale per tensor handles
# worst). Keeping these eight in fp32 cut the mean cosine loss to fp32 from 0.0064 to 0.0017 (lowest
# cosine 0.985 -> 0.997) for a claim encode 1.4x faster than fp32 instead of 2x.
SENSITIVE_MATMULS: tuple[str, ...] = (
    "/inner/encoder/layer.0/output/dense/MatMul",
    "/inner/encoder/layer.2/output/dense/MatMul",
    "/inner/encoder/layer.1/output/dense/MatMul",
    "/inner/encoder/layer.4/intermediate/dense/MatMul",
    "/inner/encoder/layer.3/intermediate/dense/MatMul",
    "/inner/encoder/layer.1/intermediate/dense/MatMul",
    "/inner/encoder/layer.0/intermediate/dense/MatMul",
    "/inner/encoder/layer.2/intermediate/dense/MatMul",
)


@dataclass(frozen=True, slots=True)
class QuantSettings:
    """The ``quantize_dynamic`` arguments that change the vectors (and so the file name)."""

    per_channel: bool = True
    reduce_range: bool = False
    weight_type: WeightType = "QInt8"
    op_types: tuple[str, ...] = ("MatMul",)
    # Nodes of the fp32 export left unquantized (names as the exporter writes them).
    fp32_nodes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A short stable name for these settings: ``pc-mm-s8-fp8e19956`` for the default.

        Kept nodes are counted and their names hashed, so two different sets of the same size
        never share a file name or a vector space.
        """
        ops = "-".join(op.lower().replace("matmul", "mm") for op in self.op_types) or "all"
        parts = ["pc" if self.per_channel else "pt", ops, "s8" if self.weight_type == "QInt8" else "u8"]
        if self.reduce_range:
            parts.append("rr")
        if self.fp32_nodes:
            digest = hashlib.sha256("\n".join(sorted(self.fp32_nodes)).encode()).hexdigest()[:6]
            parts.append(f"fp{len(self.fp32_nodes)}{digest}")
        return "-".join(parts)


# The shipped choice (see the module docstring); the vector space a data directory records names it.
DEFAULT_QUANT = QuantSettings(fp32_nodes=SENSITIVE_MATMULS)


def quantized_path(fp32_path: Path, settings: QuantSettings = DEFAULT_QUANT) -> Path:
    """``model.onnx`` -> ``model.int8-pc-mm-s8-fp8e19956.onnx`` (the settings' key), beside it."""
    return fp32_path.with_name(f"{fp32_path.stem}.int8-{settings.key}{fp32_path.suffix}")


def _fingerprint(fp32_path: Path, settings: QuantSettings) -> dict[str, Any]:
    import onnxruntime

    source = json.loads(sidecar_path(fp32_path).read_text(encoding="utf-8"))
    with fp32_path.open("rb") as handle:
        graph = hashlib.file_digest(handle, "sha256").hexdigest()
    fingerprint = {
        "quant_format": QUANT_FORMAT,
        "onnxruntime": onnxruntime.__version__,
        "settings": asdict(settings),
        "fp32_source": source,
        "fp32_sha256": graph,
    }
    normalised: dict[str, Any] = json.loads(json.dumps(fingerprint))  # tuples read back as lists
    return normalised


def quantization_is_current(fp32_path: Path, settings: QuantSettings = DEFAULT_QUANT) -> bool:
    """True when the quantized file and its sidecar exist and match ``fp32_path`` and ``settings``."""
    out = quantized_path(fp32_path, settings)
    sidecar = sidecar_path(out)
    if not out.is_file() or not sidecar.is_file() or not sidecar_path(fp32_path).is_file():
        return False
    try:
        recorded = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(recorded == _fingerprint(fp32_path, settings))


def quantize_onnx(fp32_path: Path, settings: QuantSettings = DEFAULT_QUANT) -> Path:
    """The int8 graph of the fp32 export at ``fp32_path``, made (seconds) unless a current one exists.

    Same crash and concurrency safety as ``export_onnx``: a lock file, temporary files renamed into
    place, the old sidecar removed first.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = quantized_path(fp32_path, settings)
    with exclusive_lock(out.with_name(out.name + ".lock")):
        if quantization_is_current(fp32_path, settings):
            return out
        fingerprint = _fingerprint(fp32_path, settings)
        _check_nodes_exist(fp32_path, settings.fp32_nodes)
        sidecar_path(out).unlink(missing_ok=True)
        with temporary_sibling(out) as tmp, _quiet():
            quantize_dynamic(
                str(fp32_path),
                str(tmp),
                per_channel=settings.per_channel,
                reduce_range=settings.reduce_range,
                weight_type=QuantType[settings.weight_type],
                op_types_to_quantize=list(settings.op_types),
                nodes_to_exclude=list(settings.fp32_nodes),
            )
            tmp.replace(out)
        with temporary_sibling(sidecar_path(out)) as tmp:
            tmp.write_text(json.dumps(fingerprint, indent=2, sort_keys=True), encoding="utf-8")
            tmp.replace(sidecar_path(out))
    return out


def _check_nodes_exist(fp32_path: Path, names: tuple[str, ...]) -> None:
    """Refuse to quantize when a node to keep in fp32 is not in the graph.

    The quantizer ignores unknown names, so an export that names its nodes differently would
    silently quantize the sensitive MatMuls and serve the noisier vectors under this space's name.
    """
    if not names:
        return
    import onnx

    present = {node.name for node in onnx.load(str(fp32_path), load_external_data=False).graph.node}
    missing = sorted(set(names) - present)
    if missing:
        raise ValueError(f"nodes to keep in fp32 not in {fp32_path.name}: {', '.join(missing)}")


# The quantizer's advice to run its pre-processing first (symbolic shape inference and graph
# optimization, for static quantization and fusions): the export is already optimized, and the
# vectors measured and gated are those of this graph quantized as it is.
_PRE_PROCESSING_ADVICE = "Please consider to run pre-processing before quantization"


def _not_pre_processing_advice(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(_PRE_PROCESSING_ADVICE)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Hold back the quantizer's INFO lines (one per tensor, on the root logger) and its advice to
    pre-process from the service log; any other warning it gives still reaches the log."""
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    logging.root.addFilter(_not_pre_processing_advice)
    try:
        yield
    finally:
        logging.root.removeFilter(_not_pre_processing_advice)
        logging.disable(previous)
