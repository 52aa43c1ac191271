"""Does int8 move the cosines the thresholds are set on? Claim/evidence pair cosines, fp32 against int8.

Why: every cosine threshold (``retrieval.support.SupportPolicy``, the verifier's paraphrase cosine)
was calibrated on fp32 vectors. If int8 shifted pair cosines systematically, each threshold would
have to move with it (mapped to the int8 cosine at the same quantile); if it only adds noise per
pair, there is nothing to recalibrate. Pairs from SciFact-RTE train and FEVER-symmetric dev (v0.2),
never the service's own dev claims. Run: ``.venv/bin/python -m bench.cosine_shift`` (a minute).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from embeddings.backends import BATCH_SIZE, ONNX_FILE_NAME
from embeddings.encoder import model_path
from embeddings.onnx_encoder import OnnxMiniLMEncoder, export_onnx
from embeddings.quantize import DEFAULT_QUANT, quantize_onnx

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
CACHE = Path("/tmp/claimcheck-bench-quant")
THRESHOLDS = (0.35, 0.40, 0.45, 0.62, 0.70)  # SupportPolicy's cosines and the verifier's paraphrase cosine


def pairs() -> list[tuple[str, str]]:
    """(claim, evidence sentence) pairs, both labels: thresholds sit between supported and not."""
    found: list[tuple[str, str]] = []
    with (DATASETS / "scifact-rte" / "train.tsv").open(encoding="utf-8") as handle:
        found += [(row["sentence2"], row["sentence1"]) for row in csv.DictReader(handle, delimiter="\t")]
    path = DATASETS / "fever-symmetric" / "symmetric_v0.2" / "fever_symmetric_dev.jsonl"
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            found.append((row["claim"], row["evidence"]))
    return [(claim, evidence) for claim, evidence in found if claim and evidence]


def main() -> None:
    source = model_path()
    fp32 = export_onnx(source, CACHE / ONNX_FILE_NAME)
    paths = {"fp32": fp32, "int8": quantize_onnx(fp32, DEFAULT_QUANT)}
    texts = pairs()
    cosines = {}
    for name, path in paths.items():
        encoder = OnnxMiniLMEncoder(path, source, batch_size=BATCH_SIZE, threads=2)
        claims = encoder.encode([claim for claim, _ in texts])
        evidence = encoder.encode([sentence for _, sentence in texts])
        cosines[name] = (claims * evidence).sum(axis=1)
    fp, q = cosines["fp32"], cosines["int8"]
    diff = q - fp
    print(f"{len(texts)} pairs: int8 - fp32 cosine mean {diff.mean():+.4f}, sd {diff.std():.4f}")
    print("threshold | pairs within 0.05 | mean int8 - fp32 there | int8 cosine at the same quantile")
    for threshold in THRESHOLDS:
        near = np.abs(fp - threshold) < 0.05
        mapped = float(np.quantile(q, float((fp < threshold).mean())))
        print(f"{threshold:.2f} | {int(near.sum())} | {float(diff[near].mean()):+.4f} | {mapped:.4f}")


if __name__ == "__main__":
    main()
